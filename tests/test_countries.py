"""Country packs: packaged folders, generic packs from a country's name, user folders layered on top."""
from __future__ import annotations

import textwrap

import pytest

from eventcoder import countries
from eventcoder.countries import Admin1, Pack, all_packs, get_pack, pack_by_name, set_data_dirs


@pytest.fixture(autouse=True)
def _reset(monkeypatch):
    monkeypatch.delenv(countries.ENV_VAR, raising=False)
    set_data_dirs([])
    yield
    set_data_dirs([])


def test_packaged_syria_and_iraq():
    packs = all_packs()
    assert {"SY", "IQ"} <= set(packs)
    sy = packs["SY"]
    assert isinstance(sy, Pack) and sy.iso3 == "SYR" and sy.name == "Syria"
    assert sy.region == "Middle East" and "Syrian" in sy.demonyms
    names = {a.name for a in sy.admin1}
    assert {"Idleb", "Dara", "Deir ez Zor", "Rural Damascus"} <= names and len(names) == 14
    idleb = next(a for a in sy.admin1 if a.name == "Idleb")
    assert isinstance(idleb, Admin1) and "Idlib" in idleb.variants and idleb.capital == "Idlib"
    assert sy.actors_path is not None and sy.actors_path.name == "actors.yaml"
    assert "IQ" in sy.neighbours and not sy.generic
    assert get_pack("iq").capital == "Baghdad"


def test_generic_pack_for_any_country():
    sd = get_pack("SD")
    assert sd.name == "Sudan" and sd.iso3 == "SDN" and sd.region
    assert sd.capital == "Khartoum" and "EG" in sd.neighbours
    assert get_pack("CD").name == "Democratic Republic of Congo"   # ACLED's spelling
    assert get_pack("PS").name == "Palestine"
    for code in ("FJ", "UY", "MN", "IS"):
        pack = get_pack(code)
        assert pack.name and pack.iso2 == code and pack.region
    with pytest.raises(KeyError):
        get_pack("QQ")


def test_pack_by_name():
    assert pack_by_name("Syria").iso2 == "SY"
    assert pack_by_name("democratic republic of the congo").iso2 == "CD"
    assert pack_by_name("DR Congo").iso2 == "CD"
    assert pack_by_name("Palestinian Territory").iso2 == "PS"
    assert pack_by_name("NG").name == "Nigeria"
    assert pack_by_name("Nowhereland") is None


def _write_pack(root, code, country_yaml, actors_yaml=None):
    folder = root / "countries" / code
    folder.mkdir(parents=True)
    (folder / "country.yaml").write_text(textwrap.dedent(country_yaml), encoding="utf-8")
    if actors_yaml:
        (folder / "actors.yaml").write_text(textwrap.dedent(actors_yaml), encoding="utf-8")
    return folder


def test_made_up_country_from_user_folder(tmp_path):
    _write_pack(tmp_path, "xa", """
        iso2: XA
        iso3: XAT
        name: Atlantis
        names: [Republic of Atlantis]
        demonyms: [Atlantean]
        region: Europe
        capital: Poseidonia
        neighbours: [PT]
        admin1:
          - name: Coral Coast
            variants: [Coral Province]
            capital: Poseidonia
    """, """
        roles:
          military: {name: "Military Forces of Atlantis (2020-)"}
        actors:
          - name: "Trident Liberation Front"
            inter: 2
            aliases: [Trident Front]
    """)
    assert "XA" not in all_packs()
    set_data_dirs([tmp_path])
    pack = get_pack("XA")
    assert pack.name == "Atlantis" and pack.admin1[0].variants == ["Coral Province"]
    assert pack.actors_path == tmp_path / "countries" / "xa" / "actors.yaml"
    assert pack_by_name("Republic of Atlantis") is pack
    assert "SY" in all_packs()                     # the packaged ones stay
    set_data_dirs([])
    assert "XA" not in all_packs()


def test_environment_variable_and_layering(tmp_path, monkeypatch):
    _write_pack(tmp_path, "sy", """
        names: [Suriya]
        admin1:
          - name: Idleb
            variants: [Idlib Province Proper]
    """)
    monkeypatch.setenv(countries.ENV_VAR, str(tmp_path))
    sy = get_pack("SY")
    assert "Suriya" in sy.names and "Syrian Arab Republic" in sy.names
    idleb = next(a for a in sy.admin1 if a.name == "Idleb")
    assert "Idlib" in idleb.variants and "Idlib Province Proper" in idleb.variants
    assert len(sy.admin1) == 14 and sy.capital == "Damascus"


def test_bad_user_pack_is_a_one_line_error(tmp_path):
    folder = tmp_path / "countries" / "xb"
    folder.mkdir(parents=True)
    (folder / "country.yaml").write_text("iso2: XB\nadmin1: [\n", encoding="utf-8")
    problem = countries.check_data_dirs([tmp_path])
    assert problem and "country.yaml" in problem and "\n" not in problem
    assert countries.check_data_dirs([tmp_path / "missing"]).endswith("does not exist")


def test_actor_catalog_reads_user_pack(tmp_path, nlp):
    from eventcoder.extract.actors import ActorCoder
    from eventcoder.extract.typing import Trigger

    _write_pack(tmp_path, "xa", """
        iso2: XA
        name: Atlantis
        demonyms: [Atlantean]
    """, """
        roles:
          military: {name: "Military Forces of Atlantis (2020-)"}
        actors:
          - name: "Trident Liberation Front"
            inter: 2
            aliases: [Trident Front]
    """)
    set_data_dirs([tmp_path])
    text = "Atlantean troops fought the Trident Front near Poseidonia."
    doc = nlp(text)
    sent = next(doc.sents)
    start = text.index("fought")
    trig = Trigger("Battles", "Armed clash", start, start + 6, "fought", sent,
                   sent.start_char, sent.end_char)
    r = ActorCoder().code(trig, "Atlantis")
    assert r.actor1 == "Military Forces of Atlantis (2020-)"
    assert r.actor2 == "Trident Liberation Front"


def test_data_dir_option_for_every_command(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from eventcoder.cli import app, hoist_data_dirs

    assert hoist_data_dirs(["extract", "a.txt", "--data-dir", "d1", "--data-dir=d2"]) == \
        ["--data-dir", "d1", "--data-dir=d2", "extract", "a.txt"]
    runner = CliRunner()
    result = runner.invoke(app, ["--data-dir", str(tmp_path / "missing"), "version"])
    assert result.exit_code == 2 and "does not exist" in result.output
    _write_pack(tmp_path, "xa", "iso2: XA\nname: Atlantis\n")
    monkeypatch.setenv(countries.ENV_VAR, "")       # restored after the test
    result = runner.invoke(app, ["--data-dir", str(tmp_path), "version"])
    assert result.exit_code == 0
    assert "XA" in all_packs()          # layered for this process and its workers
