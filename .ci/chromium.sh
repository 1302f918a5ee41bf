#!/usr/bin/env bash
# Install Debian's Chromium and its WebDriver for the browser test (tests/test_web_browser.py),
# if they are missing. The test drives /usr/bin/chromium through Playwright for Python; it never
# runs `playwright install` (no browser download) and skips cleanly when Chromium is absent.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
