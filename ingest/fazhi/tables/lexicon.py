"""The table reader reads labels with the prose grammar: the lexicon's words (seeds/lexicon.csv),
the indicator frames (seeds/indicator_frames.csv) and the units, through this one adapter.

A value cell's labels are read as one clause would be: the action is the verb of the most specific
label that has one (column header, then row label, then spanning headers, then the table's
title), the object likewise (a specific noun before a generic one: 行政许可 over 申请), the domain
the object's or the verb's, else a domain word of the labels, else the table's. The grammar then
chooses the indicator (extract/grammar.py `choose`), as it would for "行政处罚1533宗".
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from fazhi.extract.grammar import Ground, Reading, choose
from fazhi.extract.words import Token, TokenIndex, scan
from fazhi.records import Quantity, TableCell
from fazhi.rules import Catalog, Grammar, Word, load_catalog, load_grammar
from fazhi.tables.labels import label_words

# what a count of each catalog unit is written in, when a table cell gives a bare number
_USUAL_MEASURE_WORD = {"case": "件", "document": "件", "person": "人", "person_time": "人次", "event": "次",
                       "item": "项", "copy": "份", "yuan": "元", "percent": "%"}
_BARE_NUMBER_UNITS = ("件", "人次", "人", "次", "元")  # tried in turn for a number no label gives a unit


@dataclass(frozen=True, slots=True)
class LabelReading:
    code: str
    words: str  # the lexicon words that named it
    cell: TableCell  # the label whose word decided (the object's, else the verb's)
    level: int  # which labels that was: 0 column header, 1 row label, 2 spanning header, 3 title


@dataclass(frozen=True, slots=True)
class Lexicon:
    catalog: Catalog
    grammar: Grammar

    def tokens(self, text: str) -> list[Token]:
        """The lexicon words of a label; a word after a negation (不予许可, 尚未审结) becomes a verb
        that blocks every indicator: the column counts the opposite."""
        words = label_words()
        out = []
        for t in scan(text, self.grammar):
            if t.role in ("action", "object", "negation") and words.negated(text[:t.start]):
                t = Token(t.start, t.end, Word(t.text, "action", "other", t.domain))
            out.append(t)
        return out

    def domains(self, text: str) -> list[str]:
        """The domains a label names, in order (行政处罚 -> enforcement, 复议 -> reconsideration)."""
        return [t.domain for t in self.tokens(text) if t.domain]

    def domain_of(self, code: str) -> str:
        return self.catalog.indicators[code].domain

    def measure_word(self, code: str) -> str:
        """The measure word a bare number is counted in: the usual one of its catalog unit."""
        return _USUAL_MEASURE_WORD.get(self.catalog.indicators[code].unit_class, "")

    def read(self, levels: Sequence[Sequence[TableCell]], table_domain: str | None, unit: str,
             value: float) -> LabelReading | None:
        """The indicator the labels of a value cell name. `levels`: the column header, the row
        labels, the spanning headers (nearest first), the titles (nearest first); of the last two,
        only the nearest label with a word of the lexicon is read."""
        action = obj = generic = None  # (token, cell, level)
        domain_word = ""
        above = False  # a spanning header or title has spoken
        for level, cells in enumerate(levels):
            for cell in cells:
                if above:
                    break
                tokens = self.tokens(cell.text)
                if level >= 2:
                    # only the nearest header or title that says something counts (not a table of
                    # contents further up); its noise words (数据) and neutral verbs (实施 in
                    # "行政处罚实施数量") name nothing
                    tokens = [t for t in tokens if t.cls != "other" and (
                        t.role != "action" or ("action", t.cls) in self.grammar.anchors)]
                    above = bool(tokens)
                verbs = [t for t in tokens if t.role == "action"]
                nouns = [t for t in tokens if t.role == "object"]
                anchors = [t for t in nouns if ("object", t.cls) in self.grammar.anchors]
                if action is None and verbs:
                    action = (verbs[-1], cell, level)
                if obj is None and anchors:
                    obj = (anchors[-1], cell, level)
                if generic is None and nouns:
                    generic = (nouns[-1], cell, level)
                domain_word = domain_word or next((t.domain for t in tokens if t.role == "domain"), "")
        obj = obj or generic
        decisive = obj if obj is not None and ("object", obj[0].cls) in self.grammar.anchors else action or obj
        if decisive is None:
            return None
        domain, how = _domain(action, obj, domain_word, table_domain)
        text = decisive[1].text
        reading = Reading(action[0] if action else None, obj[0] if obj else None, domain, how, -1, (), (),
                          0, 0, 0, table_domain or "")
        ground = Ground(text, TokenIndex(self.tokens(text)), self.catalog, self.grammar)
        for measure in (unit,) if unit else _BARE_NUMBER_UNITS:
            q = Quantity("", value, measure, "exact", len(text), len(text), len(text), len(text))
            for choice in choose(ground, reading, q):
                code = choice.indicator.code
                if table_domain is None or self.domain_of(code) == table_domain:
                    words = ">".join(t[0].text for t in (obj, action) if t is not None)
                    return LabelReading(code, words, decisive[1], decisive[2])
        return None

    def joins(self, left: str, right: str) -> bool:
        """Two fragments of one header cell that a line break split: a word of the lexicon runs
        across the break ("直接" + "纠错"), or a bare verb is followed by a generic noun
        ("新收" + "案件")."""
        both = self.tokens(left + right)
        if any(t.start < len(left) < t.end for t in both):
            return True
        head = [t for t in both if t.end <= len(left)]
        tail = [t for t in both if t.start >= len(left)]
        return (bool(head) and all(t.role == "action" for t in head) and sum(t.end - t.start for t in head) == len(left)
                and len(tail) == 1 and tail[0].role == "object" and tail[0].end - tail[0].start == len(right)
                and ("object", tail[0].cls) not in self.grammar.anchors)


def _domain(action, obj, domain_word: str, table_domain: str | None) -> tuple[str, str]:
    if obj is not None and obj[0].domain:
        return obj[0].domain, "object"
    if action is not None and action[0].domain:
        return action[0].domain, "action"
    if domain_word:
        return domain_word, "sentence"
    return table_domain or "", "heading"


@lru_cache(maxsize=2)
def lexicon() -> Lexicon:
    return Lexicon(load_catalog(), load_grammar())
