"""Stage "attribute": quantities -> indicator candidates with a scope label.

Everything here works on the normalised (simplified, half-width) view; offsets are mapped
back to the original text only when a candidate is emitted.

How a quantity gets an indicator
  1. The text is cut into statements (。；！？ and line ends) and clauses (，：): see
     normalise/sentences.py.
  2. Cue phrases come from seeds/indicators.csv (+ seeds/indicator_cues.csv). A cue binds to the
     first quantity after it in its clause ("受理1661件") or to the quantity right before it
     ("30件行政处罚卷宗", "8名法律顾问"). A cue never jumps over another quantity.
  3. The domain comes from the clause and the section heading, not the keyword alone: for each
     quantity the nearest domain keyword (seeds/domain_keywords.csv) before it in its sentence,
     else the nearest section heading, decides between indicators sharing a cue
     (受理 under 行政复议 is not 受理 under 人民调解).
  4. The measure word must fit the indicator's unit (seeds/unit_compatibility.csv).

Scope (seeds/scope_cues.csv, plus a year rule): total | subunit | other_period | other.
Only totals reach marts.fct_report_indicators; the rest is kept for audit.

Confidence is a sum of explainable parts (see `_confidence`).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from fazhi.extract.zeros import zero_quantities
from fazhi.normalise import Normalised
from fazhi.normalise.sentences import CLAUSE_END_RE as CLAUSE_END
from fazhi.normalise.sentences import STATEMENT_END_RE as SENTENCE_END
from fazhi.records import Candidate, Quantity
from fazhi.rules import Catalog, Indicator, alternation, load_catalog

LIST_SEP = "、"
YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d.])")
# Section headings: 一、 / (一) / （一） / 1. / 1、 at the start of a line.
HEADING = re.compile(
    r"^[ \t]*(?:(?P<l1>[一二三四五六七八九十]{1,3}、)|(?P<l2>[(（][一二三四五六七八九十]{1,3}[)）])"
    r"|(?P<l3>\d{1,2}[.、](?!\d)))(?P<title>[^\n。；;]{0,60})",
    re.M,
)
MAX_PRE_DISTANCE = 24


@dataclass(frozen=True, slots=True)
class _Rules:
    catalog: Catalog
    cue_re: re.Pattern
    gapped_re: re.Pattern | None
    gapped_names: dict  # regex group name -> cue
    domain_re: re.Pattern
    scope_re: re.Pattern
    scope_of: dict  # marker -> (scope, window)
    self_sufficient: frozenset  # (cue, code) pairs whose cue names its own domain


@lru_cache(maxsize=2)
def _rules() -> _Rules:
    catalog = load_catalog()
    gapped = catalog.gapped_cues
    gapped_names = {f"g{i}": cue for i, cue in enumerate(gapped)}
    gap = r"[^，,。；;：:\n]{0,8}?"
    keywords = sorted(catalog.domain_keywords, key=lambda c: (-len(c), c))
    markers = sorted({m for m, _, _ in catalog.scope_cues}, key=lambda c: (-len(c), c))
    self_sufficient = set()
    for cue, codes in catalog.cue_index.items():
        for code in codes:
            domain = catalog.indicators[code].domain
            if any(d == domain and k in cue for k, d in catalog.domain_keywords.items()):
                self_sufficient.add((cue, code))
    return _Rules(
        catalog=catalog,
        cue_re=re.compile(alternation(catalog.literal_cues)),
        gapped_re=re.compile("|".join(
            f"(?P<{name}>{gap.join(map(re.escape, cue.split('*')))})" for name, cue in gapped_names.items()
        )) if gapped else None,
        gapped_names=gapped_names,
        domain_re=re.compile(alternation(keywords)),
        scope_re=re.compile(alternation(markers)),
        scope_of={m: (s, w) for m, s, w in catalog.scope_cues},
        self_sufficient=frozenset(self_sufficient),
    )


@dataclass(slots=True)
class _Doc:
    """Per-document indexes over the normalised text, built once."""

    text: str
    sentence_starts: list[int]
    clause_starts: list[int]
    cues: list[tuple[int, int, str]]
    cue_starts: list[int]
    domains: list[tuple[int, str]]
    domain_starts: list[int]
    headings: list[tuple[int, int, str]]  # (start, level, title)
    heading_starts: list[int]
    titles: list[tuple[int, int]]  # 《...》 spans: cues and markers inside a title are names
    quotes: list[tuple[int, int]]  # “...” spans: markers inside quotes are names
    quantity_starts: list[int]
    number_starts: frozenset[int]  # where a quantity's numeral begins
    quantity_ends: list[int]


TITLE_SPAN = re.compile(r"《[^《》\n]{0,80}》")
QUOTE_SPAN = re.compile(r"“[^“”\n]{0,60}”")


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_right(spans, (start, 1 << 30)) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def _index(text: str, rules: _Rules, quantities: list[Quantity]) -> _Doc:
    sentence_starts = [0] + [m.end() for m in SENTENCE_END.finditer(text)]
    clause_starts = sorted(set(sentence_starts + [m.end() for m in CLAUSE_END.finditer(text)]))
    titles = [m.span() for m in TITLE_SPAN.finditer(text)]
    quotes = [m.span() for m in QUOTE_SPAN.finditer(text)]
    cues = [(m.start(), m.end(), m.group()) for m in rules.cue_re.finditer(text)]
    if rules.gapped_re is not None:
        cues += [(m.start(), m.end(), rules.gapped_names[m.lastgroup]) for m in rules.gapped_re.finditer(text)]
        cues.sort()
    cues = [c for c in cues if not _inside(titles, c[0], c[1])]
    domains = [(m.start(), rules.catalog.domain_keywords[m.group()]) for m in rules.domain_re.finditer(text)]
    headings = []
    for m in HEADING.finditer(text):
        level = 1 if m.group("l1") else 2 if m.group("l2") else 3
        headings.append((m.start(), level, m.group("title")))
    return _Doc(
        text=text,
        sentence_starts=sentence_starts,
        clause_starts=clause_starts,
        cues=cues,
        cue_starts=[c[0] for c in cues],
        domains=domains,
        domain_starts=[d[0] for d in domains],
        headings=headings,
        heading_starts=[h[0] for h in headings],
        titles=titles,
        quotes=quotes,
        quantity_starts=[q.start for q in quantities],
        number_starts=frozenset(q.num_start for q in quantities),
        quantity_ends=sorted(q.end for q in quantities),
    )


def _floor(starts: list[int], pos: int) -> int:
    return starts[bisect.bisect_right(starts, pos) - 1]


def _heading_domains(doc: _Doc, pos: int, rules: _Rules) -> list[str]:
    """Domains named by the headings in force at pos, innermost first."""
    i = bisect.bisect_right(doc.heading_starts, pos) - 1
    found: list[str] = []
    seen_levels: set[int] = set()
    while i >= 0 and len(seen_levels) < 3:
        _start, level, title = doc.headings[i]
        if level not in seen_levels and all(level < s for s in seen_levels):
            seen_levels.add(level)
            for m in rules.domain_re.finditer(title):
                found.append(rules.catalog.domain_keywords[m.group()])
        i -= 1
    return found


def _context_domain(doc: _Doc, sentence_start: int, pos: int, rules: _Rules) -> tuple[str | None, str]:
    """Nearest domain keyword before pos in the sentence, else from the headings."""
    i = bisect.bisect_left(doc.domain_starts, pos) - 1
    if i >= 0 and doc.domain_starts[i] >= sentence_start:
        return doc.domains[i][1], "sentence"
    heading = _heading_domains(doc, pos, rules)
    if heading:
        return heading[0], "heading"
    return None, ""


def _scope(
    doc: _Doc,
    q: Quantity,
    clause_start: int,
    sentence_start: int,
    cue_span: tuple[int, int],
    report_year: int | None,
    same_indicator_before: bool,
    prev_end: int,
    cue: str,
    default_scope: str,
    rules: _Rules,
) -> tuple[str, str]:
    """total | subunit | other_period | other, and the marker that decided it."""
    text = doc.text
    before_sentence = text[sentence_start:q.start]
    # Another year named before the number (in its sentence) -> another period.
    if report_year:
        # a count that looks like a year ("案件1942件") is a quantity, not a year
        years = [int(m.group(1)) for m in YEAR.finditer(before_sentence)
                 if sentence_start + m.start() not in doc.number_starts]
        if years and years[-1] != report_year:
            return "other_period", f"year {years[-1]}"
    # "审查重大决策事项、规范性文件、涉法文件262件": one number for several indicators.
    window = text[max(clause_start, cue_span[0]):q.start]
    if LIST_SEP in window:
        listed = {code for s, e, cue in doc.cues if cue_span[0] <= s and e <= q.start
                  for code in rules.catalog.cue_index[cue]}
        domains = {rules.catalog.indicators[c].domain for c in listed}
        if len(domains) > 1:
            return "other", "combined list"
    total_at, sub_at, sub_marker = -1, -1, ""
    clause_offset = clause_start - sentence_start
    for m in rules.scope_re.finditer(before_sentence):
        marker = m.group()
        scope, applies_to = rules.scope_of[marker]
        at = sentence_start + m.start()
        if at < cue_span[1] and at + len(marker) > cue_span[0]:
            continue  # the marker is the cue itself ("法律明白人")
        if _inside(doc.titles, at, at + len(marker)) or (
            _inside(doc.quotes, at, at + len(marker)) and text[at - 1:at + len(marker) + 1] != f"“{marker}”"
        ):
            continue  # part of a name: 《司法所法制审查工作规定》 (but “法律明白人” is the group itself)
        if applies_to == "phrase" and at < prev_end:
            continue  # it qualified an earlier number of the sentence
        if applies_to == "facility" and _counted(doc, at, at + len(marker)):
            continue  # the facilities themselves are counted: 工作站143个, 256个人民调解委员会
        in_clause = m.start() >= clause_offset
        if applies_to in ("clause", "breakdown") and not in_clause:
            continue
        if applies_to == "before_number" and len(before_sentence) - m.end() > 2:
            continue
        if scope == "total":
            total_at = m.start()
        elif scope == "subunit":
            if applies_to == "breakdown" and not same_indicator_before:
                continue  # 其中 before another indicator: a breakdown by kind, each a total
            sub_at, sub_marker = m.start(), marker
        elif scope in ("other_period", "other"):
            return scope, marker
        # scope "year" (全年, 今年以来) confirms the period and shadows 以来; it decides nothing else
    if sub_at > total_at:
        return "subunit", sub_marker
    if total_at < 0 and default_scope:
        return default_scope, f"cue {cue}"
    return "total", TOTAL_MARK if total_at >= 0 else ""


def _counted(doc: _Doc, start: int, end: int) -> bool:
    """A number right after the marker, or a count right before it (256个人民调解委员会)."""
    after = bisect.bisect_left(doc.quantity_starts, end)
    if after < len(doc.quantity_starts) and doc.quantity_starts[after] - end <= 2:
        return True
    before = bisect.bisect_left(doc.quantity_ends, start) - 1
    return before >= 0 and start - doc.quantity_ends[before] <= 3 and doc.quantity_ends[before] <= start


TOTAL_MARK = "全"
# The noun phrase after a number: up to 14 characters (a quoted name counts as one) before punctuation.
POST_PHRASE = re.compile(r"(?:“[^”\n]{0,60}”|[^，,。；;：:、\n“]){0,24}")


def _phrase_end(text: str, pos: int) -> int:
    return POST_PHRASE.match(text, pos).end()


def _candidates_for(doc: _Doc, q: Quantity, prev_end: int, rules: _Rules):
    """(indicator, cue, cue_start, cue_end, distance, position) pairs a quantity can take."""
    text = doc.text
    clause_start = _floor(doc.clause_starts, q.start)
    lo = max(clause_start, prev_end, q.start - MAX_PRE_DISTANCE)
    # cues before the number, inside its clause and after the previous quantity
    i = bisect.bisect_left(doc.cue_starts, lo)
    out = []
    while i < len(doc.cues) and doc.cues[i][0] < q.start:
        start, end, cue = doc.cues[i]
        if end <= q.start:
            for code in rules.catalog.cue_index[cue]:
                out.append((code, cue, start, end, q.start - end, "pre"))
        i += 1
    # a cue in the noun phrase right after the quantity ("30件行政处罚卷宗", "8名法律顾问"): its
    # head noun, i.e. the last cue of the phrase, names what was counted
    phrase_end = _phrase_end(text, q.end)
    j = bisect.bisect_left(doc.cue_starts, q.end)
    last = None
    while j < len(doc.cues) and doc.cues[j][0] < phrase_end:
        start, end, cue = doc.cues[j]
        if end <= phrase_end and (last is None or start >= last[1]):
            last = (start, end, cue)
        j += 1
    if last is not None:
        start, end, cue = last
        for code in rules.catalog.cue_index[cue]:
            out.append((code, cue, start, end, start - q.end, "post"))
    return out


def _rate_of(catalog: Catalog, count_code: str) -> Indicator | None:
    for ind in catalog.indicators.values():
        if ind.kind == "rate" and count_code in ind.numerator_code.split("+"):
            return ind
    return None


def _confidence(specific: bool, domain_how: str, distance: int, scope_reason: str, cue_len: int) -> float:
    """0.45 base; +0.2 cue names its own domain, +0.1 domain named in the same sentence
    (-0.1 when only a heading names it); +0.1 cue adjacent to the number (<= 4 chars);
    +0.05 long cue (>= 4 chars); +0.1 explicit jurisdiction-wide marker (全区, 全年, 共计 ...)."""
    score = 0.45
    score += 0.2 if specific else 0.0
    score += {"sentence": 0.1, "heading": -0.1}.get(domain_how, 0.0)
    score += 0.1 if distance <= 4 else 0.0
    score += 0.05 if cue_len >= 4 else 0.0
    score += 0.1 if scope_reason == TOTAL_MARK else 0.0
    return round(min(max(score, 0.05), 0.99), 2)


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
    cue: str
    section: str


def attribute(text: str, quantities: list[Quantity], report_year: int | None) -> list[Attributed]:
    """Give each quantity at most one indicator, with a scope label."""
    rules = _rules()
    catalog = rules.catalog
    zeros = zero_quantities(text)
    if zeros:
        quantities = sorted([*quantities, *zeros], key=lambda q: q.start)
        zero_code = {(z.start, z.end): catalog.zero_phrases[z.surface][0] for z in zeros}
    doc = _index(text, rules, quantities)
    out: list[Attributed] = []
    prev_end, prev_clause = 0, -1
    sentence_prev_end = 0
    seen_in_sentence: tuple[int, set[str]] = (-1, set())
    for q in quantities:
        clause_start = _floor(doc.clause_starts, q.start)
        sentence_start = _floor(doc.sentence_starts, q.start)
        if clause_start != prev_clause:
            prev_end, prev_clause = 0, clause_start
        if seen_in_sentence[0] != sentence_start:
            seen_in_sentence = (sentence_start, set())
            sentence_prev_end = 0
        options: dict[str, tuple] = {}
        found = _candidates_for(doc, q, prev_end, rules)
        if q.value == 0 and zeros and (q.start, q.end) in zero_code:
            # the phrase is its own cue
            found = [(zero_code[(q.start, q.end)], q.surface, q.start, q.end, 0, "pre")]
        for code, cue, c_start, c_end, distance, position in found:
            ind = catalog.indicators[code]
            if not catalog.unit_fits(ind, q.unit):
                # "撤销、变更……决定等占15.18%": a count cue before a share -> the matching rate
                rate = _rate_of(catalog, code) if q.unit == "%" else None
                window = text[c_end:q.start]
                if rate is None or not ("占" in window or "比例" in window):
                    continue
                ind = rate
            specific = (cue, code) in rules.self_sufficient or cue in catalog.zero_phrases
            # the domain in force where the cue and number meet (keywords inside the cue count)
            domain, how = _context_domain(doc, sentence_start, q.start if position == "pre" else c_end, rules)
            if position == "post" and domain != ind.domain:
                # "1.19万人参加习近平法治思想网络专题班学习": the phrase names its domain later
                domain, how = _context_domain(doc, sentence_start, _phrase_end(text, q.end), rules)
            if not specific and domain != ind.domain:
                continue
            rank = (
                1 if domain == ind.domain else 0,
                1 if distance <= 12 else 0,
                0 if cue in catalog.domain_keywords else 1,  # a bare name (行政复议) yields to a verb cue
                -distance if position == "pre" else -distance - 1,
                1 if specific else 0,
                len(cue),
            )
            option = (rank, ind, cue, c_start, c_end, distance, specific, how)
            held = options.get(ind.code)
            if held is None:
                options[ind.code] = option
            else:
                # one indicator, several cues: the nearest decides, any specific one vouches
                top, other = (option, held) if rank > held[0] else (held, option)
                options[ind.code] = (*top[:6], top[6] or other[6], top[7])
        best = max(options.values(), key=lambda o: o[0]) if options else None
        prev_end = q.end
        if best is None:
            sentence_prev_end = q.end
            continue
        _, ind, cue, c_start, c_end, distance, specific, how = best
        if c_start >= q.end:
            prev_end = c_end  # "6件行政复议、8件行政诉讼": the cue went with the number before it
        scope, reason = _scope(doc, q, clause_start, sentence_start, (c_start, c_end), report_year,
                               ind.code in seen_in_sentence[1], sentence_prev_end,
                               cue, catalog.cue_scope.get((cue, ind.code), ""), rules)
        seen_in_sentence[1].add(ind.code)
        sentence_prev_end = max(q.end, c_end)
        heading = _heading_domains(doc, q.start, rules)
        out.append(
            Attributed(
                indicator_code=ind.code,
                quantity=q,
                scope=scope,
                scope_reason=reason,
                evidence_start=min(clause_start, c_start),
                evidence_end=max(q.end, c_end),
                confidence=_confidence(specific, how, distance, reason, len(cue)),
                cue=cue,
                section=heading[0] if heading else "",
            )
        )
    return out


def to_candidates(attributed: list[Attributed], norm: Normalised) -> list[Candidate]:
    """Map normalised offsets to the original text and drop anything touching a garbled span."""
    out = []
    for a in attributed:
        q = a.quantity
        if not norm.is_clean(q.start, q.end):
            continue
        start, end = norm.to_original(a.evidence_start, a.evidence_end)
        v_start, v_end = norm.to_original(q.start, q.end)
        out.append(
            Candidate(
                indicator_code=a.indicator_code,
                value=q.value,
                unit=q.unit,
                qualifier=q.qualifier,
                scope=a.scope,
                scope_reason=a.scope_reason,
                evidence=norm.original[start:end],
                char_start=start,
                char_end=end,
                value_start=v_start,
                value_end=v_end,
                confidence=a.confidence,
                cue=a.cue,
                section=a.section,
            )
        )
    return out
