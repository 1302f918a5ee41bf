"""``eventcoder ingest`` and ``eventcoder export``: ``register(app)`` adds them to a Typer app.

    eventcoder ingest INPUT... [--db URL] [--published DATE]
    eventcoder export --format acled-csv|jsonl|geojson|parquet [--since DATE] [--country C] [--db URL] [--output FILE]

``--db`` takes a SQLite path (default ``$EVENTCODER_DB``, else ``./eventcoder.db``) or a
``postgresql://`` URL. User mistakes get a one-line error and exit code 2, never a traceback.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from ..cli_errors import EXIT_USAGE, date_option, err, fail, report

from .export import ExportFormat


DB_HELP = "SQLite file or postgresql:// URL (default: $EVENTCODER_DB, else ./eventcoder.db)."


def _open(db_url: Optional[str]):
    import sqlite3

    from .database import StoreError, connect

    try:
        return connect(db_url)
    except StoreError as exc:
        raise fail(str(exc))
    except sqlite3.DatabaseError as exc:
        raise fail(f"cannot use database {db_url or 'eventcoder.db'}: {exc}")


def _default_extractor():
    from ..pipeline import Extractor

    return Extractor()


def register(app: typer.Typer, extractor_factory: Callable[[], Any] | None = None) -> None:
    """Add the ``ingest`` and ``export`` commands to ``app``.

    ``extractor_factory`` builds the extractor (default: ``eventcoder.pipeline.Extractor``); tests
    pass a light one.
    """
    factory = extractor_factory or _default_extractor
    register_reviewers(app)

    @app.command()
    def ingest(
        inputs: Annotated[Optional[list[str]], typer.Argument(help="Files or folders (.txt .md .json .jsonl .html .rss .atom .xml .warc[.gz]) or feed URLs.")] = None,
        from_parquet: Annotated[Optional[Path], typer.Option("--from-parquet", help="Load the output folder of 'eventcoder batch' instead of coding INPUTs.")] = None,
        db: Annotated[Optional[str], typer.Option("--db", help=DB_HELP)] = None,
        published: Annotated[Optional[str], typer.Option(help="Publication date YYYY-MM-DD for articles without one.")] = None,
        batch_size: Annotated[int, typer.Option(help="Articles per extraction batch and transaction.", min=1)] = 64,
        progress: Annotated[Optional[bool], typer.Option("--progress/--no-progress", help="Show a progress bar (default: on a terminal).")] = None,
        model: Annotated[Optional[Path], typer.Option("--model", help="Model folder from 'eventcoder train' (default: $EVENTCODER_MODEL).")] = None,
        workers: Annotated[Optional[int], typer.Option(min=1, help="Processes coding in parallel (default: this machine's cores; 1: this process only).")] = None,
    ) -> None:
        """Code articles into the event store: duplicates stored once, the same incident merged across sources."""
        from ..train.commands import use_model

        use_model(model)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        from .ingest import ingest as run_ingest, iter_inputs

        when = date_option(published, "--published")
        if bool(inputs) == bool(from_parquet):
            raise fail("give INPUT files or --from-parquet DIR (one of the two)")
        items = None
        if from_parquet is not None:
            from .from_batch import BatchOutput, BatchOutputError

            try:
                extractor = BatchOutput(from_parquet)
            except BatchOutputError as exc:
                raise fail(str(exc))
            items = extractor.articles()
        database = _open(db)
        show = sys.stderr.isatty() if progress is None else progress
        pool = None
        try:
            if items is None:
                if factory is _default_extractor:
                    from ..ingest.readers import count_articles
                    from ..parallel import ExtractorPool, workers_for

                    extractor = pool = ExtractorPool(workers_for(workers, count_articles(inputs)))
                else:
                    extractor = factory()
                items = iter_inputs(inputs, when)
            bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TimeElapsedColumn(), console=err, disable=not show, transient=True)
            with bar:
                total = None
                if from_parquet is None:
                    from ..ingest.readers import count_articles

                    total = count_articles(inputs)
                task = bar.add_task("ingesting", total=total)
                summary = run_ingest(
                    database, items, extractor, batch_size=batch_size,
                    on_item=lambda _: bar.advance(task),
                    on_problem=report,
                    on_skipped=lambda article_id, why: err.print(
                        f"notice: article {escape(article_id)} skipped: {escape(why)} (eventcoder codes English)",
                        soft_wrap=True, highlight=False),
                )
        finally:
            if pool is not None:
                pool.close()
            database.close()
        err.print(
            f"{summary.read} articles read: {summary.new} new, {summary.duplicates} duplicates "
            f"({summary.exact_duplicates} exact, {summary.near_duplicates} near), {summary.already_stored} already stored; "
            f"{summary.events} events, {summary.incidents} incidents in the store; {summary.errors} errors"
            + (f"; {summary.skipped} skipped (not English)" if summary.skipped else ""),
            soft_wrap=True, highlight=False,
        )
        if summary.problems:  # bad input (as for extract): 2, after every good article is stored
            raise typer.Exit(EXIT_USAGE)
        if summary.extraction_errors:
            raise typer.Exit(1)

    @app.command()
    def export(
        format: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = ExportFormat.acled_csv,
        since: Annotated[Optional[str], typer.Option(help="Only incidents on or after YYYY-MM-DD.")] = None,
        country: Annotated[Optional[str], typer.Option(help="Only incidents in this country (name).")] = None,
        db: Annotated[Optional[str], typer.Option("--db", help=DB_HELP)] = None,
        output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of standard output.")] = None,
        machine: Annotated[bool, typer.Option("--machine", help="The machine's output as coded: no corrections applied, rejected incidents kept.")] = False,
    ) -> None:
        """Export the merged incidents of the store (one row per incident, all its sources and claims).

        Analysts' corrections are applied and rejected incidents left out, as in the web export;
        `status` and `reviewed_fields` say what was reviewed. --machine exports the raw output.
        """
        from .export import export as run_export

        since_date = date_option(since, "--since")
        if format is ExportFormat.parquet and output is None:
            raise fail("--format parquet needs --output FILE")
        if db is not None and not db.startswith(("postgresql://", "postgres://")) and not Path(db.removeprefix("sqlite:///")).exists():
            raise fail(f"no database at {db} (run `eventcoder ingest` first)")
        database = _open(db)
        try:
            count = run_export(database, format, output, since_date, country, machine=machine)
        except OSError as exc:
            raise fail(f"cannot write {output}: {exc.strerror or exc}")
        finally:
            database.close()
        if output is not None:
            err.print(f"{count} incidents written to {output}")


def _reviewers_app() -> typer.Typer:
    """``eventcoder reviewers add NAME | revoke NAME | list``."""
    reviewers = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                            help="Reviewers who may correct the dataset, each with their own token.")

    @reviewers.command("add")
    def add(name: Annotated[str, typer.Argument(help="The reviewer's name, recorded with each correction.")],
            db: Annotated[Optional[str], typer.Option("--db", help=DB_HELP)] = None) -> None:
        """Add a reviewer and print their token (shown once; only its hash is stored)."""
        from .reviewers import ReviewerError, add_reviewer

        database = _open(db)
        try:
            token = add_reviewer(database, name)
        except ReviewerError as exc:
            raise fail(str(exc))
        finally:
            database.close()
        typer.echo(token)
        err.print(f"token for reviewer {name.strip()!r}: send it as 'Authorization: Bearer TOKEN' "
                  "(or paste it into the incident page); it is not shown again", soft_wrap=True)

    @reviewers.command("revoke")
    def revoke(name: Annotated[str, typer.Argument(help="The reviewer whose token ends now.")],
               db: Annotated[Optional[str], typer.Option("--db", help=DB_HELP)] = None) -> None:
        """Revoke a reviewer's token (their past corrections stay)."""
        from .reviewers import ReviewerError, revoke_reviewer

        database = _open(db)
        try:
            revoke_reviewer(database, name)
        except ReviewerError as exc:
            raise fail(str(exc))
        finally:
            database.close()
        err.print(f"revoked {name.strip()!r}")

    @reviewers.command("list")
    def list_(db: Annotated[Optional[str], typer.Option("--db", help=DB_HELP)] = None) -> None:
        """List reviewers: name, created, revoked (tokens are never shown again)."""
        from .reviewers import list_reviewers

        database = _open(db)
        try:
            for reviewer in list_reviewers(database):
                state = f"revoked {reviewer.revoked_at}" if reviewer.revoked_at else "active"
                typer.echo(f"{reviewer.name}\tcreated {reviewer.created_at}\t{state}")
        finally:
            database.close()

    return reviewers


def register_reviewers(app: typer.Typer) -> None:
    app.add_typer(_reviewers_app(), name="reviewers")
