"""Command line: ``eventcoder extract``, ``evaluate``, ``gazetteer``.

User mistakes get a one-line error and exit code 2, never a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from .version import __version__
from .cli_errors import EXIT_USAGE, date_option, err, fail
from .ingest.readers import InputProblem, read_articles
from .output import EventWriter, OutputFormat

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Code news reports about armed conflict into ACLED-compatible events, with evidence.",
    pretty_exceptions_enable=False,
)


def warn(message: str) -> None:
    err.print(f"[yellow]warning:[/] {message}", soft_wrap=True)


def _progress(total: int | None, enabled: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err, disable=not enabled, transient=True,
    )


@app.command()
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="Files (.txt, .md, .json, .jsonl) or folders of them.")],
    published: Annotated[Optional[str], typer.Option(help="Publication date YYYY-MM-DD for articles without one.")] = None,
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of standard output.")] = None,
) -> None:
    """Extract the events of news reports.

    Every event has ACLED's columns plus article_id, fatalities_low/high, injured, claims,
    evidence (character spans of the article for each field) and confidence.
    """
    when = date_option(published, "--published")
    items = list(read_articles(inputs, when))
    problems = [item for item in items if isinstance(item, InputProblem)]
    articles = [item for item in items if not isinstance(item, InputProblem)]
    for problem in problems:
        err.print(f"[bold red]error:[/] {problem}", soft_wrap=True)
    if not articles:
        raise typer.Exit(EXIT_USAGE) if problems else fail("no articles in the input")
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            warn(f"article id {article.id!r} appears more than once")
        seen.add(article.id)

    from .pipeline import Extractor

    try:
        writer = EventWriter(format, output)
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}")
    extractor = Extractor()
    failed = 0
    show = len(articles) > 20 and err.is_terminal
    with writer, _progress(len(articles), show) as progress:
        task = progress.add_task("extracting", total=len(articles))
        for outcome in extractor.run(articles):
            if outcome.error:
                failed += 1
                err.print(f"[bold red]error:[/] article {outcome.article.id}: {outcome.error}", soft_wrap=True)
            writer.write(outcome.events)
            progress.advance(task)
    if output is not None:
        err.print(f"{writer.count} events from {len(articles)} articles written to {output}")
    if problems:
        raise typer.Exit(EXIT_USAGE)
    if failed:
        raise typer.Exit(1)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL in the format of ../shared/data/dev.")],
    pred: Annotated[Optional[Path], typer.Option(help="Predicted events JSONL (from extract --format jsonl); without it the extractor runs.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    limit: Annotated[Optional[int], typer.Option(help="Score only the first N documents.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Score only documents published on or after YYYY-MM-DD.")] = None,
) -> None:
    """Score extracted events against gold coding: detection, date, types, place, fatalities, actors."""
    from .evaluate import EvaluationError, evaluate_file, render_table

    since_date = date_option(since, "--since")
    try:
        report = evaluate_file(gold, pred, limit=limit, since=since_date, progress=_progress)
    except EvaluationError as exc:
        raise fail(str(exc))
    if json_out:
        import json

        typer.echo(json.dumps(report, indent=2))
    else:
        render_table(report, Console(highlight=False))


def _mount_gazetteer() -> None:
    try:
        from .geo.cli import gazetteer_app
    except ImportError:
        return
    app.add_typer(gazetteer_app, name="gazetteer", help="Build, inspect and extend the offline gazetteer.")


_mount_gazetteer()


def _register_commands() -> None:
    from .store.commands import register as register_store

    from .web.commands import register as register_web

    from .scale.commands import register as register_batch

    register_store(app)
    register_web(app)
    register_batch(app)


_register_commands()


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
