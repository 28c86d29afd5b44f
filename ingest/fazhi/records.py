"""Small typed records passed between the pipeline stages."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its measure word, as read from a (normalised) text.

    `start`/`end` cover the whole surface (qualifiers and unit included);
    `num_start`/`num_end` cover the numeral only, for highlighting.
    """

    surface: str
    value: float
    unit: str  # measure word in simplified script: 件, 宗, 份, 人次, 场, 元, %, ...
    qualifier: str  # exact | approx | at_least | at_most
    start: int
    end: int
    num_start: int
    num_end: int


@dataclass(slots=True)
class Candidate:
    """One quantity attributed to one indicator, with its scope label.

    Offsets refer to the ORIGINAL text; evidence == original[char_start:char_end].
    """

    indicator_code: str
    value: float
    unit: str
    qualifier: str
    scope: str  # total | subunit | other_period | other
    scope_reason: str
    evidence: str
    char_start: int
    char_end: int
    value_start: int
    value_end: int
    confidence: float
    cue: str
    section: str = ""


@dataclass(slots=True)
class ReportMeta:
    title: str | None = None
    issuer: str | None = None
    issuer_kind: str = "government"  # government | department | other
    doc_number: str | None = None
    index_number: str | None = None
    published_on: str | None = None  # ISO date
    report_year: int | None = None
    script: str = "simplified"  # simplified | traditional
    addressee: str | None = None
    # where the issuer was read (label, header, signature, title, contact, opening), or why
    # there is none ("named only as 我局", "no organ named")
    issuer_basis: str | None = None


@dataclass(slots=True)
class JurisdictionMatch:
    jurisdiction_id: str | None
    name: str | None
    level: str | None
    status: str  # resolved | ambiguous | unresolved
    method: str
    candidates: list[str] = field(default_factory=list)
