"""Reading coded data: our gold JSONL, ACLED export CSV and (optionally) GTD CSV.

Every reader yields :class:`CodedDoc` rows: the text the analyst read (the note, the summary),
its publication date, its country and its events (ACLED column names; ``[]`` = no event).
Problems the user must fix raise :class:`CodedDataError` with a one-line message; empty notes
are skipped and counted.
"""
from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..jsonl import json_objects

DATA = Path(__file__).resolve().parents[1] / "data"

ACLED_REQUIRED = ("notes", "event_type")
GTD_REQUIRED = ("summary", "attacktype1_txt")



class CodedDataError(Exception):
    """Coded data the trainer cannot use: a missing file or column, unknown labels..."""


@dataclass
class CodedDoc:
    id: str
    text: str
    published: str | None
    country: str | None
    events: list[dict]
    source: str = ""                  # the file it came from

    @property
    def event_type(self) -> str:
        return self.events[0].get("event_type") or "none" if self.events else "none"

    @property
    def sub_event_type(self) -> str | None:
        return (self.events[0].get("sub_event_type") or None) if self.events else "none"


@dataclass
class CodedData:
    docs: list[CodedDoc] = field(default_factory=list)
    skipped_empty: int = 0            # rows with no text
    untyped: int = 0                  # rows whose type could not be read (GTD attack types)
    files: list[str] = field(default_factory=list)

    def label_counts(self) -> dict[str, dict[str, int]]:
        return {"event_type": dict(Counter(d.event_type for d in self.docs if d.event_type).most_common()),
                "sub_event_type": dict(Counter(d.sub_event_type for d in self.docs if d.sub_event_type).most_common())}


def taxonomy() -> dict[str, str]:
    """ACLED sub-event type -> event type, from the packaged taxonomy."""
    with (DATA / "taxonomy.yaml").open(encoding="utf-8") as fh:
        tax = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {sub: et for et, spec in tax["event_types"].items() for sub in spec["sub_event_types"]}


def read_coded(paths: list[Path]) -> CodedData:
    """Read every file (``.jsonl`` gold, ``.csv`` ACLED or GTD export) and check the labels."""
    data = CodedData()
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise CodedDataError(f"{path}: no such file")
        data.files.append(str(path))
        suffix = path.suffix.lower()
        if suffix in (".jsonl", ".json"):
            _read_jsonl(path, data)
        elif suffix == ".csv":
            _read_csv(path, data)
        else:
            raise CodedDataError(f"{path}: unknown format (expected .jsonl gold or .csv ACLED/GTD export)")
    check_labels(data)
    if not data.docs:
        raise CodedDataError("no coded documents with text in the input")
    return data


def check_labels(data: CodedData) -> None:
    parents = taxonomy()
    types = set(parents.values())
    bad: Counter = Counter()
    for doc in data.docs:
        for event in doc.events:
            et, sub = event.get("event_type"), event.get("sub_event_type")
            if et not in types:
                bad[f"event_type {et!r}"] += 1
            elif sub and parents.get(sub) != et:
                bad[f"sub_event_type {sub!r} under {et!r}"] += 1
    if bad:
        listed = ", ".join(f"{label} ({n})" for label, n in bad.most_common(8))
        more = f" and {len(bad) - 8} more" if len(bad) > 8 else ""
        raise CodedDataError(f"unknown labels (not in ACLED's taxonomy): {listed}{more}")


def _read_jsonl(path: Path, data: CodedData) -> None:
    for number, row in json_objects(path, CodedDataError, encoding_errors="replace"):
        if "gold" not in row or not isinstance(row["gold"], list):
            raise CodedDataError(f"{path}:{number}: no 'gold' list (coded JSONL needs id, text and gold)")
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            data.skipped_empty += 1
            continue
        events = [g for g in row["gold"] if isinstance(g, dict)]
        if events and not all(g.get("event_type") for g in events):
            data.untyped += 1
            continue
        country = (row.get("meta") or {}).get("country") or next((g.get("country") for g in events if g.get("country")), None)
        data.docs.append(CodedDoc(str(row.get("id", f"{path.name}:{number}")), text,
                                  row.get("published") or None, country, events, path.name))


def _read_csv(path: Path, data: CodedData) -> None:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = set(reader.fieldnames or [])
        if all(c in columns for c in ACLED_REQUIRED):
            rows = _acled_rows(reader, path, data)
        elif all(c in columns for c in GTD_REQUIRED):
            rows = _gtd_rows(reader, path, data)
        else:
            missing = [c for c in ACLED_REQUIRED if c not in columns]
            raise CodedDataError(f"{path}: missing column(s) {', '.join(missing)} (an ACLED export needs "
                                 f"{', '.join(ACLED_REQUIRED)}; a GTD export {', '.join(GTD_REQUIRED)})")
        data.docs.extend(rows)


def _acled_rows(reader, path: Path, data: CodedData):
    keep = ("event_date", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
            "assoc_actor_2", "inter2", "country", "admin1", "location", "fatalities")
    for number, row in enumerate(reader, start=2):
        text = (row.get("notes") or "").strip()
        if not text:
            data.skipped_empty += 1
            continue
        event = {k: (row.get(k) or None) for k in keep if k in row}
        ident = row.get("event_id_cnty") or f"{path.name}:{number}"
        yield CodedDoc(ident, text, _next_day(row.get("event_date")), row.get("country") or None, [event], path.name)


def _gtd_rows(reader, path: Path, data: CodedData):
    with (DATA / "gtd_types.yaml").open(encoding="utf-8") as fh:
        types = yaml.safe_load(fh) or {}
    for number, row in enumerate(reader, start=2):
        text = (row.get("summary") or "").strip()
        if not text:
            data.skipped_empty += 1
            continue
        mapped = types.get(row.get("attacktype1_txt") or "")
        if not mapped:
            data.untyped += 1
            continue
        event = {"event_type": mapped[0], "sub_event_type": mapped[1], "actor1": row.get("gname") or None,
                 "country": row.get("country_txt") or None}
        date = _gtd_date(row)
        yield CodedDoc(row.get("eventid") or f"{path.name}:{number}", text, _next_day(date),
                       row.get("country_txt") or None, [event], path.name)


def _gtd_date(row: dict) -> str | None:
    try:
        return dt.date(int(row["iyear"]), int(row["imonth"]), int(row["iday"])).isoformat()
    except (KeyError, TypeError, ValueError):
        return None


def _next_day(value: str | None) -> str | None:
    """The publication date of a note: the day after its event (as in the dev sets)."""
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%m/%d/%Y"):
        try:
            return (dt.datetime.strptime(value.strip(), fmt).date() + dt.timedelta(days=1)).isoformat()
        except ValueError:
            continue
    return None
