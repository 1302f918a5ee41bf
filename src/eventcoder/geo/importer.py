"""Merge full GeoNames dumps into the gazetteer index.

Accepted files (plain ``.txt`` or a ``.zip`` holding the ``.txt`` of the same name), recognised by
their name or, failing that, by their column count:

- a geoname table: ``allCountries.txt``, a country file such as ``SY.txt``, ``cities500.txt``
  (19 tab-separated columns: geonameid, name, asciiname, alternatenames, latitude, longitude,
  feature class, feature code, country code, cc2, admin1..admin4 codes, population, ...);
- ``admin1CodesASCII.txt`` (``SY.01<TAB>name<TAB>asciiname<TAB>geonameid``);
- ``admin2Codes.txt`` (``SY.01.12345<TAB>name<TAB>asciiname<TAB>geonameid``);
- ``alternateNamesV2.txt`` / ``alternateNames.txt`` (alternateNameId, geonameid, isolanguage,
  alternate name, isPreferred, isShort, isColloquial, isHistoric, from, to);
- a Who's On First checkout: a ``whosonfirst-data-admin-XX`` folder (``data/**/*.geojson``) or its
  ``.tar.gz``; its localities are cleaned as the packaged ones are (:mod:`.wof`).

Places already in the index (same geonameid) are updated, new ones added; ACLED spellings of the
Syrian and Iraqi governorates are kept.
"""
from __future__ import annotations

import io
import sqlite3
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .gazetteer import _Builder, admin2_countries, default_path, get_gazetteer, reset_gazetteer

SKIP_LANGS = {"link", "post", "iata", "icao", "faac", "fr_1793", "abbr", "wkdt", "unlc", "tcid", "phon",
              "piny"}


class ImportError_(ValueError):
    """A user-facing problem with an input file (one line, no traceback)."""


def _lines(path: Path) -> Iterator[str]:
    if path.suffix.lower() == ".zip":
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise ImportError_(f"{path}: not a zip file") from exc
        members = [n for n in zf.namelist() if n.endswith(".txt") and not n.lower().startswith("readme")]
        if not members:
            raise ImportError_(f"{path}: no .txt file inside")
        with zf.open(members[0]) as fh:
            for line in io.TextIOWrapper(fh, encoding="utf-8"):
                yield line
        return
    with open(path, encoding="utf-8") as fh:
        yield from fh


def detect_kind(path: Path) -> str:
    """'wof', 'geonames', 'admin1', 'admin2' or 'alternates' from the file name or the first data line."""
    name = path.name.lower()
    if path.is_dir() or name.endswith((".tar.gz", ".tgz", ".tar")):
        return "wof"
    if name.startswith("admin1codes"):
        return "admin1"
    if name.startswith("admin2codes"):
        return "admin2"
    if name.startswith("alternatenames"):
        return "alternates"
    for line in _lines(path):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 19:
            return "geonames"
        if len(cols) in (8, 10) and cols[0].isdigit() and cols[1].isdigit():
            return "alternates"
        if len(cols) == 4 and "." in cols[0]:
            return "admin2" if cols[0].count(".") == 2 else "admin1"
        break
    raise ImportError_(f"{path}: not a GeoNames dump this importer knows (geoname table, admin1CodesASCII, "
                       "admin2Codes, alternateNamesV2)")


def import_files(paths: list[Path], db_path: Path | None = None,
                 countries: set[str] | None = None) -> dict[str, int]:
    """Merge GeoNames dumps into the index at ``db_path`` (built first if missing). Returns counts."""
    for p in paths:
        if not Path(p).exists():
            raise ImportError_(f"{p}: no such file")
    db_path = Path(db_path or default_path())
    if not db_path.is_file():
        from .gazetteer import build

        build(db_path)
    kinds = [(Path(p), detect_kind(Path(p))) for p in paths]
    order = {"admin1": 0, "admin2": 1, "wof": 2, "geonames": 3, "alternates": 4}
    kinds.sort(key=lambda pk: order[pk[1]])
    con = sqlite3.connect(db_path)
    counts = {"places_added": 0, "places_updated": 0, "admin_units": 0, "names": 0}
    try:
        b = _Builder(con)
        for path, kind in kinds:
            getattr(_Importer(con, b, counts, countries, path.name), kind)(path)
            b.flush()
        con.execute("INSERT OR REPLACE INTO meta VALUES('imported', "
                    "coalesce((SELECT value FROM meta WHERE key='imported') || '|', '') || ?)",
                    (",".join(p.name for p, _ in kinds),))
        con.commit()
    finally:
        con.close()
    reset_gazetteer()
    return counts


class _Importer:
    def __init__(self, con, builder, counts, countries, label):
        self.con, self.b, self.counts, self.countries, self.label = con, builder, counts, countries, label

    def _want(self, cc: str) -> bool:
        return not self.countries or cc in self.countries

    def admin1(self, path: Path) -> None:
        for line in _lines(path):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2 or "." not in cols[0]:
                continue
            cc, code = cols[0].split(".", 1)
            if not self._want(cc):
                continue
            # curated ACLED names win over the dump's
            if cc in admin2_countries() and self.con.execute(
                    "SELECT 1 FROM admins WHERE cc=? AND code=?", (cc, code)).fetchone():
                continue
            self.con.execute("INSERT OR REPLACE INTO admins(cc,code,level,name,capital) VALUES(?,?,1,?,"
                             "(SELECT capital FROM admins WHERE cc=? AND code=?))", (cc, code, cols[1], cc, code))
            self.counts["admin_units"] += 1

    def admin2(self, path: Path) -> None:
        for line in _lines(path):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2 or cols[0].count(".") != 2:
                continue
            cc, a1, a2 = cols[0].split(".")
            if not self._want(cc):
                continue
            self.con.execute("INSERT OR REPLACE INTO admins(cc,code,level,name,capital) VALUES(?,?,2,?,NULL)",
                             (cc, f"{a1}.{a2}", cols[1]))
            self.counts["admin_units"] += 1

    def geonames(self, path: Path) -> None:
        admin2 = {(cc, code): name for cc, code, name in
                  self.con.execute("SELECT cc, code, name FROM admins WHERE level=2")}
        for n, line in enumerate(_lines(path), 1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 19:
                if line.strip():
                    raise ImportError_(f"{path}:{n}: expected 19 tab-separated columns, found {len(cols)}")
                continue
            gid, name, ascii_name, alts, lat, lon, fclass, fcode, cc = cols[:9]
            a1, a2, a3 = cols[10], cols[11], cols[12]
            if not self._want(cc):
                continue
            if fclass not in ("P", "A", "S", "L", "T", "H", "R", "V") or fclass == "A" and fcode in ("PCLI", "PCL"):
                continue
            try:
                gid_i, lat_f, lon_f = int(gid), float(lat), float(lon)
                pop = int(cols[14] or 0)
            except ValueError as exc:
                raise ImportError_(f"{path}:{n}: bad number ({exc})") from exc
            level = {"ADM1": 1, "ADM2": 2}.get(fcode, 0) if fclass == "A" else 0
            names = [name, ascii_name, *(alts.split(",") if alts else [])]
            row = self.con.execute("SELECT id FROM places WHERE gid=?", (gid_i,)).fetchone()
            a2name = admin2.get((cc, f"{a1}.{a2}"), "") if a2 else ""
            if row:
                self.con.execute("UPDATE places SET name=?, lat=?, lon=?, cc=?, a1=?, a2=coalesce(nullif(?, ''), a2),"
                                 " feature=?, population=max(population, ?) WHERE id=?",
                                 (name, lat_f, lon_f, cc, a1, a2name, f"{fclass}.{fcode}", pop, row[0]))
                self.b.add_names(row[0], names)
                self.counts["places_updated"] += 1
            else:
                if level == 1 and self.con.execute(
                        "SELECT 1 FROM places WHERE cc=? AND a1=? AND level=1", (cc, a1)).fetchone():
                    continue  # the curated admin1 entry stays
                self.b.add_place(name=name, lat=lat_f, lon=lon_f, cc=cc, a1=a1, a2=a2name, admin3=a3,
                                 feature=f"{fclass}.{fcode}", population=pop,
                                 source=f"import:{self.label}:geonames:{gid_i}", gid=gid_i, level=level,
                                 aliases=names[1:])
                self.counts["places_added"] += 1
            if len(self.b.names) > 200_000:
                self.b.flush()

    def wof(self, path: Path) -> None:
        from collections import defaultdict

        from .wof import add_subdistricts, admin_refs, clean, decode_names, encode_names, feature_of, read_wof_repo

        by_cc: dict[str, list] = defaultdict(list)
        try:
            for cc, rec in read_wof_repo(path):
                if cc and self._want(cc):
                    by_cc[cc].append(rec)
        except (OSError, ValueError, KeyError, tarfile.TarError) as exc:
            raise ImportError_(f"{path}: not a readable Who's On First checkout ({exc})") from exc
        if not by_cc:
            raise ImportError_(f"{path}: no Who's On First localities (data/**/*.geojson) found")
        refs = admin_refs()
        by_wof = {int(src.rsplit(":", 1)[1]): pid for pid, src in self.con.execute(
            "SELECT id, source FROM places WHERE source LIKE 'wof:%' OR source LIKE 'import:%:wof:%'")}
        for cc, recs in by_cc.items():
            recs = clean(recs, cc, ref=refs[cc])
            add_subdistricts(cc, recs, refs[cc])
            for r in recs:
                names = decode_names(encode_names(r))
                row = self.con.execute("SELECT id FROM places WHERE gid=?", (r.gid,)).fetchone() if r.gid else None
                if row is None and r.id in by_wof:
                    row = (by_wof[r.id],)
                if row:
                    pid = row[0]
                    self.con.execute("UPDATE places SET a1=coalesce(nullif(?, ''), a1), a2=coalesce(nullif(?, ''), a2),"
                                     " admin3=coalesce(nullif(?, ''), admin3), pcode=coalesce(nullif(?, ''), pcode)"
                                     " WHERE id=?", (r.a1, r.a2, r.a3, r.pcode, pid))
                    self.counts["places_updated"] += 1
                else:
                    pid = self.b.add_place(name=r.name, lat=r.lat, lon=r.lon, cc=cc, a1=r.a1, a2=r.a2, admin3=r.a3,
                                           feature=feature_of(r), population=r.pop, gid=r.gid, pcode=r.pcode,
                                           source=f"import:{self.label}:wof:{r.id}")
                    self.counts["places_added"] += 1
                self.b.names.update((k, pid, pl) for pl, k in names)
                if len(self.b.names) > 200_000:
                    self.b.flush()

    def alternates(self, path: Path) -> None:
        ids = dict(self.con.execute("SELECT gid, id FROM places WHERE gid IS NOT NULL"))
        for n, line in enumerate(_lines(path), 1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4:
                if line.strip():
                    raise ImportError_(f"{path}:{n}: expected at least 4 tab-separated columns")
                continue
            if cols[2] in SKIP_LANGS:
                continue
            try:
                pid = ids.get(int(cols[1]))
            except ValueError as exc:
                raise ImportError_(f"{path}:{n}: bad geonameid {cols[1]!r}") from exc
            if pid is None:
                continue
            before = len(self.b.names)
            self.b.add_names(pid, [cols[3]])
            self.counts["names"] += len(self.b.names) - before
            if len(self.b.names) > 200_000:
                self.b.flush()


def info(db_path: Path | None = None) -> dict:
    """Counts and path of the index (building it if missing)."""
    if db_path is None:
        return get_gazetteer().stats()
    from .gazetteer import Gazetteer

    return Gazetteer(db_path).stats()
