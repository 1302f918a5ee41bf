"""Analysts' review of the merged dataset: corrections stored beside the machine output, applied on read.

A correction says who changed which field of an incident, when, from what to what (``status`` set to
``"rejected"`` rejects the incident; ``"active"`` takes that back). The machine's rows
(``merged_events``, ``events``) are never written to: ``apply_corrections`` lays the corrections
over a machine record each time it is read, and marks the result with ``status``,
``reviewed_fields`` and ``reviewed``.

**Anchoring.** Merged ids are a hash of their member events, so they change whenever a new report
joins an incident (or the merge rules change). A correction is therefore anchored, in
``correction_anchors``, to the member article-event keys (``"<article_id>#<seq>"``, the
``events.event_key`` that ``ingest`` never rewrites) of the incident it was made on; it applies to
every current merged incident that holds at least one of those keys. After a recompute:

* an incident that gains a report keeps its corrections (it still holds the anchored keys);
* two corrected incidents that merge carry both sets of corrections, applied oldest first, so the
  newest value of a field wins;
* an incident that splits carries the corrections into each part (shown as reviewed, so an analyst
  can look again).

``merged_id`` in ``corrections`` only records which id the analyst saw.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass

from pydantic import ValidationError

from ..schema import ACLED_COLUMNS, Event
from .database import Database

STATUS = "status"
ACTIVE, REJECTED = "active", "rejected"
STATUSES = (ACTIVE, REJECTED)
# Every ACLED column but the id, and our fatality range and injured, may be corrected.
CORRECTABLE: tuple[str, ...] = tuple(c for c in ACLED_COLUMNS if c != "event_id") + (
    "fatalities_low", "fatalities_high", "injured")
MAX_VALUE_CHARS = 2000
MAX_REVIEWER_CHARS = 100
MAX_NOTE_CHARS = 2000
_CHUNK = 400


class ReviewError(ValueError):
    """A correction that cannot be stored; the message is meant for the analyst."""


@dataclass(frozen=True)
class Correction:
    id: int
    merged_id: str
    field: str
    old_value: object
    new_value: object
    reviewer: str
    note: str
    created_at: str

    def as_dict(self) -> dict:
        return asdict(self)


_COLUMNS = "c.id, c.merged_id, c.field, c.old_value, c.new_value, c.reviewer, c.note, c.created_at"


def _row(row: Sequence) -> Correction:
    return Correction(int(row[0]), row[1], row[2], json.loads(row[3]) if row[3] is not None else None,
                      json.loads(row[4]) if row[4] is not None else None, row[5], row[6], row[7])


# ---------------------------------------------------------------------------------------------
# reading

def member_keys(db: Database, merged_id: str) -> list[str]:
    """The article-event keys (``"<article_id>#<seq>"``) of one merged incident."""
    return [r[0] for r in db.query("SELECT event_key FROM merged_links WHERE merged_id = ? ORDER BY event_key",
                                   (merged_id,))]


def machine_record(db: Database, merged_id: str) -> dict | None:
    """The merged record as the machine made it (no corrections), or None."""
    raw = db.scalar("SELECT record FROM merged_events WHERE merged_id = ?", (merged_id,))
    return None if raw is None else json.loads(raw)


def corrections_for(db: Database, merged_ids: Iterable[str]) -> dict[str, list[Correction]]:
    """Corrections that apply to each of ``merged_ids`` (through their members), oldest first."""
    ids = list(dict.fromkeys(merged_ids))
    out: dict[str, list[Correction]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        rows = db.query(
            f"SELECT DISTINCT ml.merged_id, {_COLUMNS} FROM merged_links ml"
            " JOIN correction_anchors a ON a.event_key = ml.event_key"
            " JOIN corrections c ON c.id = a.correction_id"
            f" WHERE ml.merged_id IN ({marks})", chunk)
        for row in rows:
            out.setdefault(row[0], []).append(_row(row[1:]))
    for items in out.values():
        items.sort(key=lambda c: (c.created_at, c.id))
    return out


def corrected_merged_ids_sql() -> str:
    """A sub-query (no parameters) of the merged ids that have at least one correction."""
    return ("SELECT DISTINCT ml.merged_id FROM merged_links ml"
            " JOIN correction_anchors a ON a.event_key = ml.event_key")


def corrected_merged_ids(db: Database) -> list[str]:
    return sorted(r[0] for r in db.query(corrected_merged_ids_sql()))


def apply_corrections(record: dict, corrections: Sequence[Correction]) -> dict:
    """A copy of ``record`` with ``corrections`` applied in order, plus ``status``, ``reviewed``,
    ``reviewed_fields`` (sorted names of corrected fields, ``status`` included when it was changed)."""
    out = dict(record)
    status = ACTIVE
    fields: set[str] = set()
    for correction in sorted(corrections, key=lambda c: (c.created_at, c.id)):
        if correction.field == STATUS:
            status = correction.new_value if correction.new_value in STATUSES else status
        else:
            out[correction.field] = correction.new_value
        fields.add(correction.field)
    if "event_date" in fields and "year" not in fields:
        try:
            out["year"] = int(str(out.get("event_date"))[:4])
        except ValueError:
            pass
    out[STATUS] = status
    out["reviewed"] = bool(fields)
    out["reviewed_fields"] = sorted(fields)
    return out


def reviewed_record(db: Database, merged_id: str) -> dict | None:
    """The merged record with the analysts' corrections applied, or None if there is no such incident."""
    record = machine_record(db, merged_id)
    if record is None:
        return None
    return apply_corrections(record, corrections_for(db, [merged_id]).get(merged_id, []))


def history(db: Database, merged_id: str) -> list[Correction]:
    """Every correction applying to the incident, oldest first."""
    return corrections_for(db, [merged_id]).get(merged_id, [])


def reviewed_records(records: Iterable[dict], db: Database, chunk: int = 500) -> Iterator[dict]:
    """``records`` (merged records, ``event_id`` = merged id, e.g. ``export.merged_records``) with
    the corrections applied, in the same order."""
    batch: list[dict] = []

    def flush() -> Iterator[dict]:
        found = corrections_for(db, [r["event_id"] for r in batch])
        for r in batch:
            yield apply_corrections(r, found.get(r["event_id"], []))
        batch.clear()

    for record in records:
        batch.append(record)
        if len(batch) >= chunk:
            yield from flush()
    if batch:
        yield from flush()


# ---------------------------------------------------------------------------------------------
# writing

def coerce_value(field: str, value: object, record: dict) -> object:
    """``value`` as the type the field holds (through the Event model); ReviewError if it cannot be."""
    if field == STATUS:
        if value not in STATUSES:
            raise ReviewError(f"status must be one of {', '.join(STATUSES)}")
        return value
    if field not in CORRECTABLE:
        raise ReviewError(f"field {field!r} cannot be corrected (one of: {', '.join(CORRECTABLE)}, status)")
    if isinstance(value, str):
        if len(value) > MAX_VALUE_CHARS:
            raise ReviewError(f"value is longer than {MAX_VALUE_CHARS} characters")
        value = value.strip()
    if value == "" and field in Event.model_fields and Event.model_fields[field].annotation not in (str,):
        value = None  # an emptied number field
    if field == "event_date" and value:
        try:
            value = dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ReviewError("event_date must be a date YYYY-MM-DD") from None
    try:
        event = Event.model_validate({**{k: v for k, v in record.items() if k in Event.model_fields}, field: value})
    except ValidationError as exc:
        message = exc.errors()[0].get("msg", "invalid value")
        raise ReviewError(f"invalid value for {field}: {message}") from None
    return event.model_dump(mode="json")[field]


def add_correction(db: Database, merged_id: str, field: str, value: object, reviewer: str,
                   note: str = "") -> Correction:
    """Store one correction of incident ``merged_id`` and return it.

    Raises KeyError when there is no such incident and ReviewError for a bad field, value or reviewer.
    """
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise ReviewError("reviewer (who makes the correction) is required")
    if len(reviewer) > MAX_REVIEWER_CHARS or len(note or "") > MAX_NOTE_CHARS:
        raise ReviewError("reviewer or note is too long")
    with db.transaction():
        current = reviewed_record(db, merged_id)
        if current is None:
            raise KeyError(merged_id)
        new = coerce_value(field, value, current)
        old = current.get(field)
        created = dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")
        params = (merged_id, field, json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False),
                  reviewer, note or "", created)
        sql = ("INSERT INTO corrections (merged_id, field, old_value, new_value, reviewer, note, created_at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)")
        if db.dialect == "postgres":
            new_id = db.execute(sql + " RETURNING id", params).fetchone()[0]
        else:
            new_id = db.execute(sql, params).lastrowid
        db.executemany("INSERT INTO correction_anchors (correction_id, event_key) VALUES (?, ?)",
                       [(new_id, key) for key in member_keys(db, merged_id)])
    return Correction(int(new_id), merged_id, field, old, new, reviewer, note or "", created)


def reject(db: Database, merged_id: str, reviewer: str, note: str = "") -> Correction:
    """Mark the incident rejected (not a real event, or not one of ours)."""
    return add_correction(db, merged_id, STATUS, REJECTED, reviewer, note)
