"""Weak evidence of where a report comes from: it only decides between homonyms that the places
named in words leave tied, and tells the province or city of a report whose county stays unknown.

- telephone area codes (区号) in contact lines, "(0595)22xxxxxx", "0755-8xxxxxxx": the cities
  they serve (seeds/area_codes.csv, from libphonenumber's data);
- a county's short name where a name stands ("来源:福田政府在线", "福田发布") confirms the
  homonym under 福田区; short names running into other words ("平安建设") are not read;
- neighbouring townships: another township of a county named in the text confirms a homonym
  township of that county where the pair is rare enough not to meet by chance (和平街道 in 20
  counties + 车站街道 in 11 lie together in one; 大同镇 in 10 + 城关镇 in 82 may well meet), and a
  township of a county confirms the county (names found in many counties, 城关镇, tell nothing);
- the superior a township names (区委/县委/旗委, or only 市委): the kind of county above it.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from fazhi.normalise.chars import CJK_CLASS
from fazhi.place.evidence import Evidence
from fazhi.place.gazetteer import (
    Mention,
    gazetteer,
    is_township_code,
    name_index,
    place_of,
    short_name,
    townships,
)
from fazhi.rules import read_seed

# an area code before a local number of 7-8 digits (or a 5-digit service number: 0595-12345);
# not a digit or a dash before it (index numbers 2024-00123), not a digit after
PHONE = re.compile(
    r"(?<![\d\-－—])(?:[（(](0\d{2,3})[)）]|(0\d{2,3})(?:[-－—–]|[ \u3000]))[ \u3000]?(?:[2-9]\d{6,7}|1\d{4})(?!\d)"
)
# a county's short name stands as a name before these (福田政府在线, 福田发布, 福田融媒)
STEM_FOLLOWERS = re.compile(r"政府在线|人民政府|政府网|政府|政务|发布|融媒|新闻")
LABEL_VALUE = re.compile(r"(?:来源|发布机构|发布单位|信息来源|文章来源)[:：|]?")
SUPERIOR = re.compile(r"(区|县|旗|市)(?:委|人民政府|政府)")
WEIGHT = 0.5  # each kind of clue, once
# a township name found in more counties than this (城关镇: hundreds) tells no county apart
MOST_HOMONYMS = 5
# a homonym township and a neighbour of it tell its county when (homonyms of the one) x (homonyms
# of the other) stays under this: with ~2,800 counties, under one chance in ten to meet by chance
CHANCE_PAIRS = 280
_CJK = re.compile(f"[{CJK_CLASS}]")


@lru_cache(maxsize=1)
def area_code_places() -> dict[str, tuple[str, ...]]:
    """Area code -> the places (GB/T 2260 codes) it serves."""
    places = gazetteer()
    out: dict[str, list[str]] = defaultdict(list)
    for row in read_seed("area_codes.csv"):
        if row["adcode"] not in places:
            raise ValueError(f"seeds/area_codes.csv: {row['area_code']} names unknown place {row['adcode']!r}")
        out[row["area_code"]].append(row["adcode"])
    return {code: tuple(ids) for code, ids in out.items()}


def area_codes(text: str) -> list[str]:
    """The known area codes of the telephone numbers written in a text, in order, each once."""
    table = area_code_places()
    found = []
    for m in PHONE.finditer(text):
        code = m.group(1) or m.group(2)
        if code[1] in "12":  # 010, 02x are three digits: 0101 is 010 + a number
            code = code[:3]
        if code in table and code not in found:
            found.append(code)
    return found


@lru_cache(maxsize=1)
def county_stems() -> dict[str, tuple[str, ...]]:
    """Short name of a county or district (福田 of 福田区) -> the county-level places so called."""
    out: dict[str, set[str]] = defaultdict(set)
    for pid, p in gazetteer().items():
        if p.level in ("county", "district") and p.adcode:
            stem = short_name(p.name)
            if 2 <= len(stem) < len(p.name):
                out[stem].add(pid)
    return {stem: tuple(sorted(ids)) for stem, ids in out.items()}


def _stems_named(text: str, spans: list[tuple[int, int]]) -> set[str]:
    """County-level ids whose short name stands as a name: before a follower word, or opening a
    source label's value; never inside a longer name already read."""
    stems = county_stems()
    inside = [False] * (len(text) + 1)
    for a, b in spans:
        inside[a:b] = [True] * (b - a)
    found: set[str] = set()
    ends = [m.start() for m in STEM_FOLLOWERS.finditer(text)]
    starts = [m.end() for m in LABEL_VALUE.finditer(text)]
    for end in ends:
        for size in (4, 3, 2):
            start = end - size
            at_word_start = start == 0 or start in starts or not _CJK.match(text[start - 1])
            if start >= 0 and at_word_start and text[start:end] in stems and not any(inside[start:end]):
                found.update(stems[text[start:end]])
                break
    for start in starts:
        for size in (4, 3, 2):
            stem = text[start:start + size]
            if stem in stems and not any(inside[start:start + size]):
                found.update(stems[stem])
                break
    return found


def superior_word(text: str) -> str | None:
    """The kind of county a township report names above itself: 区 or 县/旗 when it speaks of one
    and not the other; 市 when it speaks only of a 市委/市政府 (a county-level city)."""
    words = Counter(m.group(1) for m in SUPERIOR.finditer(text))
    county_words = {w for w in ("区", "县", "旗") if words[w]}
    if len(county_words) == 1:
        return county_words.pop()
    return "市" if not county_words and words["市"] else None


@dataclass(frozen=True, slots=True)
class Clues:
    area_places: frozenset[str]  # places the area codes serve
    stems: frozenset[str]  # county-level places whose short name stands as a name
    townships_under: dict[str, frozenset[str]]  # county code -> township names of it mentioned
    superior: str | None  # 区 | 县 | 旗 | 市: the kind of county a township names above itself
    # county code -> every township name of it mentioned, with how many counties bear that name
    neighbours_under: dict[str, dict[str, int]] | None = None

    def score(self, pid: str, chain: list[str]) -> float:
        """The weak support of candidate `pid` (with its ancestors `chain`)."""
        ids = {pid, *chain}
        s = WEIGHT * bool(ids & self.area_places) + WEIGHT * bool(ids & self.stems)
        if is_township_code(pid):
            t = townships()[pid]
            homonyms = len(name_index().by_name.get(t.name, ()))
            neighbours = (self.neighbours_under or {}).get(t.parent_adcode, {})
            s += WEIGHT * any(n != t.name and homonyms * k <= CHANCE_PAIRS for n, k in neighbours.items())
            parent = gazetteer().get(t.parent_adcode)
            if self.superior and parent and parent.name.endswith(self.superior):
                s += WEIGHT
        elif self.townships_under.get(pid):
            s += WEIGHT
        return s


def gather_clues(text: str, spaced_text: str, all_mentions: list[Mention]) -> Clues:
    """The clues of a (compacted) text; telephone numbers are read in `spaced_text`, before
    spaces were removed ("0595 22xxxxxx")."""
    places = area_code_places()
    under: dict[str, set[str]] = defaultdict(set)
    neighbours: dict[str, dict[str, int]] = defaultdict(dict)
    for m in all_mentions:
        for pid in m.ids:
            if is_township_code(pid):
                neighbours[townships()[pid].parent_adcode][m.name] = len(m.ids)
                if len(m.ids) <= MOST_HOMONYMS:
                    under[townships()[pid].parent_adcode].add(m.name)
    return Clues(
        area_places=frozenset(pid for code in area_codes(spaced_text) for pid in places[code]),
        stems=frozenset(_stems_named(text, [(m.start, m.end) for m in all_mentions])),
        townships_under={k: frozenset(v) for k, v in under.items()},
        superior=superior_word(text),
        neighbours_under=dict(neighbours),
    )


def region(cands: list[str], key: Callable[[str], tuple[float, float]],
           year: int | None) -> tuple[str | None, str | None]:
    """The province and city of undecided homonyms, where the best supported ones share them."""
    if not cands:
        return None, None
    keys = {c: key(c) for c in cands}
    best = max(keys.values())
    top = [place_of(c, year) for c in cands if keys[c] == best]
    provinces = {p.province for p in top}
    cities = {p.city for p in top}
    province = provinces.pop() if len(provinces) == 1 else None
    return province, (cities.pop() if province and len(cities) == 1 else None)


# how a report speaks of the province above it: as a province, or as a province-level city
SPEAKS_OF_PROVINCE = re.compile(r"全省|省委|省政府|省级|本省|我省|省[^,，。;；\n]{1,8}?厅")
SPEAKS_OF_MUNICIPALITY = re.compile(r"全市|市委|市政府|市级|本市|我市|市[^,，。;；\n]{1,6}?局")


def text_region(all_mentions: list[Mention], ev: Evidence, clues: Clues | None,
                year: int | None, own_names: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    """The province (and city) of a report whose jurisdiction is unknown: the one that every place it
    names (outside citations), every telephone area code and every organ credit code lies in, one
    of them lying in it alone, where the text also speaks of a province above it (全省/省委;
    全市/市委 for 北京市 ...) or names that province itself as its own (`own_names`: names not
    said of a place the report visits or works with)."""
    provinces: list[set[str]] = []
    cities: list[set[str]] = []
    for ids in [m.ids for m in all_mentions if not ev.cited(m.start, m.end)] + [
            (pid,) for pid in (clues.area_places if clues else ())] + [
            (d,) for d in ev.credit_divisions if d in gazetteer()]:
        places = [place_of(pid, year) for pid in ids]
        provinces.append({p.province for p in places if p.province})
        cities.append({p.city or p.name for p in places if p.level not in ("national", "province")})
    provinces = [s for s in provinces if s]
    alone = {next(iter(s)) for s in provinces if len(s) == 1}
    if len(alone) != 1:
        return None, None
    province = alone.pop()
    speaks = SPEAKS_OF_MUNICIPALITY if province.endswith("市") else SPEAKS_OF_PROVINCE
    if not all(province in s for s in provinces) or not (speaks.search(ev.text) or province in own_names):
        return None, None
    cities = [s for s in cities if s]
    city = {next(iter(s)) for s in cities if len(s) == 1}
    if len(city) == 1 and all(city <= s for s in cities) and SPEAKS_OF_MUNICIPALITY.search(ev.text):
        return province, city.pop()
    return province, None
