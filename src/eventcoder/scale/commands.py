"""``eventcoder batch``: code many input files on Ray and write Parquet.

Wire it into the main app with ``register(app)``. User mistakes (bad paths, an output folder that
already holds a run, an unreachable cluster) get a one-line error and exit code 2, like ``extract``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from ..cli_errors import EXIT_USAGE, date_option, err, fail, report



def batch(
    inputs: Annotated[list[Path], typer.Argument(help="Files (.jsonl, .json, .txt, .md, .parquet, .warc) or folders of them.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Folder (or s3://... URI) for articles/ and events/ Parquet.")],
    address: Annotated[Optional[str], typer.Option(help="Ray cluster: 'auto' (on a cluster node) or 'ray://HOST:10001'. Without it a local Ray starts.")] = None,
    workers: Annotated[Optional[int], typer.Option(min=1, help="Extractor actors (default: the CPUs of this machine, or of the cluster).")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per block handed to an actor.")] = 64,
    published: Annotated[Optional[str], typer.Option(help="Publication date YYYY-MM-DD for articles without one.")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace the output of an earlier run in --output.")] = False,
    max_retries: Annotated[int, typer.Option(min=0, help="Retries of a block whose worker died.")] = 3,
    progress: Annotated[bool, typer.Option(help="Show Ray Data's progress bars.")] = False,
) -> None:
    """Extract the events of many articles on a Ray cluster (or all local cores) into Parquet.

    Writes OUTPUT/articles/*.parquet (one row per article: id, status ok/failed/invalid, error,
    n_events, where, published, source, title, url, chars, text) and OUTPUT/events/*.parquet (one row per
    event: the columns of `extract --format jsonl`, with claims and evidence as JSON text).
    """
    try:
        import ray  # noqa: F401  (the optional 'scale' extra)
    except ImportError:
        raise fail("eventcoder batch needs Ray, which is not installed: pip install 'eventcoder[scale]'")
    from .ray_runner import ClusterError, OutputError, check_output, cluster_cpus, connect, run_batch
    from .sources import SourceError, list_inputs

    when = date_option(published, "--published")
    if address is not None and not (address == "auto" or address.startswith("ray://") or ":" in address):
        raise fail(f"--address {address!r}: use 'auto', 'ray://HOST:PORT' or HOST:PORT")
    try:
        files = list_inputs(list(inputs))
        check_output(output, overwrite)
    except (SourceError, OutputError) as exc:
        raise fail(str(exc))

    local_cpus = os.cpu_count() or 1
    try:
        # a local Ray gets one spare logical CPU for the read and write tasks beside the actors
        session = connect(address, num_cpus=(workers or local_cpus) + 1)
    except ClusterError as exc:
        raise fail(str(exc))

    try:
        size = workers or (local_cpus if address is None else max(1, cluster_cpus() - 1))
        err.print(f"coding {len(files)} file(s) with {size} worker(s) on {'Ray at ' + address if address else 'a local Ray'}")
        try:
            summary = run_batch(files, output, workers=size, batch_size=batch_size, published=when,
                                max_retries=max_retries, progress=progress)
        except (SourceError, OutputError) as exc:
            raise fail(str(exc))
        except Exception as exc:  # a run Ray gave up on: say why in one line
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise fail(f"batch run failed: {type(exc).__name__}: {first}", code=1)
    finally:
        if session.started:
            ray.shutdown()

    for where, message in summary.failures:
        report(f"article {where}: {message}")
    rate = summary.articles / summary.seconds if summary.seconds else 0.0
    err.print(
        f"{summary.events} events from {summary.articles} articles ({summary.ok} ok, {summary.failed} failed, "
        f"{summary.invalid} invalid) written to {summary.output} in {summary.seconds:.1f}s ({rate:.1f} articles/s)"
    )
    if summary.invalid:
        raise typer.Exit(EXIT_USAGE)
    if summary.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``batch`` to a Typer app (the main CLI calls this)."""
    app.command("batch")(batch)
