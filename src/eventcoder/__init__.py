"""eventcoder: news reports about armed conflict -> ACLED-compatible events with evidence."""

__version__ = "0.1.0"
