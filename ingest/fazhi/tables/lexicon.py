"""What the table reader asks of the prose rules: which indicators a header or row label names,
which domain a text names, and whether a measure word fits an indicator. Table labels are read
with the very lexicons prose is read with (seeds/indicators.csv cues, seeds/indicator_cues.csv,
seeds/domain_keywords.csv, seeds/units.csv), through this one adapter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from fazhi.rules import Catalog, alternation, load_catalog
from fazhi.tables.labels import label_words

# what a count of each catalog unit is written in, when a table cell gives a bare number
_USUAL_MEASURE_WORD = {"case": "件", "document": "件", "person": "人", "person_time": "人次", "event": "次",
                       "item": "项", "copy": "份", "yuan": "元", "percent": "%"}


@dataclass(frozen=True, slots=True)
class LabelHit:
    code: str
    cue: str
    start: int  # offsets of the cue in the label
    end: int


@dataclass(frozen=True, slots=True)
class Lexicon:
    catalog: Catalog
    cue_re: re.Pattern
    domain_re: re.Pattern
    negation_re: re.Pattern | None
    own_domain: frozenset[tuple[str, str]]  # (cue, code): the cue names the indicator's domain itself

    def hits(self, text: str) -> list[LabelHit]:
        """Indicators a label names; a cue right after a negation (不予受理) names none."""
        out = []
        for m in self.cue_re.finditer(text):
            if self.negation_re is not None and self.negation_re.search(text, max(0, m.start() - 2), m.start()):
                continue
            out.extend(LabelHit(code, m.group(), m.start(), m.end()) for code in self.catalog.cue_index[m.group()])
        return out

    def domains(self, text: str) -> list[str]:
        return [self.catalog.domain_keywords[m.group()] for m in self.domain_re.finditer(text)]

    def domain_of(self, code: str) -> str:
        return self.catalog.indicators[code].domain

    def catalog_unit(self, code: str) -> str:
        return self.catalog.indicators[code].unit

    def measure_word(self, code: str) -> str:
        """The measure word a bare number in a table is counted in: the usual one of its unit."""
        return _USUAL_MEASURE_WORD.get(self.catalog_unit(code), "")

    def unit_fits(self, code: str, measure_word: str) -> bool:
        return self.catalog.unit_fits(self.catalog.indicators[code], measure_word)

    def names_own_domain(self, cue: str, code: str) -> bool:
        return (cue, code) in self.own_domain

    def joins(self, left: str, right: str) -> bool:
        """Two fragments of one header cell that a line break split: a cue runs across the break
        ("直接" + "纠错", "没收违法" + "所得")."""
        return any(m.start() < len(left) < m.end() for m in self.cue_re.finditer(left + right))


@lru_cache(maxsize=2)
def lexicon() -> Lexicon:
    catalog = load_catalog()
    literal = list(catalog.literal_cues)
    own = {(cue, code) for cue, codes in catalog.cue_index.items() for code in codes
           if any(d == catalog.indicators[code].domain and k in cue for k, d in catalog.domain_keywords.items())}
    negations = label_words().words.get("negation", ())
    return Lexicon(
        catalog=catalog,
        cue_re=re.compile(alternation(literal)),
        domain_re=re.compile(alternation(sorted(catalog.domain_keywords, key=lambda c: (-len(c), c)))),
        negation_re=re.compile(f"(?:{alternation(negations)})$") if negations else None,
        own_domain=frozenset(own),
    )
