"""Writers for extracted events: a table for people, JSONL / CSV / ACLED CSV for programs."""
from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path
from typing import IO

from .schema import ACLED_COLUMNS, EVENT_COLUMNS, Event


class OutputFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    acled_csv = "acled-csv"


class EventWriter:
    """Streams events to a file (or stdout) as they come; the table is drawn at the end."""

    def __init__(self, format: OutputFormat, path: Path | None = None):
        self.format = format
        self.path = path
        self.count = 0
        self._rows: list[Event] = []
        self._handle: IO[str] = open(path, "w", encoding="utf-8", newline="") if path else sys.stdout
        self._csv: csv.DictWriter | None = None
        if format in (OutputFormat.csv, OutputFormat.acled_csv):
            columns = ACLED_COLUMNS if format is OutputFormat.acled_csv else EVENT_COLUMNS
            self._csv = csv.DictWriter(self._handle, fieldnames=list(columns), extrasaction="ignore")
            self._csv.writeheader()

    def write(self, events: list[Event]) -> None:
        for event in events:
            self.count += 1
            if self.format is OutputFormat.jsonl:
                self._handle.write(json.dumps(event.record(), ensure_ascii=False) + "\n")
            elif self.format is OutputFormat.acled_csv:
                self._csv.writerow(event.acled_row())
            elif self.format is OutputFormat.csv:
                row = event.record()
                row["claims"] = json.dumps(row["claims"], ensure_ascii=False)
                row["evidence"] = json.dumps(row["evidence"], ensure_ascii=False)
                self._csv.writerow({k: "" if v is None else v for k, v in row.items()})
            else:
                self._rows.append(event)
        if self.path is not None:
            self._handle.flush()

    def close(self) -> None:
        if self.format is OutputFormat.table:
            render_events(self._rows, self._handle)
        if self.path is not None:
            self._handle.close()

    def __enter__(self) -> "EventWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def render_events(events: list[Event], handle: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(events)} events", show_lines=False)
    for name in ("article", "date", "type / sub-event", "location", "admin1", "actor1 vs actor2", "dead", "claims"):
        table.add_column(name, overflow="fold")
    for e in events:
        place = e.location + (f" ({e.latitude:.2f}, {e.longitude:.2f})" if e.latitude is not None else "")
        actors = " vs ".join(a for a in (e.actor1, e.actor2) if a)
        claims = "; ".join(f"{c.figure} {c.kind} ({c.claimant or 'report'})" for c in e.claims)
        table.add_row(e.article_id, e.event_date, f"{e.event_type} / {e.sub_event_type}", place,
                      e.admin1, actors, str(e.fatalities), claims)
    Console(file=handle, width=200 if not handle.isatty() else None, highlight=False).print(table)
