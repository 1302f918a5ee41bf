"""The style of the texts being coded: news reports (the default) or ACLED analysts' notes.

ACLED's coders add remarks to their notes that no news report makes: how a toll is shared between
the events of one note ("12 fatalities split between the 3 locations", "5 allocated to X") and the
toll itself ("Total number of fatalities 5"). With the "acled" style the extractor reads them; with
"news" it does not, so that a news sentence that happens to look like one cannot decide a toll.
"""
from __future__ import annotations

import os

STYLES = ("news", "acled")
ENV_VAR = "EVENTCODER_NOTES_STYLE"


def notes_style_of(style: str | None = None) -> str:
    """The style asked for, else ``$EVENTCODER_NOTES_STYLE``, else "news"; ValueError if unknown."""
    style = (style or os.environ.get(ENV_VAR) or "news").strip().lower()
    if style not in STYLES:
        raise ValueError(f"unknown notes style {style!r} (want one of: {', '.join(STYLES)})")
    return style
