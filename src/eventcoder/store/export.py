"""Export the merged dataset: ACLED CSV, JSONL, GeoJSON or Parquet.

Rows are the merged incidents (one per incident, however many reports told it), ordered by date and
id, optionally only those on or after ``since`` and in ``country`` (name, case-insensitive).

By default the dataset leaves as reviewed, through the same query as the API's exports
(``queries.iter_events``): analysts' corrections applied, rejected incidents left out, and the
``status`` and ``reviewed_fields`` columns added. ``machine=True`` writes the machine's records
as they are, without corrections.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import IO

from ..schema import ACLED_COLUMNS, EVENT_COLUMNS, Event
from .database import Database
from .queries import Filters, iter_events

REVIEW_COLUMNS = ("status", "reviewed_fields")


class ExportFormat(str, Enum):
    acled_csv = "acled-csv"
    jsonl = "jsonl"
    geojson = "geojson"
    parquet = "parquet"


def merged_records(db: Database, since: dt.date | None = None, country: str | None = None) -> Iterator[dict]:
    sql = "SELECT record FROM merged_events"
    where, params = [], []
    if since is not None:
        where.append("event_date >= ?")
        params.append(since.isoformat())
    if country:
        where.append("LOWER(country) = LOWER(?)")
        params.append(country.strip())
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY event_date, merged_id"
    for (record,) in db.iterate(sql, params):
        yield json.loads(record)


def reviewed_export_records(db: Database, since: dt.date | None = None, country: str | None = None) -> Iterator[dict]:
    """The incidents as analysts left them: corrected, rejected ones left out (as ``/api/export.csv``)."""
    filters = Filters(start=since.isoformat() if since else None, country=country)
    for record in iter_events(db, filters):
        record.pop("reviewed", None)
        yield record


def export(db: Database, format: ExportFormat, output: Path | None, since: dt.date | None = None,
           country: str | None = None, machine: bool = False) -> int:
    """Write the merged events (reviewed unless ``machine``); return how many. Parquet needs ``output``."""
    records = merged_records(db, since, country) if machine else reviewed_export_records(db, since, country)
    extra = () if machine else REVIEW_COLUMNS
    if format is ExportFormat.parquet:
        if output is None:
            raise ValueError("parquet export needs --output FILE")
        return _parquet(records, output, extra)
    handle: IO[str] = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if format is ExportFormat.acled_csv:
            return _acled_csv(records, handle, extra)
        if format is ExportFormat.jsonl:
            count = 0
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
            return count
        return _geojson(records, handle)
    finally:
        if output:
            handle.close()
        else:
            handle.flush()


def _acled_csv(records, handle: IO[str], extra: tuple[str, ...] = ()) -> int:
    writer = csv.DictWriter(handle, fieldnames=list(ACLED_COLUMNS) + list(extra), extrasaction="ignore")
    writer.writeheader()
    count = 0
    for record in records:
        row = Event.model_validate({k: v for k, v in record.items() if k in Event.model_fields}).acled_row()
        for name in extra:
            value = record.get(name)
            row[name] = "; ".join(value) if isinstance(value, list) else ("" if value is None else value)
        writer.writerow(row)
        count += 1
    return count


def _geojson(records, handle: IO[str]) -> int:
    handle.write('{"type": "FeatureCollection", "features": [')
    count = 0
    for record in records:
        lat, lon = record.get("latitude"), record.get("longitude")
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        feature = {"type": "Feature", "id": record["event_id"], "geometry": geometry, "properties": record}
        handle.write(("\n" if count == 0 else ",\n") + json.dumps(feature, ensure_ascii=False))
        count += 1
    handle.write("\n]}\n")
    return count


_INT = {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities",
        "fatalities_low", "fatalities_high", "injured"}
_FLOAT = {"latitude", "longitude", "confidence"}
_JSON = {"claims", "evidence"}


def _parquet(records, output: Path, extra: tuple[str, ...] = (), chunk: int = 5000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = []
    columns_out = tuple(EVENT_COLUMNS) + tuple(extra)
    for name in columns_out:
        kind = pa.int64() if name in _INT else pa.float64() if name in _FLOAT else pa.string()
        fields.append(pa.field(name, kind))
    schema = pa.schema(fields, metadata={"claims": "JSON", "evidence": "JSON"})
    count = 0
    with pq.ParquetWriter(str(output), schema) as writer:
        rows: list[dict] = []

        def write() -> None:
            columns = {}
            for name in columns_out:
                values = [r.get(name) for r in rows]
                if name == "reviewed_fields":
                    values = ["; ".join(v or []) for v in values]
                elif name in _JSON:
                    values = [json.dumps(v, ensure_ascii=False) for v in values]
                columns[name] = values
            writer.write_table(pa.Table.from_pydict(columns, schema=schema))
            rows.clear()

        for record in records:
            rows.append(record)
            count += 1
            if len(rows) >= chunk:
                write()
        if rows or count == 0:
            write()
    return count
