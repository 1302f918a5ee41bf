"""What the app, the API and the pages share: settings, a connection per request, the filters
dependency, and who may write (``require_writer``).

Kept apart from ``app.py`` (which builds the app and includes the routers of ``api.py`` and
``pages.py``) so that no module of the web package imports one that imports it back.

Writes need one of:

* a reviewer's own token (``eventcoder reviewers add NAME``) as ``Authorization: Bearer``: the
  correction is recorded under that reviewer's name, whatever the request body says;
* the server's shared ``--token``: the body's ``reviewer`` is recorded as given;
* nothing, on a loopback server without a shared token and without reviewers in the store.

Every write must also be JSON (``Content-Type: application/json``, which a cross-site form cannot
send without a CORS preflight this server never grants) and must not carry a foreign ``Origin`` or
a ``Sec-Fetch-Site: cross-site`` header.
"""
from __future__ import annotations

import hmac
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Optional
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Query, Request

from ..store.database import connect
from ..store.reviewers import authenticate, has_reviewers
from ..store.queries import FilterError, Filters


@dataclass
class Settings:
    db_url: str
    token: str | None
    allow_writes: bool
    tiles_url: str | None
    tiles_attribution: str
    max_body: int
    check_host: bool


@contextmanager
def open_db(request: Request):
    """A connection for this request (opened and closed in the calling thread)."""
    db = connect(request.app.state.settings.db_url, migrate=False)
    try:
        yield db
    finally:
        db.close()


def filters(
    start: Annotated[Optional[str], Query(description="First day, YYYY-MM-DD")] = None,
    end: Annotated[Optional[str], Query(description="Last day, YYYY-MM-DD")] = None,
    country: Annotated[Optional[str], Query(description="Country name (case-insensitive)")] = None,
    admin1: Annotated[Optional[str], Query(description="First-level region (case-insensitive)")] = None,
    event_type: Annotated[Optional[str], Query(description="ACLED event type")] = None,
    actor: Annotated[Optional[str], Query(description="Part of an actor's name (actor1/2, associated)")] = None,
    bbox: Annotated[Optional[str], Query(description="west,south,east,north in degrees")] = None,
    q: Annotated[Optional[str], Query(description="Words that the reports' title or text contain (full-text search)")] = None,
    status: Annotated[str, Query(description="active (default), rejected or all")] = "active",
) -> Filters:
    try:
        return Filters(start=start, end=end, country=country, admin1=admin1, event_type=event_type, actor=actor,
                       bbox=bbox, q=q, status=status)
    except FilterError as exc:
        raise HTTPException(400, str(exc)) from None


FilterDep = Annotated[Filters, Depends(filters)]


@dataclass(frozen=True)
class Writer:
    """Who writes: ``reviewer`` is the authenticated name, or None when the body names the reviewer."""

    how: str  # "reviewer", "token" or "loopback"
    reviewer: str | None = None


def require_writer(request: Request) -> Writer:
    """Check that this request may write and say who is writing (HTTPException otherwise)."""
    settings: Settings = request.app.state.settings
    if not settings.allow_writes:
        raise HTTPException(403, "this server is read-only")
    if (request.headers.get("content-type") or "").split(";")[0].strip().lower() != "application/json":
        raise HTTPException(415, "send the correction as application/json")
    origin = request.headers.get("origin")
    if origin and (origin == "null" or urlsplit(origin).netloc.lower() != (request.headers.get("host") or "").lower()):
        raise HTTPException(403, "cross-origin writes are refused")
    if (request.headers.get("sec-fetch-site") or "").lower() == "cross-site":
        raise HTTPException(403, "cross-site writes are refused")
    header = request.headers.get("authorization") or ""
    scheme, _, given = header.partition(" ")
    given = given.strip() if scheme.lower() == "bearer" else ""
    with open_db(request) as db:
        reviewer = authenticate(db, given) if given else None
        if reviewer is not None:
            return Writer("reviewer", reviewer)
        if settings.token and given and hmac.compare_digest(given.encode(), settings.token.encode()):
            return Writer("token")
        if not settings.token and not given and not has_reviewers(db):
            return Writer("loopback")
    raise HTTPException(401, "a valid Bearer token is required to write", headers={"WWW-Authenticate": "Bearer"})


WriterDep = Annotated[Writer, Depends(require_writer)]
