"""Cleaning and compaction of Who's On First places (eventcoder.geo.wof), on fixtures we wrote."""
from __future__ import annotations

import gzip
import io
import re
import tarfile
from pathlib import Path

import pytest

from eventcoder.geo import wof
from eventcoder.geo.names import fold

FIX = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).parent.parent / ".." / "shared" / "data" / "gazetteer"


@pytest.fixture(scope="module")
def refs():
    return wof.admin_refs()


@pytest.fixture(scope="module")
def kenya(refs):
    recs = list(wof.read_tsv(FIX / "wof" / "ke.tsv"))
    return {r.id: r for r in wof.clean(recs, "KE", ref=refs["KE"])}


def test_duplicate_records_of_a_town_are_one_place(kenya):
    assert 1002 in kenya and 1001 not in kenya  # the GeoNames-coded record wins
    names = {fold(n) for n in kenya[1002].names}
    assert fold("Kisumu Town") in names and fold("Port Florence") in names


def test_deprecated_rows_are_dropped(kenya):
    assert 1005 not in kenya


def test_rows_outside_the_country_are_dropped(kenya):
    assert 1006 not in kenya
    assert wof.load_extents()["KE"][0] < 0 < wof.load_extents()["KE"][2]


def test_old_unit_goes_to_the_nearest_capital_of_its_replacements(kenya, refs):
    # "Nyanza" (a province until 2013), no GeoNames code, next to Homa Bay
    assert kenya[1007].a1 == "17"
    assert refs["KE"].names["17"] == "Homa Bay"


def test_missing_admin1_from_the_nearest_named_neighbour(kenya):
    assert kenya[1008].a1 == "46"  # Siaya's


def test_missing_code_from_the_region_name(kenya):
    assert kenya[1009].a1 == "16"  # "Garissa County" is the current unit Garissa


def test_replaced_units_table_lists_new_units_with_capitals():
    replaced = wof.load_replaced()
    assert [n for n, _ in replaced["CD"][fold("Orientale")]][:1] == ["Ituri"]
    assert all(cap for news in replaced["KE"].values() for _, cap in news)


def test_feature_rank_orders_seats_villages_and_ruins(kenya):
    rank = wof.feature_rank
    assert rank("P.PPLA") > rank("P.PPLA2") > rank("P.PPL") > rank("P.PPLX") > rank("P.PPLQ")
    assert rank("P.PPLW") < 0 and rank("P.PPLQ") < 0


def test_admin1_code_normalised():
    assert wof.admin1_code("9.0") == "09" and wof.admin1_code(10) == "10"
    assert wof.admin1_code("0.0") == "" and wof.admin1_code("") == "" and wof.admin1_code("NCR") == "NCR"


def test_compact_file_round_trip(kenya, tmp_path):
    out = tmp_path / "ke.tsv.gz"
    n = wof.write_places(list(kenya.values()), out, source="test")
    header, rows = wof.read_places(out)
    rows = list(rows)
    assert n == len(rows) == len(kenya) and header["source"] == "test"
    village = next(r for r in rows if r["id"] == "1008")
    keys = {k for _, k in village["names"]}
    assert fold("Nameless Region Village") in keys
    assert any(k.startswith("ar:") for k in keys)  # the Arabic-script name is kept, marked
    ruin = next(r for r in rows if r["id"] == "1010")
    assert ruin["feature"] == "P.PPLQ"


def test_stale_fold_keys_are_recomputed(kenya, tmp_path):
    out = tmp_path / "ke.tsv"
    buf = io.StringIO()
    wof.write_places(list(kenya.values()), buf, source="test")
    stale = re.sub(r"=[a-z:]+(?=[|\n])", "=zzz", buf.getvalue().replace(f"fold={wof.fold_version()}", "fold=old"))
    assert stale.count("=zzz") > 10
    out.write_text(stale)
    _, rows = wof.read_places(out)
    keys = [k for r in rows for _, k in r["names"]]
    assert keys and "zzz" not in keys


def test_syria_places_get_district_subdistrict_and_pcode(refs):
    rows = wof.load_subdistricts(wof.admin_files()["SY"])
    assert {r["level"] for r in rows} == {"2", "3"}
    rec = wof.Rec(id=1, name="Somewhere", lat=36.46, lon=40.62, a1="01")
    wof.assign_subdistricts([rec], rows, refs["SY"])
    assert rec.pcode.startswith("SY08") and rec.a3 and rec.a2


def _check_repo(pairs):
    by_name = {r.name: (cc, r) for cc, r in pairs}
    cc, testa = by_name["Ain Testa"]
    assert cc == "SY" and testa.a1 == "10" and testa.a1name == "Hama" and testa.a2 == "Masyaf"
    assert testa.gid == 99900001 and testa.feature == "PPL"
    assert "عين تستا" in testa.names and "Ayn Testa" in testa.names
    assert "Hama" not in by_name  # regions are not places
    recs = wof.clean([r for _, r in pairs], "SY")
    kept = {r.name: r for r in recs}
    assert "Gone Twice" not in kept  # deprecated
    assert kept["Tell Nowhere"].a1 == "10"  # "0.0" is no code: the neighbour's


def test_reads_a_wof_checkout_folder():
    _check_repo(list(wof.read_wof_repo(FIX / "wof-repo")))


def test_reads_a_wof_tarball(tmp_path):
    tgz = tmp_path / "whosonfirst-data-admin-xx-test.tar.gz"
    with tarfile.open(tgz, "w:gz") as tf:
        tf.add(FIX / "wof-repo", arcname="whosonfirst-data-admin-xx-test")
    _check_repo(list(wof.read_wof_repo(tgz)))


def test_reads_the_real_wof_syria_snapshot():
    tars = sorted((SHARED / "wof-raw").glob("*.tar.gz")) if (SHARED / "wof-raw").is_dir() else []
    if not tars:
        pytest.skip("../shared/data/gazetteer/wof-raw absent")
    pairs = list(wof.read_wof_repo(tars[0]))
    assert len(pairs) > 5000 and all(cc == "SY" for cc, _ in pairs[:100])
    recs = wof.clean([r for _, r in pairs], "SY")
    assert sum(1 for r in recs if r.a1) / len(recs) > 0.99


def test_shipped_files_are_compact():
    folder = Path(str(wof.places_dir()))
    files = list(folder.glob("*.tsv.gz"))
    assert len(files) >= 31
    assert sum(f.stat().st_size for f in files) < 80e6
    with gzip.open(folder / "sy.tsv.gz", "rt", encoding="utf-8") as fh:
        assert fh.readline().startswith("# fold=")
        assert fh.readline().rstrip("\n").split("\t") == wof.COLUMNS


def test_place_declares_its_fields_and_gazetteer_never_imports_resolve():
    import ast
    import dataclasses

    from eventcoder.geo.place import Place

    names = {f.name for f in dataclasses.fields(Place)}
    assert {"pid", "level", "a1code", "pcode", "rank", "border"} <= names
    assert Place("X", 0, 0, feature="P.PPLW").abandoned and not Place("X", 0, 0, feature="P.PPLA2").abandoned
    src = Path(wof.__file__).parent
    for mod in ("gazetteer.py", "wof.py", "place.py", "names.py", "importer.py"):
        tree = ast.parse((src / mod).read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "resolve" not in imported, mod


def test_index_holds_village_level_places_with_admin_units():
    from eventcoder.geo.gazetteer import get_gazetteer

    gaz = get_gazetteer()
    syrian = [p for p in gaz.lookup("Khan Shaykhun") if p.country_code == "SY" and p.level == 0]
    assert syrian and syrian[0].admin1 == "Idleb" and syrian[0].admin2 and syrian[0].admin3
    assert syrian[0].pcode.startswith("SY07") and syrian[0].source.startswith("wof:")
    seat = max(syrian, key=lambda p: p.rank)
    assert seat.rank >= wof.feature_rank("P.PPL")
    bunia = [p for p in gaz.lookup("Bunia") if p.country_code == "CD" and p.population > 50_000]
    assert bunia and bunia[0].admin1 == "Ituri"  # not the pre-2015 "Orientale"
    counts = {cc: n for cc, _name, n, _src in gaz.country_counts()}
    assert counts["SY"] > 10_000 and counts["PK"] > 100_000


def test_cli_info_lists_countries_and_attribution():
    from typer.testing import CliRunner

    from eventcoder.geo.cli import gazetteer_app

    res = CliRunner().invoke(gazetteer_app, ["info"])
    assert res.exit_code == 0, res.output
    assert "Data from Who's On First" in res.output and "Contains GeoNames data" in res.output
    assert "OpenSyria" in res.output
    assert any(line.strip().startswith("YE ") for line in res.output.splitlines())


def test_country_packs_give_acled_names_and_replaced_units(monkeypatch):
    from types import SimpleNamespace as NS

    pack = NS(admin1=[NS(name="Haut-Uele", variants=["Haut-Uélé"], capital="Isiro"),
                      NS(name="Ituri", variants=["Ituri Province"], capital="Bunia")],
              admin1_replaced={"Province Orientale": ["Ituri", "Haut-Uele", "Bas-Uele"]})
    monkeypatch.setattr(wof, "country_packs", lambda: {"CD": pack})
    names = wof.acled_admin1_names()
    assert names[("CD", fold("Haut-Uélé"))] == "Haut-Uele" and names[("CD", fold("Ituri"))] == "Ituri"
    replaced = wof.load_replaced()["CD"][fold("Province Orientale")]
    assert ("Ituri", "Bunia") in replaced and all(n != "Bas-Uele" for n, _ in replaced)  # no capital known
    assert fold("Kasai-Occidental") not in wof.load_replaced()["CD"]  # the pack's table wins for its country
