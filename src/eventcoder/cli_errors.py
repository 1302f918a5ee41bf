"""How every command meets a user mistake: a one-line error on stderr and exit code 2."""
from __future__ import annotations

import datetime as dt

import typer
from rich.console import Console
from rich.markup import escape

EXIT_USAGE = 2
err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print ``error: message`` and return the Exit to raise: ``raise fail("...")``."""
    report(message)
    return typer.Exit(code)


def report(message: object) -> None:
    """Print ``error: message`` on one line; the message is shown as written (file names and
    install commands may hold square brackets, which are not markup)."""
    err.print(f"[bold red]error:[/] {escape(str(message))}", soft_wrap=True)


def date_option(value: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option value, or a one-line error naming the option."""
    if value is None:
        return None
    from .ingest.readers import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise fail(f"{option} is {exc}")
