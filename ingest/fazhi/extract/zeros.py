"""Zeros stated in words: a negation (未收到, 没有发生, 无, 零) and the object it denies.

They are read as quantities of 0 (the phrase is the evidence) and attributed by the clause grammar
like any number, so a zero only becomes a fact where the denied object names a whole indicator
(未收到政府信息公开申请, 无行政败诉): the object must follow in the same clause with nothing
narrowing it in between (因…, 涉…, 关于…, a number), and 无/零 deny only the word right after them.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from fazhi.extract.words import Token
from fazhi.records import Quantity

__all__ = ["ZERO_MEASURE_WORD", "is_zero", "zero_spans"]

NARROWED = re.compile(r"因|涉|关于|针对|\d")
REACH = 20  # a verb of negation (未收到) reaches this far to its object
WORD_REACH = 2  # 无 / 零 deny the word right after them
# the measure word a stated zero is counted in, by the unit class of its indicator
ZERO_MEASURE_WORD = {"case": "件", "document": "件", "item": "项", "event": "次", "person": "人",
                     "person_time": "人次", "copy": "份"}


def zero_spans(text: str, tokens: list[Token], clause_end: Callable[[int], int]) -> list[Quantity]:
    """Zeros stated in words: a negation (未收到, 没有发生, 无, 零) and the object it denies, in one
    clause, with nothing narrowing the object in between (因…, 涉…): value 0, the phrase as evidence.
    无 and 零 deny only the word right after them (无行政败诉, 零败诉)."""
    out = []
    for i, t in enumerate(tokens):
        if t.role != "negation":
            continue
        reach = WORD_REACH if len(t.text) == 1 else REACH
        end = clause_end(t.start)
        for u in tokens[i + 1:]:
            if u.start >= end or u.start - t.end > reach:
                break
            if u.role == "object":
                gap = text[t.end:u.start]
                if not NARROWED.search(gap):
                    out.append(Quantity(text[t.start:u.end], 0.0, "", "exact", t.start, u.end, t.start, t.end))
                break
    return out


def is_zero(q: Quantity) -> bool:
    """A zero stated in words (no measure word, no digit)."""
    return q.unit == "" and q.value == 0 and not q.surface[:1].isdigit()
