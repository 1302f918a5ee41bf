"""The event store: articles, their events, and the dataset of incidents merged across sources.

``connect(url)`` opens SQLite (a file path, the default) or PostgreSQL (``postgresql://...``) and
brings the schema up to date; ``ingest`` codes and stores articles; ``merge`` joins one incident's
reports; ``export`` writes the merged dataset.
"""
from .database import Database, connect, default_url

__all__ = ["Database", "connect", "default_url"]
