"""Stage "attribute": quantities -> indicator candidates with a scope label.

Everything here works on the normalised (simplified, half-width) view; offsets are mapped back to
the original text only when a candidate is emitted.

How a quantity gets an indicator
  1. The text is cut into statements (。；！？ and line ends) and clauses (，：): see
     normalise/sentences.py. The lexicon words (seeds/lexicon.csv) are found once (words.py);
     a word inside 《》 is part of a title, a word inside “” part of a name (it still names a
     domain), except a quoted word alone (“法律明白人”) and the head noun ending a quoted name.
  2. The clause grammar (grammar.py) reads each quantity's action, object and domain, and an
     indicator matches when its frame (seeds/indicator_frames.csv) admits them and the measure
     word fits its unit (seeds/unit_compatibility.csv). Zeros stated in words (zeros.py) are read
     the same way.
  3. scope.py decides whether the figure is the jurisdiction's total for the report year.
Only totals reach marts.fct_report_indicators; the rest is kept for audit.

Confidence is a sum of explainable parts (see `_confidence`).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

import ahocorasick

from fazhi.extract.grammar import Choice, Ground, History, Reading, Window, choose, read_quantity
from fazhi.extract.scope import TOTAL_MARK, ScopeContext, decide, other_places, sector_organs
from fazhi.extract.words import Token, TokenIndex, scan
from fazhi.extract.zeros import NEGATION_START, ZERO_MEASURE_WORD, is_zero, read_zero, stated_zeros, zero_spans
from fazhi.normalise import Normalised
from fazhi.normalise.chars import CJK_CLASS
from fazhi.normalise.sentences import CLAUSE_END_RE, STATEMENT_END_RE
from fazhi.place.gazetteer import Place
from fazhi.records import Candidate, Quantity
from fazhi.rules import Catalog, Grammar, Organs, Word, load_catalog, load_grammar, load_organs

__all__ = ["Attributed", "attribute", "to_candidates"]

# Section headings: 一、 / (一) / （一） / 1. / 1、 at the start of a line.
HEADING = re.compile(
    r"^[ \t]*(?:(?P<l1>[一二三四五六七八九十]{1,3}、)|(?P<l2>[(（][一二三四五六七八九十]{1,3}[)）])"
    r"|(?P<l3>\d{1,2}[.、](?!\d)))(?P<title>[^\n。；;]{0,60})",
    re.M,
)
TITLE_SPAN = re.compile(r"《[^《》\n]{0,80}》")
QUOTE_SPAN = re.compile(r"“[^“”\n]{0,60}”")
# an information-disclosure annual report: its reconsideration and lawsuit counts are about disclosure
DISCLOSURE_REPORT = re.compile(r"(?:政府)?信息公开(?:工作)?年度报告|政务公开(?:工作)?年度报告")
DIGIT_IN_CLAUSE = re.compile(r"[^，,。；;:：\n]*?\d")
LIST_JOINT = "、"
KIND = re.compile(rf"[{CJK_CLASS}]{{1,8}}")  # the words naming a kind of the noun (行政许可 in 行政许可案卷)
# 由1100人增至1236人, 从56件上升到78件: a change to the next figure
CHANGED_TO = re.compile(r"(?:增|升|提高|提升|降|减少|下降|上升|增加|增长|扩大|缩减|减)(?:至|到|为)")
# a heading or short statement announcing plans: 四、2024年工作打算 / 五、存在的问题及下一步工作计划 /
# 下一步工作打算。 (a line of its own, or a statement of a few words)
PLAN_WORD = r"(?:打算|计划|思路|安排|展望|方向|重点)"
PLAN_HEADING = re.compile(
    r"(?:^|(?<=[。\n]))[ \t]*(?:[一二三四五六七八九十]{1,3}、)?[^\n。，,；;\d]{0,12}"
    r"(?:(?:19|20)\d\d年(?:度)?)?[^\n。，,；;\d]{0,8}(?:下一步|今后|来年|明年|(?:19|20)\d\d年)"
    rf"[^\n。，,；;\d]{{0,8}}{PLAN_WORD}(?=[。\n]|$)", re.M)
# the word a PLAN_HEADING ends with, right before its end (found first: see _plan_headings)
PLAN_WORD_AT_END = re.compile(rf"{PLAN_WORD}(?=[。\n]|$)", re.M)
TITLE_REACH = 300  # the title is in the first characters
FACILITY_REACH = 15  # "109个村(社区)公共法律服务工作室": a count this far before a facility counts it


@dataclass(frozen=True, slots=True)
class _Rules:
    catalog: Catalog
    grammar: Grammar
    markers: ahocorasick.Automaton  # every scope marker, for a leftmost-longest scan
    organs: Organs  # the organs of sectors: head words, the functions some carry for the whole jurisdiction


@lru_cache(maxsize=2)
def _rules() -> _Rules:
    catalog = load_catalog()
    markers = ahocorasick.Automaton()
    for marker in catalog.markers:
        markers.add_word(marker, marker)
    markers.make_automaton()
    return _Rules(catalog, load_grammar(), markers, load_organs())


@dataclass(slots=True)
class _Doc:
    """Per-document indexes over the normalised text, built once."""

    text: str
    statement_starts: list[int]
    clause_starts: list[int]
    tokens: TokenIndex
    markers: list[tuple[int, str]]  # every scope marker: (start, marker)
    heading_starts: list[int]
    top_heading_starts: list[int]  # the headings of the first level (一、)
    heading_domain: list[str]  # per heading, the domain in force under it
    titles: list[tuple[int, int]]  # 《...》 spans
    quotes: list[tuple[int, int]]  # “...” spans


@dataclass(frozen=True, slots=True)
class Attributed:
    """A candidate on the normalised text (offsets not yet mapped to the original)."""

    indicator_code: str
    quantity: Quantity
    scope: str
    scope_reason: str
    evidence_start: int
    evidence_end: int
    confidence: float
    cue: str  # the words that named it, "+"-joined (审查+规范性文件)
    section: str  # the domain of the section heading in force


def _floor(starts: list[int], pos: int) -> int:
    return starts[bisect.bisect_right(starts, pos) - 1]


def _ceil(starts: list[int], pos: int, default: int) -> int:
    i = bisect.bisect_right(starts, pos)
    return starts[i] if i < len(starts) else default


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_right(spans, (start, 1 << 30)) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def _as_name(t: Token) -> Token:
    """A word inside a quoted name (“送法入户”) still names a domain, and a noun keeps its class for
    when nothing else in the item names what is counted (开展“双随机、一公开”抽查120次)."""
    return Token(t.start, t.end, Word(t.text, "name", t.cls if t.role == "object" else "", t.domain))


def _read_spans(text: str, statement_starts: list[int], quantities: list[Quantity],
                headings: list[re.Match[str]]) -> list[tuple[int, int]]:
    """Where words matter: the statements holding a number or a negation, and the headings."""
    wanted = {_floor(statement_starts, q.start) for q in quantities}
    wanted |= {_floor(statement_starts, m.start()) for m in NEGATION_START.finditer(text)}
    spans = [(s, _ceil(statement_starts, s, len(text))) for s in wanted]
    spans += [m.span("title") for m in headings]
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _index(text: str, rules: _Rules, quantities: list[Quantity]) -> _Doc:
    statement_starts = [0] + [m.end() for m in STATEMENT_END_RE.finditer(text)]
    clause_starts = sorted(set(statement_starts + [m.end() for m in CLAUSE_END_RE.finditer(text)]))
    titles = [m.span() for m in TITLE_SPAN.finditer(text)]
    quotes = [m.span() for m in QUOTE_SPAN.finditer(text)]
    heading_matches = list(HEADING.finditer(text))
    spans = _read_spans(text, statement_starts, quantities, heading_matches)
    tokens = scan(text, rules.grammar, spans)
    starts = [t.start for t in tokens]
    dropped: set[int] = set()
    for lo, hi in titles:  # 《行政处罚法》 is a title
        i = bisect.bisect_left(starts, lo)
        while i < len(tokens) and tokens[i].end <= hi:
            dropped.add(i)
            i += 1
    for lo, hi in quotes:  # a quoted name, but not a quoted word alone or the name's head noun
        i = bisect.bisect_left(starts, lo)
        while i < len(tokens) and tokens[i].end <= hi:
            t = tokens[i]
            if text[t.start - 1:t.end + 1] != f"“{t.text}”" and not (t.role == "object" and t.end + 1 == hi):
                tokens[i] = _as_name(t)
            i += 1
    if dropped:
        tokens = [t for i, t in enumerate(tokens) if i not in dropped]
    index = TokenIndex(tokens)
    headings = []
    for m in heading_matches:
        level = 1 if m.group("l1") else 2 if m.group("l2") else 3
        named = next((t.domain for t in index.between(m.start("title"), m.end("title")) if t.domain), "")
        headings.append((m.start(), level, named))
    markers = [(lo + end - len(m) + 1, m) for lo, hi in spans for end, m in rules.markers.iter_long(text[lo:hi])]
    return _Doc(text, statement_starts, clause_starts, index, markers, [h[0] for h in headings],
                [h[0] for h in headings if h[1] == 1], _heading_domains(headings), titles, quotes)


def _heading_domains(headings: list[tuple[int, int, str]]) -> list[str]:
    """For each heading, the domain of the innermost heading in force there that names one
    (the heading itself, else its parents)."""
    out: list[str] = []
    latest: dict[int, int] = {}  # level -> index of the last heading of that level so far
    for i, (_, level, named) in enumerate(headings):
        # the parent: the nearest heading before of a higher level (a smaller number)
        parent = max((k for lv, k in latest.items() if lv < level), default=-1)
        out.append(named or (out[parent] if parent >= 0 else ""))
        latest[level] = i
    return out


def _heading_domain(doc: _Doc, pos: int) -> str:
    i = bisect.bisect_right(doc.heading_starts, pos) - 1
    return doc.heading_domain[i] if i >= 0 else ""



def _confidence(choice: Choice, how: str, distance: int, reason: str) -> float:
    """0.45 base; +0.1 per anchor word (action, object); +0.1 domain named by the object or the
    verb, +0.05 by the sentence, -0.1 only by a heading; +0.1 anchor next to the number (<= 4
    chars); +0.1 explicit jurisdiction-wide marker (全区, 共计 ...)."""
    score = 0.45 + 0.1 * choice.anchors
    score += {"object": 0.1, "modifier": 0.1, "action": 0.1, "sentence": 0.05, "discourse": 0.05,
              "heading": -0.1}.get(how, 0.0)
    score += 0.1 if distance <= 4 else 0.0
    score += 0.1 if reason == TOTAL_MARK else 0.0
    return round(min(max(score, 0.05), 0.99), 2)


def attribute(text: str, quantities: list[Quantity], report_year: int | None,
              trace: list[tuple[Quantity, Reading, list[Choice]]] | None = None,
              place: Place | None = None, issuer: str | None = None) -> list[Attributed]:
    """Give each quantity at most one indicator, with a scope label. `trace`, when given, receives
    every quantity's reading and choices (for debugging rules). `place`, the report's resolved
    jurisdiction, tells its own name from those of other places (城关镇 in a county's report);
    `issuer`, the organ the report is by, its own figures from other sectors' (县市场监管局)."""
    rules = _rules()
    taken = {q.start for q in quantities}
    stated = [z for z in stated_zeros(text) if z.start not in taken]
    if stated:
        quantities = sorted([*quantities, *stated], key=lambda q: q.start)
    doc = _index(text, rules, quantities)
    zeros = zero_spans(text, doc.tokens.tokens, lambda pos: _floor(doc.clause_starts, pos),
                       lambda pos: _ceil(doc.clause_starts, pos, len(text)))
    taken = {q.start for q in quantities}
    quantities = sorted([*quantities, *(z for z in zeros if z.start not in taken)], key=lambda q: q.start)
    starts = [q.start for q in quantities]
    ends = sorted(q.end for q in quantities)
    ctx = ScopeContext(
        text=text, tokens=doc.tokens, titles=doc.titles, quotes=doc.quotes,
        number_starts=frozenset(q.num_start for q in quantities), quantity_ends=ends,
        markers=rules.catalog.markers, marker_hits=doc.markers, marker_starts=[m[0] for m in doc.markers],
        frames=rules.grammar.frames,
        anchors=rules.grammar.anchors, inside=_inside,
        disclosure_report=DISCLOSURE_REPORT.search(text, 0, TITLE_REACH) is not None, report_year=report_year,
        counted=lambda s, e: _facility_counted(text, starts, ends, s, e, _floor(doc.clause_starts, s)),
        elsewhere=other_places(text, place), organs=sector_organs(text, issuer, rules.organs),
    )
    g = Ground(text, doc.tokens, rules.catalog, rules.grammar)
    plans = _plan_sections(text, report_year, doc.top_heading_starts)
    history = History()
    out: list[Attributed] = []
    last_choice: tuple[Quantity, Choice] | None = None  # the last quantity given an indicator, and how
    for k, q in enumerate(quantities):
        clause_start = _floor(doc.clause_starts, q.start)
        item_start = quantities[k - 1].end if k and quantities[k - 1].end > clause_start else clause_start
        last = history.last
        if last is not None and last[1].obj is not None and last[1].obj.start >= last[0].end > clause_start:
            item_start = max(item_start, last[1].obj.end)  # "6件行政复议、8件行政诉讼": that noun went with 6件
        heading = _heading_domain(doc, q.start)
        w = Window(clause_start, _ceil(doc.clause_starts, q.start, len(text)),
                   _floor(doc.statement_starts, q.start), item_start,
                   quantities[k + 1].start if k + 1 < len(quantities) else len(text), heading)
        if is_zero(q):
            for reading in read_zero(g, q, w):
                choices = choose(g, reading, q)
                if choices:
                    break
        else:
            reading = read_quantity(g, q, w, history)
            choices = choose(g, reading, q)
        if not choices and k and last_choice is not None and last_choice[0] is quantities[k - 1] and \
                CHANGED_TO.fullmatch(text, quantities[k - 1].end, q.start):
            # "由1100人增至1236人": the figure reached is what the figure it started from was;
            # the starting figure is another period's
            choices = [last_choice[1]]
            if out and out[-1].quantity is quantities[k - 1] and out[-1].scope == "total":
                out[-1] = replace(out[-1], scope="other_period", scope_reason="changed from")
        history.last = (q, reading)
        if trace is not None:
            trace.append((q, reading, choices))
        if not choices:
            history.unread.append((q, reading))
            continue
        choice = choices[0]
        last_choice = (q, choice)
        scope, reason = decide(ctx, q, choice, history)
        if scope == "total" and _inside(plans, q.start, q.end):
            scope, reason = "other_period", "plans"  # under 2024年工作打算: targets, not the year's figures
        history.prior.append((q, choice.indicator))
        history.scopes[q.start] = (scope, reason)
        if is_zero(q):
            q = replace(q, unit=ZERO_MEASURE_WORD.get(choice.indicator.unit_class, "件"))
        used = choice.reading
        anchors = [t for t in (used.action, used.obj) if t is not None]
        a_start = min(t.start for t in anchors)
        a_end = max(t.end for t in anchors)
        out.append(Attributed(
            indicator_code=choice.indicator.code, quantity=q, scope=scope, scope_reason=reason,
            evidence_start=min(clause_start, a_start), evidence_end=max(q.end, a_end),
            confidence=_confidence(choice, used.domain_how, max(0, q.start - a_end), reason),
            cue="+".join(t.text for t in anchors), section=heading,
        ))
    return _listed_parts(text, _components(text, out, doc.statement_starts, rules.catalog), doc.clause_starts,
                         doc.statement_starts)


def _plan_sections(text: str, report_year: int | None, tops: list[int]) -> list[tuple[int, int]]:
    """The sections of plans for later years: from a top heading or a short statement that
    announces them (四、2024年工作打算; 下一步工作计划。) to the next top heading (`tops`: where
    the top headings start)."""
    spans: list[tuple[int, int]] = []
    for m in _plan_headings(text):
        years = [int(y) for y in re.findall(r"(?:19|20)\d\d", m.group())]
        if (spans and m.start() < spans[-1][1]) or (report_year and years and max(years) <= report_year):
            continue  # (2023年工作重点 in the report on 2023: that year's work)
        nxt = bisect.bisect_right(tops, m.end())
        spans.append((m.start(), tops[nxt] if nxt < len(tops) else len(text)))
    return spans


def _plan_headings(text: str) -> list[re.Match[str]]:
    """PLAN_HEADING.finditer(text), without trying the pattern at every character: a match holds
    no 。 or line end and ends right before one (or the text's end), so it is a whole line or
    statement ending in a word of plans, and only those are matched."""
    out = []
    for word in PLAN_WORD_AT_END.finditer(text):
        end = word.end()
        start = max(text.rfind("。", 0, end), text.rfind("\n", 0, end)) + 1
        m = PLAN_HEADING.match(text, start, end + 1)
        if m is not None:
            out.append(m)
    return out


def _components(text: str, out: list[Attributed], statement_starts: list[int], catalog: Catalog) -> list[Attributed]:
    """"其中维持5件，撤销6件，确认违法3件": under a breakdown marker, figures of one indicator that
    recur are parts without their sum; the first of them is a part too, not the total."""
    for i, a in enumerate(out):
        marker = catalog.markers.get(a.scope_reason)
        if a.scope != "subunit" or marker is None or marker.applies_to != "breakdown":
            continue
        s0 = _floor(statement_starts, a.quantity.start)
        at = text.rfind(a.scope_reason, s0, a.quantity.start)
        if not DIGIT_IN_CLAUSE.match(text, at):
            continue  # 分别在…培训班中设置课程: the marker introduces no figures
        for j in range(i - 1, -1, -1):
            b = out[j]
            if b.quantity.start < at:
                break
            if b.indicator_code == a.indicator_code and b.scope == "total":
                out[j] = replace(b, scope="other", scope_reason="components")
    return out


def _listed_parts(text: str, out: list[Attributed], clause_starts: list[int],
                  statement_starts: list[int]) -> list[Attributed]:
    """Figures of one indicator listed one after the other are parts without their sum, none the
    total: kinds of one noun in a clause ("评查行政处罚案卷360卷、行政许可案卷210卷"), or outcomes
    each named by a verb of its own in the next clause ("撤销4件，确认违法2件")."""
    for i in range(1, len(out)):
        a, b = out[i - 1], out[i]
        if a.indicator_code != b.indicator_code or a.scope != "total" or b.scope not in ("total", "other"):
            continue
        if not (_kinds_of_one_noun(text, a, b, clause_starts) or _outcome_verbs(text, a, b, statement_starts)):
            continue
        out[i - 1] = replace(a, scope="other", scope_reason="components")
        if b.scope == "total":
            out[i] = replace(b, scope="other", scope_reason="components")
    return out


def _kinds_of_one_noun(text: str, a: Attributed, b: Attributed, clause_starts: list[int]) -> bool:
    if text[a.quantity.end:a.quantity.end + 1] != LIST_JOINT or \
            _floor(clause_starts, a.quantity.end) != _floor(clause_starts, b.quantity.start):
        return False
    noun = a.cue.rsplit("+", 1)[-1]
    at = text.find(noun, a.quantity.end, b.quantity.start)
    # (集中学习20次、专题学习6次: two series of their own, each a total)
    return noun == b.cue.rsplit("+", 1)[-1] and at >= 0 and KIND.fullmatch(text, a.quantity.end + 1, at) is not None


def _outcome_verbs(text: str, a: Attributed, b: Attributed, statement_starts: list[int]) -> bool:
    """"撤销4件，确认违法2件": one verb alone before each number, the next right after a comma."""
    return "+" not in a.cue and "+" not in b.cue and a.cue != b.cue \
        and _floor(statement_starts, a.quantity.start) == _floor(statement_starts, b.quantity.start) \
        and text[a.quantity.end:a.quantity.end + 1] in "，," \
        and text[a.quantity.end + 1:b.quantity.start] == b.cue


def _facility_counted(text: str, starts: list[int], ends: list[int], start: int, end: int,
                      clause_start: int) -> bool:
    """The facilities themselves are counted (工作站143个, 109个村公共法律服务工作室): no sub-unit."""
    i = bisect.bisect_left(starts, end)
    if i < len(starts) and starts[i] - end <= 2:
        return True
    j = bisect.bisect_left(ends, start + 1) - 1
    return j >= 0 and ends[j] >= clause_start and start - ends[j] <= FACILITY_REACH \
        and text[ends[j] - 1:ends[j]] in "个家所"


def to_candidates(attributed: list[Attributed], norm: Normalised) -> list[Candidate]:
    """Map normalised offsets to the original text and drop anything touching a garbled span."""
    out = []
    for a in attributed:
        q = a.quantity
        if not norm.is_clean(q.start, q.end):
            continue
        start, end = norm.to_original(a.evidence_start, a.evidence_end)
        v_start, v_end = norm.to_original(q.start, q.end)
        out.append(Candidate(
            indicator_code=a.indicator_code, value=q.value, unit=q.unit, qualifier=q.qualifier,
            scope=a.scope, scope_reason=a.scope_reason, evidence=norm.original[start:end],
            char_start=start, char_end=end, value_start=v_start, value_end=v_end,
            confidence=a.confidence, cue=a.cue, section=a.section,
        ))
    return out
