"""GeoNames dump import and the `gazetteer` CLI, on small files written here."""
import os
import zipfile

import pytest
from typer.testing import CliRunner

from eventcoder.geo.cli import gazetteer_app
from eventcoder.geo.gazetteer import Gazetteer, create_empty
from eventcoder.geo.importer import ImportError_, import_files

ROW = "\t".join
GEONAMES = "\n".join([
    ROW(["900001", "Tall Qarah", "Tall Qarah", "Tal Qara,Tell Kara,تل قارة", "34.10", "36.90", "P", "PPL",
         "SY", "", "11", "", "", "", "1200", "", "500", "Asia/Damascus", "2020-01-01"]),
    ROW(["900002", "Wadi Example", "Wadi Example", "", "34.20", "37.00", "H", "WAD",
         "SY", "", "11", "", "", "", "0", "", "400", "Asia/Damascus", "2020-01-01"]),
    ROW(["900003", "Elsewhere", "Elsewhere", "", "48.0", "2.0", "P", "PPL",
         "FR", "", "11", "", "", "", "10", "", "", "Europe/Paris", "2020-01-01"]),
]) + "\n"
ADMIN1 = "SY.11\tḨimş\tHims\t169575\n"
ALTERNATES = ROW(["1", "900001", "en", "Tel Qara Village", "", "", "", "", "", ""]) + "\n"


@pytest.fixture()
def db(tmp_path):
    return create_empty(tmp_path / "g.sqlite")


def test_import_country_file_and_alternates(tmp_path, db):
    (tmp_path / "SY.txt").write_text(GEONAMES, encoding="utf-8")
    (tmp_path / "admin1CodesASCII.txt").write_text(ADMIN1, encoding="utf-8")
    (tmp_path / "alternateNamesV2.txt").write_text(ALTERNATES, encoding="utf-8")
    counts = import_files([tmp_path / "SY.txt", tmp_path / "admin1CodesASCII.txt",
                           tmp_path / "alternateNamesV2.txt"], db_path=db, countries={"SY"})
    assert counts["places_added"] == 2 and counts["admin_units"] == 1
    gaz = Gazetteer(db)
    [p] = gaz.lookup("Tell Qara")
    assert p.admin1 == "Ḩimş" and p.country == "Syria" and p.iso == 760
    assert gaz.lookup("Tel Qara Village")
    assert gaz.lookup("تل قارة")
    assert not gaz.lookup("Elsewhere")  # filtered by --country


def test_import_zip_and_update(tmp_path, db):
    with zipfile.ZipFile(tmp_path / "SY.zip", "w") as zf:
        zf.writestr("SY.txt", GEONAMES)
        zf.writestr("readme.txt", "not data")
    import_files([tmp_path / "SY.zip"], db_path=db)
    counts = import_files([tmp_path / "SY.zip"], db_path=db)
    assert counts["places_updated"] == 3 and counts["places_added"] == 0


def test_bad_input_is_a_one_line_error(tmp_path, db):
    bad = tmp_path / "cities.txt"
    bad.write_text("just\tsome\ttext\n", encoding="utf-8")
    with pytest.raises(ImportError_):
        import_files([bad], db_path=db)
    with pytest.raises(ImportError_):
        import_files([tmp_path / "missing.txt"], db_path=db)


def test_cli_import_info_and_errors(tmp_path, db):
    (tmp_path / "SY.txt").write_text(GEONAMES, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(gazetteer_app, ["import", str(tmp_path / "SY.txt"), "--db", str(db), "-c", "SY"])
    assert res.exit_code == 0, res.output
    assert '"places_added": 2' in res.output
    res = runner.invoke(gazetteer_app, ["info", "--db", str(db)])
    assert res.exit_code == 0 and "places: 2" in res.output and str(db) in res.output
    res = runner.invoke(gazetteer_app, ["import", str(tmp_path / "nope.txt"), "--db", str(db)])
    assert res.exit_code == 2 and "Traceback" not in res.output and "no such file" in res.output
    res = runner.invoke(gazetteer_app, ["info", "--db", str(tmp_path / "none.sqlite")])
    assert res.exit_code == 2


def test_half_built_index_of_a_dead_build_is_removed(tmp_path):
    import subprocess

    from eventcoder.geo.gazetteer import _remove_dead_builds

    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f"gazetteer-v5-abc.tmp{dead.pid}"
    stale.write_bytes(b"x")
    alive = tmp_path / f"gazetteer-v5-abc.tmp{os.getpid()}"
    alive.write_bytes(b"x")
    _remove_dead_builds(tmp_path)
    assert not stale.exists() and alive.exists()


FIX = os.path.join(os.path.dirname(__file__), "fixtures")


def test_import_wof_checkout_folder(db):
    from pathlib import Path

    counts = import_files([Path(FIX) / "wof-repo"], db_path=db)
    assert counts["places_added"] == 2  # the deprecated locality is dropped, regions are no places
    gaz = Gazetteer(db)
    [p] = gaz.lookup("Ayn Testa")
    assert p.country_code == "SY" and p.a1code == "10" and p.admin2 and p.admin3 and p.pcode.startswith("SY")
    assert gaz.lookup("عين تستا")
    assert not gaz.lookup("Gone Twice")
    again = import_files([Path(FIX) / "wof-repo"], db_path=db)
    assert again["places_updated"] == 2 and again["places_added"] == 0


def test_import_real_wof_snapshot(tmp_path, db):
    from pathlib import Path

    raw = Path(__file__).parent.parent / ".." / "shared" / "data" / "gazetteer" / "wof-raw"
    tars = sorted(raw.glob("*.tar.gz")) if raw.is_dir() else []
    if not tars:
        pytest.skip("../shared/data/gazetteer/wof-raw absent")
    counts = import_files([tars[0]], db_path=db)
    assert counts["places_added"] > 5000
    assert Gazetteer(db).lookup("Khan Shaykhun")


def test_cli_import_wof_not_a_checkout(tmp_path, db):
    (tmp_path / "empty").mkdir()
    res = CliRunner().invoke(gazetteer_app, ["import", str(tmp_path / "empty"), "--db", str(db)])
    assert res.exit_code == 2 and "Traceback" not in res.output and "Who's On First" in res.output
