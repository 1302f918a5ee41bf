"""Command line: ``eventcoder extract``, ``evaluate``, ``gazetteer``.

User mistakes get a one-line error and exit code 2, never a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from .version import __version__
from .cli_errors import EXIT_USAGE, date_option, err, fail, report
from .ingest.readers import StreamedInputs, count_articles, read_articles
from .output import EventWriter, OutputFormat
from .train.commands import use_model

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Code news reports about armed conflict into ACLED-compatible events, with evidence.",
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    data_dir: Annotated[Optional[list[Path]], typer.Option(
        "--data-dir", metavar="DIR",
        help="A folder of country packs (countries/<iso2>/) and actor files (actors/*.yaml) layered "
             "over the packaged ones; repeatable, and accepted after any command. "
             "Also read from $EVENTCODER_DATA (folders separated by ':').")] = None,
    notes_style: Annotated[Optional[str], typer.Option(
        "--notes-style", metavar="news|acled",
        help="'acled' also reads ACLED analysts' remarks on how a toll is shared (\"12 fatalities split "
             "between the 3 locations\", \"Total number of fatalities 5\"), for coding ACLED-style notes; "
             "default 'news'. Accepted after any command; also $EVENTCODER_NOTES_STYLE.")] = None,
) -> None:
    """Code news reports about armed conflict into ACLED-compatible events, with evidence."""
    use_data_dirs(data_dir or [])
    use_notes_style(notes_style)


def use_notes_style(style: str | None) -> None:
    """Check ``--notes-style`` and pass it to the extractor of this process and of the processes it
    starts (workers), through $EVENTCODER_NOTES_STYLE; a one-line error for an unknown style."""
    import os

    from .notes_style import ENV_VAR, notes_style_of

    try:
        os.environ[ENV_VAR] = notes_style_of(style)
    except ValueError as exc:
        raise fail(str(exc))


def use_data_dirs(dirs: list[Path]) -> None:
    """Check the user's data folders and layer them over the packaged data for this process and
    the processes it starts (batch workers): a one-line error and exit code 2 for a bad folder."""
    import os

    from .countries import ENV_VAR, check_data_dirs, data_dirs, set_data_dirs

    set_data_dirs(dirs)
    every = data_dirs()
    problem = check_data_dirs(every)
    if problem:
        raise fail(problem)
    if every:
        os.environ[ENV_VAR] = os.pathsep.join(str(d.resolve()) for d in every)
        set_data_dirs([])


ROOT_OPTIONS = ("--data-dir", "--notes-style")  # options of every command, read by the root callback


def hoist_data_dirs(argv: list[str]) -> list[str]:
    """Move ``--data-dir DIR`` and ``--notes-style S`` written after a command to the front, where the
    root options read them (``eventcoder extract --data-dir my-data in.txt`` = ``eventcoder --data-dir
    my-data extract in.txt``)."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest += argv[i:]
            break
        if arg in ROOT_OPTIONS and i + 1 < len(argv):
            front += [arg, argv[i + 1]]
            i += 2
            continue
        if arg.startswith(tuple(f"{option}=" for option in ROOT_OPTIONS)):
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def notice(message: str) -> None:
    err.print(f"notice: {escape(message)}", soft_wrap=True)


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
    model: Annotated[Optional[Path], typer.Option("--model", help="Model folder from 'eventcoder train' (default: $EVENTCODER_MODEL).")] = None,
    workers: Annotated[Optional[int], typer.Option(min=1, help="Processes coding in parallel (default: this machine's cores; 1: this process only).")] = None,
) -> None:
    """Extract the events of news reports.

    Every event has ACLED's columns plus article_id, fatalities_low/high, injured, claims,
    evidence (character spans of the article for each field) and confidence.
    """
    use_model(model)
    when = date_option(published, "--published")
    stream = StreamedInputs(read_articles(inputs, when), on_problem=report, on_duplicate=lambda i: warn(
        f"article id {i!r} appears more than once"))
    if stream.first() is None:  # read up to the first good article before loading the model
        raise typer.Exit(EXIT_USAGE) if stream.problems else fail("no articles in the input")

    from .parallel import ExtractorPool, workers_for

    try:
        writer = EventWriter(format, output)
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}")
    failed = skipped = 0
    total = count_articles(inputs)
    show = (total is None or total > 20) and err.is_terminal
    with ExtractorPool(workers_for(workers, total)) as pool, writer, _progress(total, show) as progress:
        task = progress.add_task("extracting", total=total)
        for outcome in pool.run(stream):
            if outcome.error:
                failed += 1
                report(f"article {outcome.article.id}: {outcome.error}")
            elif outcome.skipped:
                skipped += 1
                notice(f"article {outcome.article.id} skipped: {outcome.skipped} (eventcoder codes English)")
            writer.write(outcome.events)
            progress.advance(task)
    if output is not None or skipped:
        where = f" written to {output}" if output is not None else ""
        also = f"; {skipped} skipped (not English)" if skipped else ""
        err.print(f"{writer.count} events from {stream.articles} articles{where}{also}")
    if stream.problems:
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
    model: Annotated[Optional[Path], typer.Option("--model", help="Model folder from 'eventcoder train' (default: $EVENTCODER_MODEL).")] = None,
    by_country: Annotated[bool, typer.Option("--by-country", help="Also print the figures per gold country.")] = False,
) -> None:
    """Score extracted events against gold coding: detection, date, types, country, place, fatalities, actors."""
    from .evaluate import EvaluationError, evaluate_file, render_by_country, render_table

    use_model(model)
    since_date = date_option(since, "--since")
    try:
        report = evaluate_file(gold, pred, limit=limit, since=since_date, progress=_progress)
    except EvaluationError as exc:
        raise fail(str(exc))
    if not by_country:
        report.pop("by_country", None)
    if json_out:
        import json

        typer.echo(json.dumps(report, indent=2))
    else:
        console = Console(highlight=False)
        render_table(report, console)
        if by_country:
            render_by_country(report, console)


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

    from .train.commands import register as register_train

    register_store(app)
    register_web(app)
    register_batch(app)
    register_train(app)


_register_commands()


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    try:
        app(args=hoist_data_dirs(sys.argv[1:]), prog_name="eventcoder")
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
