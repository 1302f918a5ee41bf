"""See, check and correct the events: HTTP API and web pages (map, timeline, table, evidence, review).

``create_app(db_url, token=None, ...)`` builds the FastAPI app (``app.py``); ``commands.register``
adds ``eventcoder serve``.
"""
from .app import create_app

__all__ = ["create_app"]
