"""Zeros stated in words: a negation (未收到, 没有发生, 无, 零) and the object it denies.

They are read as quantities of 0 (the phrase is the evidence) and attributed by the clause grammar
like any number, so a zero only becomes a fact where the denied object names a whole indicator
(未收到政府信息公开申请, 无行政败诉): the object must follow in the same clause with nothing
narrowing it in between (因…, 涉…, 关于…, a number), and 无/零 deny only the word right after them.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from fazhi.extract.grammar import Ground, Reading, Window
from fazhi.extract.words import Token
from fazhi.normalise.chars import CJK_CLASS
from fazhi.records import Quantity
from fazhi.rules import Word

__all__ = ["NEGATION_START", "ZERO_MEASURE_WORD", "is_zero", "read_zero", "stated_zeros", "zero_spans"]

NARROWED = re.compile(r"因|涉|关于|针对|\d")
LIST_JOINT = re.compile(r"(?:、|和|或|及|与|以及|或者)[^，,。；;:：\d]{0,3}")  # 无A和被提起B
# where a zero can start: a negation word of the lexicon (未收到, 没有发生, 无, 零) or 未/没有 before a verb
NEGATION_START = re.compile(r"未|没有|无|零")
# 申请数为零, 败诉率为0: a count or a rate stated as nought (read like any number: 0件, 0%)
COPULA, NOUGHT = "(?:为|是)", "(?:零|0)"
STATED_ZERO = re.compile(rf"(?:(?P<rate>率)|[{CJK_CLASS}])(?:均|都|仍)?{COPULA}(?P<zero>{NOUGHT})"
                         r"(?![\d.%件次个项人份])")
STATED_ZERO_CORE = re.compile(COPULA + NOUGHT)  # what every STATED_ZERO holds, found fast
STATED_ZERO_LEAD = 2  # a STATED_ZERO starts at most this far before its core: 率均为0 (keep it in step)
REACH = 20  # a verb of negation (未收到) reaches this far to its object
WORD_REACH = 2  # 无 / 零 deny the word right after them
# the measure word a stated zero is counted in, by the unit class of its indicator
ZERO_MEASURE_WORD = {"case": "件", "document": "件", "item": "项", "event": "次", "person": "人",
                     "person_time": "人次", "copy": "份"}


def zero_spans(text: str, tokens: list[Token], clause_start: Callable[[int], int],
               clause_end: Callable[[int], int]) -> list[Quantity]:
    """Zeros stated in words: a negation (未收到, 没有发生, 无, 零) or a denied verb (未作出) and the
    object it denies, in one clause, with nothing narrowing the object in between (因…, 涉…):
    value 0, the phrase as evidence. 无 and 零 deny only the word right after them (无行政败诉)."""
    out = []
    starts = [t.start for t in tokens]
    for m in NEGATION_START.finditer(text):
        i = bisect.bisect_left(starts, m.start())
        if i >= len(tokens):
            break
        t = tokens[i]
        start = m.start()
        if t.start == start and t.role == "negation":
            pass
        elif t.start == m.end() and t.role == "action" and t.cls != "other":
            # 未作出行政处罚决定; but 2名(尚未取得执法证) is some of a counted group, not none
            if text[start - 1:start] == "尚" or re.search(r"\d", text[clause_start(start):start]):
                continue
        else:
            continue
        reach = WORD_REACH if len(t.text) == 1 else REACH
        end = clause_end(t.start)
        for j in range(i + 1, len(tokens)):
            u = tokens[j]
            if u.start >= end or u.start - t.end > reach:
                break
            if u.role == "object":
                if not NARROWED.search(text, t.end, u.start):
                    k = _head_of_compound(tokens, j)
                    head = tokens[k]
                    out.append(Quantity(text[start:head.end], 0.0, "", "exact", start, head.end, start, t.end))
                    out += _listed_zeros(text, tokens, k, end)
                break
    return out


def stated_zeros(text: str) -> list[Quantity]:
    """A count or a rate stated as nought (申请数为零, 败诉率为0): a plain 0件 / 0% for the grammar."""
    return [Quantity(m.group("zero"), 0.0, "%" if m.group("rate") else "件", "exact", m.start("zero"),
                     m.end("zero"), m.start("zero"), m.end("zero")) for m in _stated_zero_matches(text)]


def _stated_zero_matches(text: str) -> list[re.Match[str]]:
    """STATED_ZERO.finditer(text), the pattern tried only around its cores (为零, 是0) instead of
    at every character: a match starts at most STATED_ZERO_LEAD characters before its core and
    ends one after it (the look-ahead reads one more)."""
    out: list[re.Match[str]] = []
    searched_to = 0  # finditer's position: where the last match ended
    for core in STATED_ZERO_CORE.finditer(text):
        m = STATED_ZERO.search(text, max(searched_to, core.start() - STATED_ZERO_LEAD), core.end() + 1)
        if m is not None:
            out.append(m)
            searched_to = m.end()
    return out


def _listed_zeros(text: str, tokens: list[Token], k: int, end: int) -> list[Quantity]:
    """未发生被申请行政复议和被提起行政诉讼的情况: each noun listed after the first is denied too (the
    zero starts at the joint; the negation is read back from there)."""
    out = []
    while True:
        j = k + 1
        if j >= len(tokens) or tokens[j].start >= end or tokens[j].role != "object":
            return out
        if not LIST_JOINT.fullmatch(text, tokens[k].end, tokens[j].start) or \
                NARROWED.search(text, tokens[k].end, tokens[j].start):
            return out
        k = _head_of_compound(tokens, j)
        lo, hi = tokens[j].start, tokens[k].end
        out.append(Quantity(text[lo:hi], 0.0, "", "exact", lo, hi, lo, tokens[j].end))


def _head_of_compound(tokens: list[Token], i: int) -> int:
    """无行政诉讼败诉案件: the nouns written together name the last one (败诉案件); a verb written
    between them qualifies the head (行政复议纠错案件: corrected cases)."""
    while i + 1 < len(tokens) and tokens[i + 1].start == tokens[i].end:
        nxt = tokens[i + 1]
        if nxt.role == "object":
            i += 1
        elif nxt.role == "action" and i + 2 < len(tokens) and tokens[i + 2].start == nxt.end \
                and tokens[i + 2].role == "object":
            i += 2
        else:
            break
    return i


def is_zero(q: Quantity) -> bool:
    """A zero stated in words (no measure word, no digit)."""
    return q.unit == "" and q.value == 0 and not q.surface[:1].isdigit()


def read_zero(g: Ground, q: Quantity, w: Window) -> list[Reading]:
    """A zero stated in words: the negation implies the action (未收到: receive); the object denied
    is one of the nouns written together after it, the last first (无行政诉讼败诉案件: 败诉案件;
    未收到依申请公开政府信息: 政府信息, then 依申请公开)."""
    tokens = g.tokens
    found = tokens.between(q.start, q.end)
    neg = found[0]
    if neg.role not in ("negation", "action"):  # a noun listed after the first denied one
        back = [t for t in tokens.between(w.clause_start, q.start) if t.role == "negation"]
        if not back:
            return []
        neg = back[-1]
    if neg.role == "action":  # 未作出行政处罚决定: the verb itself is denied
        action = neg
    else:
        action = Token(neg.start, neg.end, Word(neg.text, "action", neg.cls, "")) if neg.cls else None
    noun_ends = {t.end for t in found if t.role == "object"}
    inner = [t for t in found[1:] if t.role == "action" and t.cls != "other" and t.start in noun_ends]
    if inner:
        action = inner[-1]  # 没有发生行政复议纠错案件: the verb inside the noun phrase says which cases
    out = []
    for obj in reversed([t for t in found if t.role == "object"]):
        domain, how, at = obj.domain, "object", -1
        if not domain:
            named = [t for t in found if t.domain and t.start < obj.start]
            if named:
                domain, how = named[-1].domain, "object"
        if not domain:
            for t in reversed(tokens.between(w.sentence_start, q.start)):
                if t.domain:
                    domain, how, at = t.domain, "sentence", t.start
                    break
        if not domain:
            domain, how = w.heading_domain, "heading"
        out.append(Reading(action, obj, domain, how, at, (), (), q.start, w.clause_start, w.sentence_start,
                           w.heading_domain))
    return out
