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

from fazhi.extract.words import Token
from fazhi.records import Quantity

__all__ = ["NEGATION_START", "ZERO_MEASURE_WORD", "is_zero", "zero_spans"]

NARROWED = re.compile(r"因|涉|关于|针对|\d")
# where a zero can start: a negation word of the lexicon (未收到, 没有发生, 无, 零) or 未/没有 before a verb
NEGATION_START = re.compile(r"未|没有|无|零")
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
                    head = _head_of_compound(tokens, j)
                    out.append(Quantity(text[start:head.end], 0.0, "", "exact", start, head.end, start, t.end))
                break
    return out


def _head_of_compound(tokens: list[Token], i: int) -> Token:
    """无行政诉讼败诉案件: the nouns written together name the last one (败诉案件)."""
    while i + 1 < len(tokens) and tokens[i + 1].start == tokens[i].end and tokens[i + 1].role == "object":
        i += 1
    return tokens[i]


def is_zero(q: Quantity) -> bool:
    """A zero stated in words (no measure word, no digit)."""
    return q.unit == "" and q.value == 0 and not q.surface[:1].isdigit()
