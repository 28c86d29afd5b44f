"""Stage "tables": table cells -> indicator candidates (between quantities and attribution).

Tables reach us flattened into the text (one cell per line, `a | b | c` rows, space-aligned,
traditional script with pinyin glosses, merged header cells) or, from HTML, with their rows and
spans read before flattening. The stage works on the normalised view and maps every fact back
to the original text, so evidence == original[char_start:char_end] (a table's evidence spans
lines: from the header or label that names the value to the value).

  regions.py   table regions in the text, cut into cells with offsets (four flattenings)
  grid.py      rows × columns: header cells per column (spanning ones too), data rows, labels
  template.py  the standard 政府信息公开 template (2019, 2021) read by its labels, from seeds
  generic.py   other tables: labels matched by the prose lexicons, 合计 rows and columns, units
  lexicon.py   the one adapter to the prose grammar (its words, frames and units)
  labels.py    label keys and the role words of seeds/table_labels.csv (合计, 小计, 序号 …)
  numbers.py   the number a cell holds

The value cells of a recognised table belong to this stage: prose attribution skips numbers
inside them (`outside`), so a row such as "行政处罚 | 40件" is read once, as a table.
"""
from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace

from fazhi.extract.attribute import HEADING
from fazhi.normalise import Normalised
from fazhi.records import Candidate, Quantity, TableCell, TableGrid
from fazhi.tables.fact import TableFact
from fazhi.tables.generic import interpret
from fazhi.tables.grid import blocks, kind
from fazhi.tables.lexicon import Lexicon, lexicon
from fazhi.tables.regions import caption_before, find_tables
from fazhi.tables.template import match_templates

__all__ = ["TableFact", "TableReading", "find_tables", "outside", "read_tables", "to_candidates"]


@dataclass(frozen=True, slots=True)
class TableReading:
    facts: tuple[TableFact, ...]
    value_spans: tuple[tuple[int, int], ...]  # view spans of the number cells of every table read


def read_tables(norm: Normalised, report_year: int | None, page_tables: Sequence[TableGrid] = ()) -> TableReading:
    """Facts of the tables of one report. `page_tables` are tables whose structure the reader
    kept (HTML), with offsets into the original text; the rest are found in the text."""
    text = norm.text
    lex = lexicon()
    structured = [_in_view(t, norm) for t in page_tables]
    tables = structured + _text_tables_around(text, structured)
    tables.sort(key=lambda t: t.start)
    text_end = len(text.rstrip())
    stream = tuple(c for t in tables for c in t.cells)
    facts, used = match_templates(stream, text_end)
    headings = _Headings(text, lex)
    offset = 0
    for t in tables:
        lo, hi = offset, offset + len(t.cells)
        offset = hi
        if any(a < hi and lo < b for a, b in used):
            continue
        caption = TableCell(t.caption, t.caption_start, t.caption_start + len(t.caption)) if t.caption else None
        for block in blocks(t, text_end, lex.joins):
            facts.extend(interpret(block, caption, headings.domain_at(t.start), report_year, lex))
    spans = tuple(sorted((c.start, c.end) for c in stream if kind(c) == "N"))
    return TableReading(tuple(facts), spans)


def _text_tables_around(text: str, structured: list[TableGrid]) -> list[TableGrid]:
    """The tables found in the text outside those whose structure the reader kept: the text
    between two of them is searched on its own (a PDF table found by its columns may sit right
    above rows only its text shows, and neither may swallow the other)."""
    out: list[TableGrid] = []
    pos = 0
    for start, end in [*sorted((t.start, t.end) for t in structured), (len(text), len(text))]:
        if start > pos:
            out.extend(_shifted(t, pos) for t in find_tables(text[pos:start]))
        pos = max(pos, end)
    return out


def _shifted(table: TableGrid, by: int) -> TableGrid:
    if not by:
        return table
    cells = tuple(replace(c, start=c.start + by, end=c.end + by) for c in table.cells)
    caption_start = table.caption_start + by if table.caption_start >= 0 else -1
    return replace(table, start=table.start + by, end=table.end + by, cells=cells, caption_start=caption_start)


def _in_view(table: TableGrid, norm: Normalised) -> TableGrid:
    """A table with original offsets moved onto the normalised view (its text read there)."""
    cells = []
    for c in table.cells:
        a, b = norm.to_view(c.start, c.end)
        cells.append(TableCell(norm.text[a:b], a, b, c.row, c.col, c.rowspan, c.colspan))
    start, end = norm.to_view(table.start, table.end)
    return TableGrid(start, end, table.layout, tuple(cells), *caption_before(norm.text, start))


class _Headings:
    """The domain named by the nearest section heading before a position (read on first use)."""

    def __init__(self, text: str, lex: Lexicon):
        self.text, self.lex = text, lex
        self.found: list[tuple[int, str]] | None = None

    def domain_at(self, pos: int) -> str | None:
        if self.found is None:
            self.found = [(m.start(), d[0]) for m in HEADING.finditer(self.text)
                          if (d := self.lex.domains(m.group("title")))]
        i = bisect.bisect_right([s for s, _ in self.found], pos) - 1
        return self.found[i][1] if i >= 0 else None


def outside(quantities: list[Quantity], spans: Sequence[tuple[int, int]]) -> list[Quantity]:
    """The quantities that do not sit in a table's number cell."""
    if not spans:
        return quantities
    starts = [s for s, _ in spans]
    out = []
    for q in quantities:
        i = bisect.bisect_right(starts, q.start) - 1
        if i < 0 or not (spans[i][0] <= q.start and q.end <= spans[i][1]):
            out.append(q)
    return out


def to_candidates(facts: Sequence[TableFact], norm: Normalised, section: str = "") -> list[Candidate]:
    """Facts mapped to the original text; a value touching a garbled span is dropped."""
    out = []
    for f in facts:
        if not norm.is_clean(f.value_start, f.value_end):
            continue
        start, end = norm.to_original(f.evidence_start, f.evidence_end)
        v_start, v_end = norm.to_original(f.value_start, f.value_end)
        out.append(Candidate(
            indicator_code=f.indicator_code, value=f.value, unit=f.unit, qualifier="exact", scope=f.scope,
            scope_reason=f.scope_reason, evidence=norm.original[start:end], char_start=start, char_end=end,
            value_start=v_start, value_end=v_end, confidence=f.confidence, cue=f.cue, section=section,
            source="table", template_version=f.template_version,
        ))
    return out
