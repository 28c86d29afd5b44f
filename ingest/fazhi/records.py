"""Small typed records passed between the pipeline stages."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Literal, get_args

# The closed vocabularies of the warehouse (the dbt tests accept exactly these values).
Qualifier = Literal["exact", "approx", "at_least", "at_most"]
Scope = Literal["total", "subunit", "other_period", "other"]
IssuerKind = Literal["government", "department", "other"]
Script = Literal["simplified", "traditional"]
JurisdictionStatus = Literal["resolved", "ambiguous", "unresolved"]

QUALIFIERS: tuple[Qualifier, ...] = get_args(Qualifier)
SCOPES: tuple[Scope, ...] = get_args(Scope)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its measure word, as read from a (normalised) text.

    `start`/`end` cover the whole surface (qualifiers and unit included);
    `num_start`/`num_end` cover the numeral only, for highlighting.
    """

    surface: str
    value: float
    unit: str  # measure word in simplified script: 件, 宗, 份, 人次, 场, 元, %, ...
    qualifier: Qualifier
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
    qualifier: Qualifier
    scope: Scope
    scope_reason: str
    evidence: str
    char_start: int
    char_end: int
    value_start: int
    value_end: int
    confidence: float
    cue: str
    section: str = ""
    source: str = "prose"  # prose | table: read from a sentence, or from a table cell
    template_version: str | None = None  # the standard template the cell belongs to (2019 | 2021)
    page: int | None = None  # 1-based page of char_start in a paged source (PDF, DOCX, scan)

    def __reduce__(self):
        # pickled as its field values (every candidate travels from an ingest worker to the
        # parent): half the work of the default, a dict of the slots per candidate
        return Candidate, _candidate_values(self)


_candidate_values = attrgetter(*(f.name for f in fields(Candidate)))


@dataclass(frozen=True, slots=True)
class TableCell:
    """One cell of a table. `start`/`end` are offsets in the text the table was found in (an empty
    cell has start == end: where it would be). `row`/`col` are -1 while the rows are unknown (a
    table flattened one cell per line); spans are 1 unless the source said otherwise (HTML)."""

    text: str
    start: int
    end: int
    row: int = -1
    col: int = -1
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class TableGrid:
    """A table: its cells in reading order and how it reached us. `layout` is html (structure
    read from an HTML page or a DOCX), ruled (from the rules a PDF, a scan or a Word 97 file
    draws around its cells), aligned (columns from where a PDF's or a scan's text stands), rows
    (one row per line, cells joined by |), cells (one cell per line, with pipes), lines (one cell
    per line, blank lines between) or spaced (cells apart by runs of spaces). `caption` is the
    title line above it, if any."""

    start: int
    end: int
    layout: str
    cells: tuple[TableCell, ...]
    caption: str = ""
    caption_start: int = -1


@dataclass(slots=True)
class ReportMeta:
    title: str | None = None
    issuer: str | None = None
    issuer_kind: IssuerKind = "government"
    doc_number: str | None = None
    index_number: str | None = None
    published_on: str | None = None  # ISO date
    report_year: int | None = None
    script: Script = "simplified"
    addressee: str | None = None
    # where the issuer was read (label, header, signature, title, contact, opening), or why
    # there is none ("named only as 我局", "no organ named")
    issuer_basis: str | None = None


@dataclass(slots=True)
class JurisdictionMatch:
    jurisdiction_id: str | None
    name: str | None
    level: str | None
    status: JurisdictionStatus
    method: str
    candidates: list[str] = field(default_factory=list)
    # the province and city the report lies in: the resolved place's, else what the evidence
    # settles of them while the county or township stays undecided (None: unknown)
    province: str | None = None
    city: str | None = None
