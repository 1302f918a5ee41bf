"""The web application: ``create_app(db_url, token=None, ...)`` builds the FastAPI app.

* JSON API under ``/api`` (``api.py``; OpenAPI at ``/docs``), pages (``pages.py``), assets under
  ``/static`` (Leaflet and the country outlines ship in the package: nothing is fetched from the
  internet unless ``tiles_url`` names a tile server).
* Writes (corrections) need ``Authorization: Bearer <token>`` when a token is set. Without a token
  writes are only for a server on loopback: the CLI refuses to start otherwise, and every request
  must then name a loopback host (a page on another site cannot reach the server by DNS rebinding).
* Request bodies over ``max_body`` bytes get 413; every response carries a strict
  Content-Security-Policy (no inline scripts), so even a rendering mistake could not run article text.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader

from ..store.database import connect
from ..store.reviewers import has_reviewers
from . import api, pages
from .deps import Settings

HERE = Path(__file__).resolve().parent
MAX_BODY = 64 * 1024
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}


class BodyLimit:
    """ASGI middleware: 413 for bodies over ``max_body`` bytes (by Content-Length or as they stream)."""

    def __init__(self, app, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _send_413(send, self.max_body)
            return
        seen = 0
        started = False
        refused = False

        async def limited_receive():
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    # answer now and tell the app the client went away (its own error handling
                    # would otherwise turn an exception here into a 400)
                    refused = True
                    if not started:
                        await _send_413(send, self.max_body)
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message):
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except Exception:
            if not refused:
                raise


async def _send_413(send, limit: int) -> None:
    body = json.dumps({"detail": f"request body larger than {limit} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value.split("]")[0] + "]"
    return value.rsplit(":", 1)[0]


def _csp(tiles_url: str | None) -> str:
    img = "'self' data:"
    if tiles_url:
        parts = urlsplit(tiles_url.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tiles_url else parts.netloc
        img += f" {parts.scheme}://{host}"
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src {img}; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
            "form-action 'self'")


def create_app(db_url: str, token: str | None = None, *, allow_writes: bool = True, tiles_url: str | None = None,
               tiles_attribution: str = "", max_body: int = MAX_BODY, check_host: bool | None = None) -> FastAPI:
    """The app over the store at ``db_url`` (migrated here, once).

    ``token``: the Bearer token writes need (None: writes open, for a loopback server only);
    ``allow_writes=False``: a read-only server; ``tiles_url``: an XYZ tile URL template drawn under the
    bundled country outlines; ``check_host``: refuse requests naming a non-loopback Host (default:
    when writes are open without a token).
    """
    with connect(db_url) as db:  # create or upgrade the schema before serving
        reviewers = has_reviewers(db)
    settings = Settings(db_url=str(db_url), token=token or None, allow_writes=allow_writes, tiles_url=tiles_url or None,
                        tiles_attribution=tiles_attribution, max_body=max_body,
                        check_host=(allow_writes and not token and not reviewers) if check_host is None else check_host)
    app = FastAPI(title="eventcoder", summary="Conflict events coded from news reports, with evidence and review.",
                  version="1", docs_url=None, redoc_url=None)
    app.state.settings = settings
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["q"] = lambda value: quote("" if value is None else str(value), safe="")
    app.state.templates = env
    csp = _csp(settings.tiles_url)

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if settings.check_host:
            if _host_name(request.headers.get("host") or "") not in LOOPBACK_NAMES:
                return JSONResponse({"detail": "this server answers only on a loopback host name"}, status_code=421)
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    app.add_middleware(BodyLimit, max_body=max_body)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/docs", include_in_schema=False)
    def docs():
        return HTMLResponse(env.get_template("docs.html").render())
    return app
