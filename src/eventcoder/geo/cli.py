"""``eventcoder gazetteer ...``: import GeoNames dumps into the index, show what it holds."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from ..cli_errors import fail

gazetteer_app = typer.Typer(help="The offline gazetteer: import GeoNames dumps, show the index.",
                            no_args_is_help=True, pretty_exceptions_enable=False)


@gazetteer_app.command("import")
def import_cmd(
    paths: list[Path] = typer.Argument(..., help="GeoNames dumps: allCountries.txt, SY.txt/SY.zip, "
                                                 "admin1CodesASCII.txt, admin2Codes.txt, alternateNamesV2.txt; "
                                                 "Who's On First: a whosonfirst-data-admin-XX folder or .tar.gz"),
    country: list[str] = typer.Option(None, "--country", "-c", help="only these ISO alpha-2 codes (repeatable)"),
    db: Path = typer.Option(None, "--db", help="index file (default: the cache index)"),
) -> None:
    """Merge GeoNames dumps or Who's On First checkouts into the gazetteer index."""
    from .importer import ImportError_, import_files

    codes = {c.strip().upper() for cs in (country or []) for c in cs.split(",") if c.strip()} or None
    try:
        counts = import_files(list(paths), db_path=db, countries=codes)
    except ImportError_ as exc:
        raise fail(str(exc))
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read input: {exc}")
    typer.echo(json.dumps(counts))


@gazetteer_app.command("info")
def info_cmd(db: Path = typer.Option(None, "--db", help="index file (default: the cache index)"),
             countries: bool = typer.Option(True, "--countries/--no-countries",
                                            help="list every country with its place count and sources")) -> None:
    """Counts and location of the gazetteer index, places per country, and the data's attribution."""
    from .gazetteer import ATTRIBUTION, Gazetteer, get_gazetteer

    if db is not None and not db.is_file():
        raise fail(f"{db}: no such index file")
    try:
        gaz = Gazetteer(db, build_if_missing=False) if db else get_gazetteer()
        stats = gaz.stats()
        rows = gaz.country_counts() if countries else []
    except Exception as exc:  # noqa: BLE001 - one line for the user
        raise fail(f"cannot open the gazetteer: {exc}")
    for k, v in stats.items():
        typer.echo(f"{k}: {v}")
    if rows:
        typer.echo("countries (ISO2, name, places, sources):")
        for cc, name, n, sources in rows:
            typer.echo(f"  {cc}  {name:<34} {n:>8}  {', '.join(sources)}")
    typer.echo("attribution:")
    for line in ATTRIBUTION:
        typer.echo(f"  {line}")


@gazetteer_app.command("lookup")
def lookup_cmd(name: str, db: Path = typer.Option(None, "--db")) -> None:
    """Places a name resolves to (all candidates, as JSON lines)."""
    from .gazetteer import Gazetteer, get_gazetteer

    if db is not None and not db.is_file():
        raise fail(f"{db}: no such index file")
    gaz = Gazetteer(db) if db else get_gazetteer()
    for p in gaz.lookup(name):
        typer.echo(json.dumps({"name": p.name, "admin1": p.admin1, "admin2": p.admin2, "country": p.country,
                               "lat": p.latitude, "lon": p.longitude, "feature": p.feature,
                               "source": p.source}, ensure_ascii=False))
