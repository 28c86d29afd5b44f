"""The standard 政府信息公开工作年度报告 tables (templates of 2019 and 2021), read cell by cell.

The template is data (seeds/disclosure_template.csv): per version and section, the row and
column labels of every cell, and the indicator each cell is. A section is found by its column
headers; its rows are then read in template order, each row label followed by the section's
number of value cells. Only the order of the cells matters, not how the rows were separated, so
every flattening reads the same. Where the two versions share a section, the version the
document's other sections show decides.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fazhi.records import TableCell
from fazhi.rules import read_seed
from fazhi.tables.fact import TableFact
from fazhi.tables.labels import label_key, same_label
from fazhi.tables.numbers import is_blank, parse_number

ROW_SEARCH = 4  # cells a row label may sit after the previous row (parent rows, stray cells)
HEADER_SLACK = 6  # cells between a section's column headers (spanning parents, notes)
TEMPLATE_CONFIDENCE = 0.9
_SCALE = {"万元": 10_000.0}


@dataclass(frozen=True, slots=True)
class TemplateCell:
    """A row of seeds/disclosure_template.csv."""

    version: str
    section: str
    row_order: int
    row_path: tuple[str, ...]  # "" for a section of a single unlabelled row
    column_order: int
    column_path: tuple[str, ...]
    indicator_code: str  # "" for a cell that is read but not kept
    unit: str  # catalog unit of the indicator
    stated_in: str  # the unit the template states the cell in (件, 万元 …)
    scope: str


@dataclass(frozen=True, slots=True)
class Section:
    version: str
    name: str
    width: int  # value cells per row
    rows: tuple[tuple[int, str], ...]  # (row_order, key of the row's own label), in order
    headers: frozenset[str]  # keys of the column labels (leaves and parents)
    cells: dict[tuple[int, int], TemplateCell]  # (row_order, column_order) -> cell


@lru_cache(maxsize=2)
def load_template(directory: Path | None = None) -> tuple[Section, ...]:
    grouped: dict[tuple[str, str], list[TemplateCell]] = {}
    for r in read_seed("disclosure_template.csv", directory):
        cell = TemplateCell(
            r["version"], r["section"], int(r["row_order"]), tuple(p for p in r["row_label"].split(">") if p),
            int(r["column_order"]), tuple(r["column_label"].split(">")), r["indicator_code"], r["unit"],
            r["stated_in"], r["scope"],
        )
        grouped.setdefault((cell.version, cell.section), []).append(cell)
    sections = []
    for (version, name), cells in grouped.items():
        rows: dict[int, str] = {}
        for c in sorted(cells, key=lambda c: (c.row_order, c.column_order)):
            rows.setdefault(c.row_order, label_key(c.row_path[-1]) if c.row_path else "")
        sections.append(Section(
            version, name, max(c.column_order for c in cells), tuple(rows.items()),
            frozenset(label_key(p) for c in cells for p in c.column_path),
            {(c.row_order, c.column_order): c for c in cells},
        ))
    return tuple(sections)


@dataclass(frozen=True, slots=True)
class _Match:
    section: Section
    score: int
    start: int  # first header cell
    end: int  # one past the last cell read
    facts: tuple[TableFact, ...]


def _header(keys: list[str], heads: list[frozenset[str]], cells: tuple[TableCell, ...], p: int,
            sec: Section) -> tuple[int, int] | None:
    """(score, index of the last header cell) when the section's column headers start at p:
    four in five of them before the first number, an exact label counting twice. `heads[q]`:
    the template's header labels cell q reads as."""
    if not heads[p] & sec.headers:
        return None
    found: dict[str, int] = {}
    last, seen, q = p, 0, p
    while q < len(keys) and seen < len(sec.headers) * 2 + HEADER_SLACK:
        if keys[q] and not is_blank(cells[q].text):
            seen += 1
            matched = heads[q] & sec.headers
            if matched:
                h = keys[q] if keys[q] in matched else min(matched)
                found[h] = max(found.get(h, 0), 2 if keys[q] == h else 1)
                last = q
            elif parse_number(cells[q].text) is not None:
                break
        q += 1
    if len(found) * 5 < len(sec.headers) * 4:
        return None
    return sum(found.values()), last


def _values(cells: tuple[TableCell, ...], i: int, width: int, text_end: int, row: int = -1
            ) -> tuple[list[TableCell], int] | None:
    """The `width` value cells of the row whose label ends at i, and the index after them; None
    when the row lost cells (a flattening that drops empty cells: no position can be trusted).
    Empty cells a spanning label left before the values are skipped; empty cells of a later row
    (`row`: the label's, when the table kept its rows) are not this row's. At the very end of
    the text the last number may be cut off and is not read."""
    j = i
    while j < len(cells) and (parse_number(cells[j].text) is not None or (
            is_blank(cells[j].text) and not 0 <= row < cells[j].row)):
        j += 1
    run = list(cells[i:j])
    at_end = j == len(cells) and bool(run) and run[-1].end >= text_end
    if at_end:
        run.pop()
    skipped = 0
    while len(run) > width and is_blank(run[0].text):
        run.pop(0)
        skipped += 1
    if len(run) >= width:
        return run[:width], i + skipped + width
    if at_end and run:
        return run, j
    return None


def _read_section(cells: tuple[TableCell, ...], keys: list[str], sec: Section, h_start: int, h_end: int,
                  text_end: int) -> _Match | None:
    facts: list[TableFact] = []
    cursor = h_end + 1
    rows_read = 0
    for row_order, row_key in sec.rows:
        if row_key:
            at = _find_row(cells, keys, cursor, row_key)
            if at is None:
                continue
            first = at + 1
        else:  # a single row without a label: the first run of values after the header
            at = h_start
            first = next((i for i in range(cursor, min(len(cells), cursor + sec.width + ROW_SEARCH))
                          if parse_number(cells[i].text) is not None), None)
            if first is None:
                continue
        read = _values(cells, first, sec.width, text_end, cells[at].row if row_key else cells[first].row)
        if read is None:
            continue
        values, cursor = read
        rows_read += 1
        for col, cell in enumerate(values, 1):
            spec = sec.cells.get((row_order, col))
            number = parse_number(cell.text)
            if spec is None or not spec.indicator_code or number is None:
                continue
            scale = _SCALE.get(spec.stated_in, 1.0) if number.unit != "元" else 1.0
            start = cells[at].start if row_key else _column_start(cells, keys, sec, h_start, h_end, spec)
            facts.append(TableFact(
                spec.indicator_code, number.value * scale,
                "元" if spec.unit == "yuan" else number.unit or spec.stated_in,
                spec.scope, f"template {sec.version} {sec.name}", start, cell.end,
                cell.start + number.num_start, cell.start + number.num_end, TEMPLATE_CONFIDENCE,
                ">".join(spec.row_path[-1:] + spec.column_path), sec.version,
            ))
    if not rows_read:
        return None
    return _Match(sec, 0, h_start, cursor, tuple(facts))


def _find_row(cells: tuple[TableCell, ...], keys: list[str], cursor: int, row_key: str) -> int | None:
    """Where a row label is, at most ROW_SEARCH cells with text after `cursor` (empty cells, as a
    table's structure leaves them under spanning labels or in a row cut by a page break, are
    passed over)."""
    seen = 0
    for i in range(cursor, len(cells)):
        if same_label(keys[i], row_key):
            return i
        seen += not is_blank(cells[i].text)
        if seen > ROW_SEARCH:
            return None
    return None


def _column_start(cells, keys: list[str], sec: Section, h_start: int, h_end: int, spec: TemplateCell) -> int:
    """Where the header of the cell's column starts (the n-th of a repeated label: 结果维持 …)."""
    leaf = label_key(spec.column_path[-1])
    hits = [i for i in range(h_start, h_end + 1) if same_label(keys[i], leaf)]
    if not hits:
        return cells[h_start].start
    n = len({c for (r, c), s in sec.cells.items()
             if r == spec.row_order and c < spec.column_order and label_key(s.column_path[-1]) == leaf})
    return cells[hits[min(n, len(hits) - 1)]].start


def match_templates(cells: tuple[TableCell, ...], text_end: int,
                    sections: tuple[Section, ...] | None = None) -> tuple[list[TableFact], list[tuple[int, int]]]:
    """Facts of every template section in the cell stream, and the [first, end) cell index
    ranges the sections used (not read again as generic tables)."""
    sections = sections or load_template()
    keys = [label_key(c.text) for c in cells]
    labels = frozenset().union(*(sec.headers for sec in sections))
    longest = max(map(len, labels)) + HEADER_SLACK
    heads = [frozenset(h for h in labels if same_label(k, h)) if k and len(k) <= longest else frozenset()
             for k in keys]
    if not any(heads):
        return [], []
    matches: list[_Match] = []
    for sec in sections:
        p = 0
        while p < len(cells):
            head = _header(keys, heads, cells, p, sec)
            m = _read_section(cells, keys, sec, p, head[1], text_end) if head else None
            if m is None:
                p += 1
                continue
            matches.append(_Match(sec, head[0] + 2 * len(m.facts), m.start, m.end, m.facts))
            p = m.end
    # two versions of a section over the same cells: the better header and more cells read win;
    # on a tie, the version the document's other sections show
    votes: dict[str, int] = {}
    for m in matches:
        votes[m.section.version] = votes.get(m.section.version, 0) + m.score
    kept: list[_Match] = []
    for m in sorted(matches, key=lambda m: (-m.score, -votes[m.section.version], m.start)):
        if all(m.end <= k.start or k.end <= m.start for k in kept):
            kept.append(m)
    kept.sort(key=lambda m: m.start)
    return [f for m in kept for f in m.facts], [(m.start, m.end) for m in kept]
