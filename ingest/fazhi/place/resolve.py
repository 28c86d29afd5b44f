"""Which jurisdiction a report is about, weighing all the evidence; never a guess.

1. The subject's name: the places named where the report names itself (title, 发布机构/来源
   labels, red header, signature, contact line) — the most specific one, the others being its
   ancestors (碧土乡 in the title beats 左贡县人民政府 in the site header); else the organ or
   place opening a clause at the start ("西兴街道始终坚持"); else the place of the report's own
   level (我县/本街道/全镇) named nearest to its self-references; else the document-number prefix;
   else the division of the organ's credit code, at the report's own level; else a gov.cn address
   that spells one place.
2. Its candidates: every place of that name alive in the report year (county-level list,
   townships, zones), or one derived under its named parent when the lists lack it.
3. Each candidate is scored by the evidence naming its ancestors anywhere in the text (weighted
   lower inside citations), the addressee line, the document number, the credit code and the web
   address; where that leaves a tie, by the weak clues of `clues`. One best candidate resolves; a
   tie is `ambiguous` with the candidates and the name kept (and the province and city they share).

A cited national document (《国务院…》, 国办发〔…〕) never makes a report national: national
bodies count only where the report names itself.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from fazhi.normalise.chars import CJK_CLASS
from fazhi.place.clues import Clues, gather_clues, region, text_region
from fazhi.place.evidence import Evidence, Statement, compact, gather
from fazhi.place.gazetteer import (
    Mention,
    Place,
    alive,
    ancestors,
    chain,
    derived_place,
    gazetteer,
    generic_places,
    is_township_code,
    mentions,
    name_index,
    place_of,
    short_name,
    townships,
)
from fazhi.place.urls import UrlEvidence, township_spelled, url_evidence
from fazhi.records import JurisdictionMatch, ReportMeta
from fazhi.rules import alternation, load_place_relations

DEPTH = {"national": 0, "province": 1, "city": 2, "county": 3, "district": 3, "development_zone": 4, "township": 5}
NAMING = ("title", "own_title", "label", "header", "signature", "contact")
ZONE = re.compile(
    rf"([{CJK_CLASS}]{{0,12}}?(?:高新技术产业开发区|经济技术开发区|高新技术开发区|经济开发区|开发区|高新区|经开区|"
    rf"工业园区|风景名胜区|风景区|新区|管理区|示范区|度假区))"
)
UNLISTED_TOWNSHIP = re.compile(
    rf"([{CJK_CLASS}]{{2,6}}?(?:街道|镇|乡))(?=办事处|人民政府|政府|党工委|党委|(?:19|20)\d\d|关于|$)"
)
GLUE = re.compile(r"^(?:.*?(?:现将|关于|结合|根据|按照))?(?:在|由|对|将|把|我|本|全|年度|年)*")
# a generic county-level name (GENERIC_NAMES: 市中区, 城区 …) is a name only where the report names
# itself with it, first and before its organ or year ("市中区人民政府关于…", "城区2023年…"); 新区 is
# left to the zones (the one county-level 新区 ceased in 2001)
GENERIC_ISSUER = re.compile(
    r"^(?:关于)?(市中区|城区|郊区|矿区|东区|西区)(?=人民政府|政府|司法局|(?:19|20)\d\d|关于|法治|依法)"
)
# a city bureau's branch for one of its districts or counties, named by its short name
# (长沙市公安局开福分局, 温州市生态环境局瓯海分局)
BRANCH = re.compile(rf"(?:局|支队)([{CJK_CLASS}]{{2,4}}?)分局")
NOT_A_NAME = re.compile(r"^(?:各|全|本|我|该|所辖|城乡|乡镇|村|年度?|关于|结合|发布机构|来源|现将)")


@dataclass(frozen=True, slots=True)
class Named:
    name: str
    ids: tuple[str, ...]  # place ids or township codes; empty: not listed (derive under a parent)
    level: str
    start: int


def _level(ids: tuple[str, ...], fallback: str, year: int | None = None) -> str:
    """The level of a named place; a name some place bore at another level in other years (潮州市,
    a county-level city until 1991, a prefecture since) takes the level in force in `year`, or
    the latest one when the year is unknown."""
    if not ids:
        return fallback
    if is_township_code(ids[0]):
        return "township"
    places = gazetteer()
    if year:
        in_force = [pid for pid in ids if alive(places[pid], year)]
    else:
        in_force = sorted(ids, key=lambda pid: -places[pid].last_year)[:1]
    return places[(in_force or ids)[0]].level


def _named_in(s: Statement, ev: Evidence, year: int | None = None) -> list[Named]:
    """The places a statement names, its citations left out; unlisted townships/zones by their form."""
    out: list[Named] = []
    text = s.text
    # an opening clause names its subject first ("西兴街道始终坚持", "A、B坚持"), not in passing
    starts = {0} if s.kind == "opening" else None
    found = mentions(text)
    if s.kind in NAMING:
        out.extend(_branch_places(s, found, year))
    generic = GENERIC_ISSUER.match(text) if s.kind in NAMING else None
    if generic and not any(m.start < generic.end(1) for m in found):
        ids = generic_places(generic.group(1))
        out.append(Named(generic.group(1), ids, "district", s.start + generic.start(1)))
    for m in found:
        if starts is not None:
            if m.start not in starts:
                continue
            starts.add(m.end)  # 深圳市福田区司法局: a chain of names from the start
        if not ev.cited(s.start + m.start, s.start + m.end):
            out.append(Named(m.name, m.ids, _level(m.ids, "county", year), s.start + m.start))
    listed_end = max((m.end for m in found), default=0)
    zone = ZONE.search(text)
    listed_ends = {m.end for m in found}
    if zone and not any(n.level == "development_zone" for n in out) and zone.end(1) not in listed_ends:
        name = GLUE.sub("", zone.group(1))
        if len(name) > 2 and name not in name_index().by_name and (starts is None or zone.start(1) in starts):
            out.append(Named(name, (), "development_zone", s.start + zone.end(1) - len(name)))
    for m in UNLISTED_TOWNSHIP.finditer(text, listed_end):
        name = m.group(1)
        if starts is not None:  # an unlisted name only where the report names itself
            continue
        if not NOT_A_NAME.search(name) and name not in name_index().by_name:
            out.append(Named(name, (), "township", s.start + m.start(1)))
    return [n for n in out if n.level != "national" or s.kind in NAMING]


@dataclass(frozen=True, slots=True)
class Relations:
    """seeds/place_relations.csv as patterns: the words before a place's name that make it another
    place than the report's (赴, 与, 学习, 原; paired assistance 对口, 帮扶 also on their own), and the
    words after it that make it the report's own again (与X县人民法院, 向X区人民政府)."""

    foreign: re.Pattern[str]
    assisted: re.Pattern[str]
    reports_to: frozenset[str]
    own_partner: re.Pattern[str]
    own_superior: re.Pattern[str]


@lru_cache(maxsize=1)
def relations() -> Relations:
    words = load_place_relations()
    return Relations(
        foreign=re.compile(f"(?:{alternation(words['foreign'] + words['assisted'] + words['reports_to'])})$"),
        assisted=re.compile(f"(?:{alternation(words['assisted'])})$"),
        reports_to=frozenset(words["reports_to"]),
        own_partner=re.compile(alternation(words["own_partner"])),
        own_superior=re.compile(alternation(words["own_superior"])),
    )


def _foreign(m: Mention, by_end: dict[int, Mention], text: str, assisted: bool = False) -> bool:
    """"赴安吉县学习", "与相邻的丁里镇联调", "与昆山市、晋江市同档": the place (or a list it closes)
    follows a word that makes it another place than the report's (`assisted`: a word of paired
    assistance)."""
    rel = relations()
    start = m.start
    while text[start - 1:start] == "、" and start - 1 in by_end and by_end[start - 1].start < start:
        start = by_end[start - 1].start
    found = (rel.assisted if assisted else rel.foreign).search(text[max(0, start - 6):start])
    if not found or rel.own_partner.match(text, m.end):
        return False
    return not (found.group() in rel.reports_to and rel.own_superior.match(text, m.end))


def _branch_places(s: Statement, found: list[Mention], year: int | None) -> list[Named]:
    """The district or county a city bureau's branch serves, under the city named before it."""
    out = []
    places = gazetteer()
    for m in BRANCH.finditer(s.text):
        cities = [pid for f in found if f.end <= m.start() for pid in f.ids
                  if pid in places and places[pid].level == "city"]
        for pid, p in places.items():
            if (p.parent_id in cities and p.level in ("county", "district") and alive(p, year)
                    and short_name(p.name) == m.group(1)):
                out.append(Named(p.name, (pid,), p.level, s.start + m.start(1)))
    return out


# "在岳阳市委、市政府的坚强领导下": a government a government's report works under is its superior,
# not itself (its own party committee, "在管店镇党委的领导下", may lead it: only the places up to a
# 政府 count, not "…和北湖区委" after it)
LEADERSHIP = re.compile(
    r"在([^，。；;,\n]{0,40}?政府)[^，。；;,\n]{0,20}?的?(?:坚强|正确|有力|精心|具体)?(?:领导|指导)下"
)


class _Support:
    """How strongly the text, the addressee, the document number and the URL name each place."""

    def __init__(self, ev: Evidence, all_mentions: list[Mention], url: UrlEvidence | None, year: int | None,
                 clues: Clues | None = None):
        self.year = year
        self.url = url
        self.clues = clues
        self.weight: Counter = Counter()
        by_end = {m.end: m for m in all_mentions}
        # (starts of) places named as others than the report's: they weigh little for a homonym
        self.foreign = {m.start for m in all_mentions if _foreign(m, by_end, ev.text)}
        self.assisted = {m.start for m in all_mentions if _foreign(m, by_end, ev.text, assisted=True)}
        led_by = [(m.start(1), m.end(1)) for m in LEADERSHIP.finditer(ev.text)]
        self.superiors = {m.start for m in all_mentions if any(a <= m.start < b for a, b in led_by)}
        for m in all_mentions:
            w = 0.5 if ev.cited(m.start, m.end) else 1.0
            if m.start in self.foreign:
                w /= 4
            for pid in m.ids:
                self.weight[pid] += w
        if ev.addressee:
            for m in mentions(ev.addressee):
                for pid in m.ids:
                    self.weight[pid] += 3
        if url:
            for pid in url.alone:
                self.weight[pid] += 3

    def add(self, ids: tuple[str, ...], w: float) -> None:
        for pid in ids:
            self.weight[pid] += w

    def score(self, pid: str) -> float:
        above = chain(pid, self.year)
        s = sum(self.weight[a] for a in above)
        if self.url:
            s += 2 * sum(1 for a in [pid, *above] if a in self.url.confirming)
            if is_township_code(pid) and township_spelled(townships()[pid].name, self.url.tokens):
                s += 1
        return s

    def key(self, pid: str) -> tuple[float, float]:
        """(support by names, weak clues): the clues only order what the names leave tied."""
        weak = self.clues.score(pid, chain(pid, self.year)) if self.clues else 0.0
        return self.score(pid), weak


def _decide(ids: tuple[str, ...], support: _Support, year: int | None) -> tuple[str | None, list[str]]:
    """One id among homonyms, by the support of their ancestors; None when nothing decides."""
    cands = list(dict.fromkeys(ids))
    if year:
        cands = [c for c in cands if alive(place_of(c, year), year)] or cands
    if len(cands) == 1:
        return cands[0], cands
    ranked = sorted(((support.key(c), c) for c in cands), reverse=True)
    if ranked[0][0] > (0.0, 0.0) and ranked[0][0] > ranked[1][0]:
        return ranked[0][1], cands
    return None, cands


def _preferred_parent(named: list[Named], support: _Support, year: int | None) -> str | None:
    """The county/district (else city) the naming statements put above an unlisted place."""
    for levels in (("county", "district"), ("city",), ("province",)):
        for n in named:
            if n.level in levels and n.ids:
                pid, _ = _decide(n.ids, support, year)
                if pid:
                    return pid
    return None


def _top_of_level(levels: tuple[str, ...], all_mentions: list[Mention], ev: Evidence, support: _Support,
                  year: int | None, government: bool = True) -> list[Named]:
    """Places of the report's own level, the one named nearest its self-references first; a place
    named as one the report visits, works with or compares itself with does not count, nor, in a
    government's own report, one it works under (a department works under its own government). A
    county-level city also says 我市: where the text names no city of its own and one county-level
    place only, a 市, that is the one."""
    count: Counter = Counter()
    first: dict[str, Mention] = {}
    skipped = support.foreign | support.superiors if government else support.foreign
    all_mentions = [m for m in all_mentions if m.start not in skipped]
    for m in all_mentions:
        if _level(m.ids, "county", year) in levels and not ev.cited(m.start, m.end):
            count[m.name] += 1
            first.setdefault(m.name, m)
    for pos, level in ev.self_positions:
        if level not in levels:
            continue
        before = [m for m in all_mentions if m.end <= pos and m.name in count and pos - m.end < 400]
        if before:
            count[before[-1].name] += 1
    if not count:  # a place is often named only in the titles of its own documents
        for m in all_mentions:
            if _level(m.ids, "county", year) in levels:
                count[m.name] += 1
                first.setdefault(m.name, m)
    if not count and "city" in levels:
        counties = {m.name: m for m in all_mentions
                    if _level(m.ids, "", year) in ("county", "district") and not ev.cited(m.start, m.end)}
        if len(counties) == 1 and next(iter(counties)).endswith("市"):
            name, m = counties.popitem()
            count[name] += 1
            first[name] = m
    if support.url:
        for pid in support.url.alone:
            p = gazetteer()[pid]
            if p.level in levels and alive(p, year):
                count[p.name] += 2
                first.setdefault(p.name, Mention(-1, -1, p.name, (pid,)))
    ranked = count.most_common()
    if not ranked:
        return []
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return [Named(n, first[n].ids, _level(first[n].ids, "county", year), first[n].start)
                for n, c in ranked if c == ranked[0][1]]
    n = ranked[0][0]
    return [Named(n, first[n].ids, _level(first[n].ids, "county", year), first[n].start)]


def _own_levels(ev: Evidence, meta: ReportMeta) -> tuple[str, ...]:
    """The report's own level from its self-references; a department reports for its government."""
    issuer = meta.issuer or ""
    # (市中区人民政府 is not a 市's organ)
    m = None if GENERIC_ISSUER.match(issuer) else re.match(r"^(省|自治区|市|州|区|县|旗|镇|乡|街道)", issuer)
    votes = Counter({k: v for k, v in ev.self_levels.items() if k != "department"})
    if m:
        votes[{"省": "province", "自治区": "province", "市": "city", "州": "city", "区": "district", "县": "county",
               "旗": "county", "镇": "township", "乡": "township", "街道": "township"}[m.group(1)]] += 3
    if not votes:
        return ()
    ranked = votes.most_common(2)
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return ()  # as much of one level as of another: no own level
    level = ranked[0][0]
    if level == "district" and re.search(r"自治区(?:人民政府|党委|主席)", ev.text):
        return ("district", "province")
    if level in ("county", "district"):
        return ("county", "district")
    if level == "city":
        return ("city", "province")  # a 直辖市 is a province-level city
    return (level,)


def _result(pid: str, year: int | None, method: str, cands: list[str]) -> tuple[JurisdictionMatch, Place]:
    p = place_of(pid, year)
    shown = [place_of(c, year).jurisdiction_id for c in cands] or [p.jurisdiction_id]
    return JurisdictionMatch(p.jurisdiction_id, p.name, p.level, "resolved", method, shown), p


def _settle(named: list[Named], support: _Support, year: int | None, method: str):
    """The most specific of the places named; the rest support it as its ancestors."""
    deepest = max(DEPTH[n.level] for n in named)
    for n in named:
        if DEPTH[n.level] < deepest:
            support.add(n.ids, 3)
    top = [n for n in named if DEPTH[n.level] == deepest]
    n = top[0]
    parent = _preferred_parent(named, support, year) if deepest > DEPTH["district"] else None
    if n.ids and parent and not any(parent in chain(c, year) for c in n.ids):
        n = Named(n.name, (), n.level, n.start)  # 宁乡市新立乡: not the 新立乡 of another county
    if n.ids:
        ids = tuple(c for c in n.ids if parent in chain(c, year)) if parent else n.ids
        pid, cands = _decide(ids, support, year)
        if pid:
            return _result(pid, year, method, cands)
        shown = [place_of(c, year).jurisdiction_id for c in cands]
        return JurisdictionMatch(None, n.name, n.level, "ambiguous", method + "_homonym", shown,
                                 *region(cands, support.key, year)), None
    if n.level == "development_zone" and n.name in ("高新区", "开发区", "经开区", "新区", "经济开发区"):
        ids = tuple(pid for pid, p in gazetteer().items() if p.level == "development_zone" and n.name in p.name)
        pid, cands = _decide(ids, support, year) if ids else (None, [])
        if pid:
            return _result(pid, year, method + "_zone", cands)
        # no listed zone of the text's places: the zone of the one city (or county) the text names
        # most, under its name (株洲市 + 高新区 -> 株洲高新区)
        parent = _best_parent(support, year)
        if parent:
            place = derived_place(short_name(gazetteer()[parent].name) + n.name, n.level, parent)
            return JurisdictionMatch(place.jurisdiction_id, place.name, n.level, "resolved",
                                     method + "_zone_derived", []), place
        return JurisdictionMatch(None, n.name, n.level, "ambiguous", method + "_zone", cands,
                                 *region(cands, support.key, year)), None
    parent = parent or _preferred_parent(named, support, year) or _best_parent(support, year)
    if parent is None:
        return JurisdictionMatch(None, n.name, n.level, "ambiguous", method + "_no_parent", []), None
    place = derived_place(n.name, n.level, parent)
    return JurisdictionMatch(place.jurisdiction_id, n.name, n.level, "resolved", method + "_derived", []), place


def _best_parent(support: _Support, year: int | None) -> str | None:
    """The county (else city) the text names most, when one stands out."""
    places = gazetteer()
    for levels in (("county", "district"), ("city",)):
        ranked = sorted(
            ((w, pid) for pid, w in support.weight.items()
             if pid in places and places[pid].level in levels and alive(places[pid], year)),
            reverse=True,
        )
        if ranked and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
            return ranked[0][1]
        if ranked:
            return None
    return None


def _doc_number_place(doc_number: str | None, support: _Support, year: int | None) -> str | None:
    """泉洛政文〔2025〕14号: the prefix abbreviates city + county (泉州 + 洛江)."""
    if not doc_number:
        return None
    prefix = re.match(rf"[{CJK_CLASS}]{{2,}}", doc_number)
    if not prefix:
        return None
    hits = tuple(pid for pid in name_index().abbreviations.get(tuple(prefix.group()[:2]), ())
                 if alive(gazetteer()[pid], year))
    pid, _ = _decide(hits, support, year) if hits else (None, [])
    return pid


def resolve(text: str, meta: ReportMeta, url: str | None = None,
            ev: Evidence | None = None) -> tuple[JurisdictionMatch, Place | None]:
    """The jurisdiction of a report, from everything its text (and web address) says; with the
    province and city it lies in, also where the county or township stays undecided."""
    spaced, text = text, compact(text)
    ev = ev or gather(text)
    year = meta.report_year
    all_mentions = mentions(text)
    support = _Support(ev, all_mentions, url_evidence(url), year, gather_clues(text, spaced, all_mentions))
    match, place = _subject(ev, meta, all_mentions, support)
    if place is not None:
        match.province, match.city = place.province, place.city
    elif match.province is None:
        near = [m for m in all_mentions if m.start not in support.assisted]  # not 对口帮扶X县's province
        own = frozenset(m.name for m in all_mentions if m.start not in support.foreign and not ev.cited(m.start, m.end))
        match.province, match.city = text_region(near, ev, support.clues, year, own)
    return match, place


def _subject(ev: Evidence, meta: ReportMeta, all_mentions: list[Mention],
             support: _Support) -> tuple[JurisdictionMatch, Place | None]:
    year = support.year
    doc_place = _doc_number_place(ev.doc_number, support, year)
    if doc_place:
        support.add(tuple(ancestors(doc_place)), 3)
    registered = [d for d in ev.credit_divisions if d in gazetteer()]
    for division in registered:  # the organ's county or city, by its credit code
        support.add(tuple(ancestors(division)), 3)
    code_place = registered[0] if len(registered) == 1 and alive(gazetteer()[registered[0]], year) else None

    naming = [n for s in ev.statements if s.kind in NAMING for n in _named_in(s, ev, year)]
    if naming:
        return _settle(naming, support, year, "issuer")
    levels = _own_levels(ev, meta)
    opening = [n for s in ev.statements if s.kind == "opening" for n in _named_in(s, ev, year)]
    if levels:
        own = [n for n in opening if n.level in levels or n.level == "development_zone"]
        # a county that says 我县 names its townships in passing ("城关镇积极推进…"): a deeper
        # place opens a clause as the subject only where the text also speaks as that level
        sure = {lv for lv, n in ev.sure_levels.items() if n}
        opening = own or ([] if sure & set(levels) else opening)
    if opening:
        first_deepest = max(DEPTH[n.level] for n in opening)
        names = Counter(n.name for n in opening if DEPTH[n.level] == first_deepest)
        best = names.most_common(1)[0][0]
        shallower = [n for n in opening if DEPTH[n.level] < first_deepest]
        return _settle([n for n in opening if n.name == best] + shallower, support, year, "opening")
    if levels:
        government = meta.issuer_kind != "department" and not ev.self_levels.get("department")
        own = _top_of_level(levels, all_mentions, ev, support, year, government)
        if len(own) == 1:
            return _settle(own, support, year, "self_reference")
        if own:
            ids = tuple(pid for n in own for pid in n.ids)
            return JurisdictionMatch(None, None, None, "ambiguous", "self_reference_tie", list(ids),
                                     *region(list(ids), support.key, year)), None
    if doc_place:
        return _result(doc_place, year, "doc_number", [doc_place])
    if code_place and (not levels or gazetteer()[code_place].level in levels):
        return _result(code_place, year, "credit_code", [code_place])
    if support.url and support.url.alone:
        cands = tuple(pid for pid in support.url.alone if alive(gazetteer()[pid], year))
        deepest = max((DEPTH[gazetteer()[c].level] for c in cands), default=0)
        cands = tuple(c for c in cands if DEPTH[gazetteer()[c].level] == deepest)
        pid, cands_ = _decide(cands, support, year) if cands else (None, [])
        if pid:
            return _result(pid, year, "url", cands_)
    return JurisdictionMatch(None, None, None, "unresolved", "none", []), None


LEVEL_WORD = {
    "province": ("省", "自治区"), "city": ("市", "州", "盟"), "district": ("区",), "county": ("县", "旗", "市"),
    "township": ("镇", "乡", "街道"), "development_zone": ("区", "管委会"),
}


def complete_issuer(meta: ReportMeta, place: Place | None) -> None:
    """区司法局 of a report resolved to 荣昌区 is 荣昌区司法局: an organ named by its level word
    alone gets the resolved place's name in front."""
    issuer = meta.issuer or ""
    if place is None or not issuer:
        return
    for word in LEVEL_WORD.get(place.level, ()):
        if issuer.startswith(word) and place.name.endswith(word) and not issuer.startswith(place.name):
            meta.issuer = place.name + issuer[len(word):]
            meta.issuer_basis = f"{meta.issuer_basis}; place from the jurisdiction"
            return
