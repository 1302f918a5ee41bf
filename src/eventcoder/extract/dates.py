"""Date expressions -> calendar days with ACLED's time_precision (STUB: numbers helper)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Span


@dataclass
class DateRef:
    days: list[dt.date]       # one per day the event ran ("a two-day operation from 14 October": 2)
    precision: int            # 1 day, 2 week, 3 month
    start: int                # absolute char span in doc.text
    end: int
    text: str
    background: bool = False  # history ("in 2018"), not an event of this report


def find_dates(span: Span, published: dt.date | None) -> list[DateRef]:
    raise NotImplementedError
