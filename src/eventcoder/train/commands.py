"""``eventcoder train``: learn a type classifier and an actor table from coded data."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..cli_errors import err, fail

FIGURES = ("event_type (main event)", "sub_event_type (main event)", "actor1", "docs with an event detected",
           "no-event docs left empty")


def summary(scores: dict) -> dict:
    """The figures worth printing of one ``evaluate`` score dict (percentages)."""
    out = {name: round(100 * f["rate"], 1) for name, f in scores["fields"].items() if name in FIGURES}
    if scores.get("sub_event_type_weighted_f1") is not None:
        out["sub_event_type weighted F1"] = round(100 * scores["sub_event_type_weighted_f1"], 1)
    out["documents"] = scores["documents"]
    return out


def _progress(total: int, enabled: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err, disable=not enabled, transient=True)


def use_model(model: Path | None) -> None:
    """Check a ``--model`` folder and make it the extractor's model (through EVENTCODER_MODEL), or
    check the folder already in EVENTCODER_MODEL; a bad folder is a one-line error."""
    import os

    from .model import Model, ModelError

    folder = str(model) if model is not None else os.environ.get("EVENTCODER_MODEL")
    if not folder:
        return
    try:
        Model.load(folder)
    except ModelError as exc:
        raise fail(str(exc))
    os.environ["EVENTCODER_MODEL"] = folder


def _line(name: str, figures: dict) -> str:
    parts = [f"{k} {v}" for k, v in figures.items() if k != "documents"]
    return f"  {name} ({figures['documents']} docs): " + "; ".join(parts)


def train_command(
    coded: Annotated[list[Path], typer.Argument(help="Coded data: gold .jsonl, ACLED export .csv (notes + coded columns) or GTD .csv.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Model folder to write.")],
    cv: Annotated[int, typer.Option("--cv", min=0, help="Folds of cross-validation to report (0: none).")] = 5,
    c: Annotated[float, typer.Option("--c", min=0.001, help="Regularisation of the linear classifiers (higher fits closer).")] = 0.5,
) -> None:
    """Train an event type classifier and an actor alias table on coded data (CPU, minutes).

    Prints the label counts, k-fold cross-validated figures (each fold coded with a model trained
    on the others and scored like `evaluate`) and the time taken; writes them to MODEL_DIR with the
    labels, the data's hash and the eventcoder version. Use the model with `--model MODEL_DIR` or
    EVENTCODER_MODEL.
    """
    from .coded import CodedDataError, read_coded
    from .learn import cross_validate, run_rules, train

    started, cpu = time.perf_counter(), time.process_time()
    try:
        data = read_coded(coded)
    except CodedDataError as exc:
        raise fail(str(exc))
    if output.exists() and not output.is_dir():
        raise fail(f"--output {output}: exists and is not a folder")
    if data.skipped_empty:
        err.print(f"skipped {data.skipped_empty} rows with empty notes")
    if data.untyped:
        err.print(f"skipped {data.untyped} rows without an ACLED event type")
    counts = data.label_counts()
    err.print(f"{len(data.docs)} coded documents; event types: "
              + ", ".join(f"{k} {v}" for k, v in counts["event_type"].items()))
    if len(counts["event_type"]) < 2:
        raise fail("the coded data has a single event type: a classifier needs at least two classes")

    from ..pipeline import Extractor

    extractor = Extractor(model=None)
    extractor.model_typer = None
    show = err.is_terminal
    passes = len(data.docs) * (2 if cv >= 2 else 1)
    with _progress(passes, show) as bar:
        task = bar.add_task("coding with the rules", total=passes)
        tick = lambda: bar.advance(task)  # noqa: E731
        views = run_rules(data.docs, extractor, tick)
        result = None
        if cv >= 2:
            if len(data.docs) < cv:
                raise fail(f"--cv {cv}: only {len(data.docs)} coded documents")
            bar.update(task, description=f"{cv}-fold cross-validation")

            def report(fold, scores):
                err.print(f"fold {fold + 1}/{cv}:")
                for name, s in scores.items():
                    err.print(_line(name, summary(s)))

            result = cross_validate(data, extractor, k=cv, c=c, tick=tick, report=report, views=views)
    model = train(data, extractor, c=c, views=views)
    model.meta["seconds"] = round(time.perf_counter() - started, 1)
    model.meta["cpu_seconds"] = round(time.process_time() - cpu, 1)
    if result is not None:
        model.meta["cross_validation"] = {"folds": cv, "pooled": {n: summary(s) for n, s in result["pooled"].items()},
                                          "per_fold": [{n: summary(s) for n, s in f.items()} for f in result["folds"]]}
        typer.echo(f"{cv}-fold cross-validated (pooled over folds):")
        for name, s in result["pooled"].items():
            typer.echo(_line(name, summary(s)))
    try:
        model.save(output)
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}")
    typer.echo(f"label counts: {json.dumps(counts)}")
    typer.echo(f"{model.meta['learned_aliases']} learned actor aliases, {model.meta['learned_renames']} name spellings")
    typer.echo(f"model written to {output} in {model.meta['seconds']} s ({model.meta['cpu_seconds']} CPU-s); "
               f"data hash {model.meta['data_hash']}, eventcoder {model.meta['eventcoder_version']}")


def register(app: typer.Typer) -> None:
    app.command("train")(train_command)
