"""What the table stage finds: a value cell read as an indicator, on the normalised view."""
from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class TableFact:
    indicator_code: str
    value: float
    unit: str  # measure word: 件, 宗, 元 …
    scope: str  # total | subunit | other_period | other
    scope_reason: str
    evidence_start: int  # view offsets: from the label or header that names it to the value
    evidence_end: int
    value_start: int
    value_end: int
    confidence: float
    cue: str  # the labels that named the indicator
    template_version: str | None = None  # 2019 | 2021 for a cell of the standard disclosure template

    def rescoped(self, scope: str, reason: str) -> TableFact:
        return replace(self, scope=scope, scope_reason=reason)
