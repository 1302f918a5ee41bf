"""Reviewers and their tokens: who may correct the dataset, authenticated per person.

``add_reviewer(db, name)`` creates a reviewer and returns a new random token, shown once; only its
SHA-256 hash is stored (tokens are 32 random bytes, so a plain hash cannot be searched back).
``authenticate(db, token)`` returns the name of the active reviewer holding ``token``, or None.
``revoke_reviewer`` ends a token at once; adding the same name again issues a fresh token.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

NAME = re.compile(r"^[\w][\w .@'-]{0,99}$", re.UNICODE)
TOKEN_PREFIX = "ecr_"


class ReviewerError(ValueError):
    """A reviewer name or state that does not allow the action; the message is for the user."""


@dataclass(frozen=True)
class Reviewer:
    name: str
    created_at: str
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not NAME.match(name) or not name.isprintable():
        raise ReviewerError("a reviewer name is 1-100 letters, digits, spaces or . @ ' - _ (starting with a letter or digit)")
    return name


def add_reviewer(db: Any, name: str) -> str:
    """Create reviewer ``name`` (or give a revoked one a new token); return the token."""
    name = check_name(name)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with db.transaction():
        row = db.query("SELECT revoked_at FROM reviewers WHERE name = ?", (name,))
        if row and row[0][0] is None:
            raise ReviewerError(f"reviewer {name!r} already exists (revoke it first to issue a new token)")
        if row:
            db.execute("UPDATE reviewers SET token_hash = ?, created_at = ?, revoked_at = NULL WHERE name = ?",
                       (token_hash(token), _now(), name))
        else:
            db.execute("INSERT INTO reviewers (name, token_hash, created_at) VALUES (?, ?, ?)",
                       (name, token_hash(token), _now()))
    return token


def revoke_reviewer(db: Any, name: str) -> None:
    name = (name or "").strip()
    with db.transaction():
        row = db.query("SELECT revoked_at FROM reviewers WHERE name = ?", (name,))
        if not row:
            raise ReviewerError(f"no reviewer {name!r}")
        if row[0][0] is not None:
            raise ReviewerError(f"reviewer {name!r} is already revoked")
        db.execute("UPDATE reviewers SET revoked_at = ? WHERE name = ?", (_now(), name))


def list_reviewers(db: Any) -> list[Reviewer]:
    return [Reviewer(*row) for row in db.query("SELECT name, created_at, revoked_at FROM reviewers ORDER BY name")]


def has_reviewers(db: Any) -> bool:
    return bool(db.scalar("SELECT 1 FROM reviewers WHERE revoked_at IS NULL LIMIT 1"))


def authenticate(db: Any, token: str) -> str | None:
    """The active reviewer whose token this is, or None."""
    if not token or len(token) > 200 or not token.startswith(TOKEN_PREFIX):
        return None
    digest = token_hash(token)
    for name, stored in db.query("SELECT name, token_hash FROM reviewers WHERE token_hash = ? AND revoked_at IS NULL",
                                 (digest,)):
        if hmac.compare_digest(stored, digest):
            return name
    return None
