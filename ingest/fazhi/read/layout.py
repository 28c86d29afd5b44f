"""Read stage, layout: positioned text on pages -> the report's text, one paragraph a line.

Shared by the PDF text layer (a glyph is one character) and OCR (a glyph is one recognised text
box with its confidence). Pure functions over small records; coordinates grow rightwards and
downwards, in any unit (PDF points or image pixels).

What it does, in order:
* lines: glyphs grouped by vertical overlap, left to right; a gap wider than `CELL_GAP_EM`
  character heights splits a line into table cells, written `a | b | c` like HTML table rows;
* page furniture: page numbers ("- 3 -", "第3页 共9页", "3/9") and running headers/footers (the
  same text at the top or bottom of most pages) are dropped;
* paragraphs: a line that reaches the right margin continues on the next line unless that one is
  indented or set apart, so a sentence (and a number split from its measure word) wrapped by
  the layout is one line again, also across a page break.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field, replace
from operator import attrgetter

from fazhi.read.columns import TextLine, aligned_tables
from fazhi.read.grid import PageTable, Rule, Slot, cut_at_rules, horizontal_rules, ruled_tables
from fazhi.read.tablegrid import CELL_SEPARATOR, TableCollector
from fazhi.records import TableGrid

__all__ = ["PAGE_NUMBER_RE", "Glyph", "Laid", "Page", "lay_out"]

# a gap of more than this many character heights inside a line separates table cells
CELL_GAP_EM = 1.5
# a gap wider than this (in Chinese character widths) between glyphs of one cell is a space
SPACE_GAP_EM = 0.3
# ... and between two Latin words or numbers
_LATIN_GAP_EM = 0.15
# a single space stretched wider than this (in character heights) still separates cells
WORD_SPACE_EM = 4.0
# the top and bottom share of a page where headers, footers and page numbers live
FURNITURE_ZONE = 0.15
# a line ending within this many character heights of the right margin is full (it wraps)
FULL_LINE_EM = 2.5
# the next line starting this much right of the left margin is indented (a new paragraph)
INDENT_EM = 0.6
# lines further apart than this many character heights are separate blocks
BLOCK_GAP_EM = 1.3

PAGE_NUMBER_RE = re.compile(
    r"^[\s\-—–－―~～·•]*(?:第\s*)?[0-9０-９]{1,4}\s*(?:页)?\s*"
    r"(?:(?:[/／]|共|of)\s*[0-9０-９]{1,4}\s*页?)?[\s\-—–－―~～·•]*$"
    r"|^[\s\-—–－―]*(?:第\s*[0-9０-９]{1,4}\s*页\s*)?[,，]?\s*共\s*[0-9０-９]{1,4}\s*页[\s\-—–－―]*$"
    r"|^(?:page|Page|PAGE)\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?$"
)
_DIGITS_RE = re.compile(r"[0-9０-９]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_TOP, _BOTTOM, _X1 = attrgetter("top"), attrgetter("bottom"), attrgetter("x1")


@dataclass(slots=True)
class Glyph:
    """A character of a PDF text layer, or a text box recognised by OCR. Never changed, but not
    frozen: a text PDF makes one per character, and a frozen one takes four times as long to make."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float = 1.0  # OCR confidence of the box; 1.0 for a text layer

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class Page:
    width: float
    height: float
    glyphs: tuple[Glyph, ...]  # in content (or detection) order
    rules: tuple[Rule, ...] = ()  # drawn horizontal and vertical lines (table borders)
    unit: float = 1.0  # a point in the page's unit of length (image pixels are smaller)


@dataclass(slots=True)
class _Line:
    glyphs: list[Glyph]
    cells: list[list[Glyph]] = field(default_factory=list)
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    em: float = 0.0
    ruled: bool = False  # a row of a ruled table
    memo: str | None = None  # text(), once the cells are set
    table: PageTable | None = None  # the table this line is a row of (rows, columns, spans)
    slots: list[tuple[Slot, list[Glyph]]] = field(default_factory=list)  # its cells, empty ones too
    texts: list[str] = field(default_factory=list)  # the text of each slot

    @property
    def is_row(self) -> bool:
        return self.ruled or len(self.cells) > 1

    def text(self) -> str:
        if self.memo is None:
            advance = _advance(self.glyphs, self.em)
            if self.table is not None:
                self.texts = [_cell_text(glyphs, advance) for _, glyphs in self.slots]
                self.memo = CELL_SEPARATOR.join(t for t in self.texts if t)
            else:
                self.memo = " | ".join(_cell_text(c, advance) for c in self.cells)
        return self.memo


@dataclass(frozen=True, slots=True)
class Laid:
    """The text of a document laid out from its pages.

    `page_starts[k]` is the offset where page k+1 starts (a page without text starts where the
    next one does); `boxes` are (start, end, confidence) of every glyph group with a confidence
    below 1 (OCR text lines), for lowering the confidence of facts read from them."""

    text: str
    page_starts: tuple[int, ...]
    boxes: tuple[tuple[int, int, float], ...]
    tables: tuple[TableGrid, ...] = ()  # tables with their rows, columns and spans kept


def lay_out(pages: list[Page]) -> Laid:
    """The text of `pages`: one paragraph or table row a line, furniture dropped."""
    page_lines = [_lines(p) for p in pages]
    _drop_furniture(pages, page_lines)
    # pages of one size share their margins (a page of a few short lines alone would not show
    # where a full line ends)
    by_size: dict[tuple[int, int], list[_Line]] = {}
    for page, lines in zip(pages, page_lines):
        by_size.setdefault(_size(page), []).extend(lines)
    shared = {size: _margins(lines) for size, lines in by_size.items()}
    margins = [shared[_size(page)] for page in pages]
    out: list[str] = []
    pos = 0
    starts: list[int] = []
    boxes: list[tuple[int, int, float]] = []
    prev: tuple[_Line, tuple[float, float], int] | None = None
    tables = TableCollector()
    for number, (lines, margin) in enumerate(zip(page_lines, margins)):
        starts.append(pos)
        for i, line in enumerate(lines):
            if prev is None:
                sep = ""
            elif _continues(prev[0], prev[1], line, margin, same_page=prev[2] == number):
                sep = _joiner(prev[0], line)
            else:
                sep = "\n"
            out.append(sep)
            pos += len(sep)
            if i == 0:
                starts[-1] = pos  # the page starts where its first line's text does
            start, pos = pos, _emit(line, pos, out, boxes)
            if line.table is None:
                tables.interrupt()
            else:
                tables.add(line.table, number, [s for s, _ in line.slots], line.texts, start)
            prev = (line, margin, number)
    return Laid("".join(out), tuple(starts), tuple(boxes), tables.grids())


# --------------------------------------------------------------------------
# lines and cells


def _lines(page: Page) -> list[_Line]:
    if page.rules and any(len(g.text) > 1 for g in page.glyphs):
        page = replace(page, glyphs=tuple(cut_at_rules(page.glyphs, page.rules, page.unit)))
    found = ruled_tables(page.rules, page.glyphs, page.unit) if page.rules else []
    in_table = {i for t in found for cell in t.cells for i in cell.glyphs}
    free = tuple(g for i, g in enumerate(page.glyphs) if i not in in_table) if in_table else page.glyphs
    segments = _segments(free)
    # top down, then left to right, then in content order
    order = sorted((_top(seg), seg[0].x0, k) for k, seg in enumerate(segments))
    lines: list[list[list[Glyph]]] = []
    bands: list[tuple[float, float]] = []
    for top, _, k in order:
        seg = segments[k]
        bottom = max(map(_BOTTOM, seg))
        mid = (top + bottom) / 2
        for i in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            btop, bbottom = bands[i]
            if btop <= mid <= bbottom and min(bottom, bbottom) - max(top, btop) >= 0.5 * min(
                bottom - top, bbottom - btop
            ):
                lines[i].append(seg)
                bands[i] = (min(btop, top), max(bbottom, bottom))
                break
        else:
            lines.append([seg])
            bands.append((top, bottom))
    result = []
    for segs, (top, bottom) in zip(lines, bands):
        result.append(_make_line(_in_x_order(segs), top, bottom))
    if sum(1 for ln in result if len(ln.cells) > 1) >= 2:
        result = _align_columns(result, horizontal_rules(page.rules, page.unit) if page.rules else [])
    for table in found:
        result.extend(_table_lines(table, page.glyphs))
    result.sort(key=lambda ln: (ln.top, ln.x0))
    return result


def _align_columns(lines: list[_Line], rules: list[tuple[float, float, float]]) -> list[_Line]:
    """The lines with those of tables drawn without vertical rules made rows of their columns."""
    found = aligned_tables([TextLine(tuple(ln.glyphs), ln.top, ln.bottom, ln.em) for ln in lines], rules)
    for first, last, table, glyphs in reversed(found):
        lines[first:last + 1] = _table_lines(table, glyphs)
    return lines


def _table_lines(table: PageTable, glyphs: tuple[Glyph, ...]) -> list[_Line]:
    """The rows of a table as lines: each cell's glyphs in reading order (a wrapped cell is one
    text; a merged cell is read in its first row). The cells of a row without any text go with
    the row above (or below), where their offsets are taken."""
    by_row: dict[int, list[tuple[Slot, list[Glyph]]]] = {}
    for slot in table.cells:
        by_row.setdefault(slot.row, []).append((slot, [glyphs[i] for i in slot.glyphs]))
    lines: list[_Line] = []
    silent: list[tuple[Slot, list[Glyph]]] = []
    for r in sorted(by_row):
        slots = by_row[r]
        if not any(g.text.strip() for _, gs in slots for g in gs):
            (lines[-1].slots if lines else silent).extend(slots)
            continue
        ink = [g for _, gs in slots for g in gs if g.text.strip()]
        top, bottom = table.rows[r]
        lines.append(_Line([g for _, gs in slots for g in gs], [gs for _, gs in slots if gs], top=top, bottom=bottom,
                           x0=table.columns[0], x1=table.columns[-1],
                           em=statistics.median(g.height for g in ink), ruled=True, table=table,
                           slots=silent + slots))
        silent = []
    return lines


def _in_x_order(segs: list[list[Glyph]]) -> list[Glyph]:
    """The glyphs of one line left to right (a space stays after its left neighbour); a glyph
    drawn twice at almost the same place (simulated bold) once."""
    keyed = []
    for seg in segs:
        x = seg[0].x0
        for g in seg:
            if g.text.strip():
                x = g.x0
            keyed.append((x, len(keyed), g))
    keyed.sort()  # by x, then content order (the second key is unique)
    out: list[Glyph] = []
    prev: Glyph | None = None
    for _, _, g in keyed:
        if prev is not None and g.text == prev.text and abs(g.x0 - prev.x0) < 0.3 * max(g.height, 1e-6):
            continue
        out.append(g)
        prev = g
    return out


def _top(seg: list[Glyph]) -> float:
    return min(map(_TOP, seg))


def _segments(glyphs: tuple[Glyph, ...]) -> list[list[Glyph]]:
    """Runs of glyphs on one baseline in content order (a space is kept, its box is not used)."""
    segs: list[list[Glyph]] = []
    cur: list[Glyph] = []
    started = False
    low = high = left = 0.0  # the band and the left limit the last ink glyph sets for the next
    for g in glyphs:
        if not g.text.strip():
            if cur:
                cur.append(g)
            continue
        if started and (not low <= (g.top + g.bottom) / 2 <= high or g.x0 < left):
            segs.append(cur)
            cur = []
        cur.append(g)
        height = g.bottom - g.top
        low, high, left, started = g.top - 0.2 * height, g.bottom + 0.2 * height, g.x0 - 0.5 * height, True
    if cur:
        segs.append(cur)
    return [_strip_spaces(s) for s in segs if any(g.text.strip() for g in s)]


def _strip_spaces(seg: list[Glyph]) -> list[Glyph]:
    while seg and not seg[-1].text.strip():
        seg.pop()
    return seg


def _make_line(glyphs: list[Glyph], top: float, bottom: float) -> _Line:
    ink = [g for g in glyphs if g.text.strip()]
    em = statistics.median([g.bottom - g.top for g in ink]) if ink else 1.0
    line = _Line(glyphs, top=top, bottom=bottom, x0=ink[0].x0, x1=max(map(_X1, ink)), em=em)
    # a gap between two glyphs separates table cells when it is wide: one space stretched by
    # justified text is a word space up to WORD_SPACE_EM; with no or several spaces, CELL_GAP_EM
    word_gap, cell_gap = WORD_SPACE_EM * em, CELL_GAP_EM * em
    cells: list[list[Glyph]] = [[]]
    cell = cells[0]
    prev: Glyph | None = None
    spaces = 0
    for g in glyphs:
        if not g.text.strip():
            spaces += 1
            if cell:
                cell.append(g)
            continue
        if prev is not None and g.x0 - prev.x1 > (word_gap if spaces == 1 else cell_gap):
            cell = []
            cells.append(cell)
        cell.append(g)
        prev, spaces = g, 0
    line.cells = [_strip_spaces(c) for c in cells if c]
    return line


def _advance(glyphs: list[Glyph], em: float) -> float:
    """The width of a Chinese character on the line (the unit of spacing), else the line's em."""
    widths = [g.x1 - g.x0 for g in glyphs if len(g.text) == 1 and "\u3400" <= g.text <= "\u9fff"]
    return statistics.median(widths) if widths else em


def _cell_text(cell: list[Glyph], em: float) -> str:
    # a visible gap between two Latin words or numbers is a space; between Chinese and a number,
    # a quarter em is typesetting (autospacing), a wider one a space that justified text
    # stretched (written as a move, not as a space character)
    latin_gap, space_gap = _LATIN_GAP_EM * em, SPACE_GAP_EM * em
    parts: list[str] = []
    prev: Glyph | None = None
    after_ink = False  # the last part is a glyph's text (not a space, not the start)
    for g in cell:
        text = g.text
        if not text.strip():
            if after_ink:
                parts.append(" ")
                after_ink = False
            continue
        if after_ink:
            gap = g.x0 - prev.x1
            if (gap > latin_gap or gap > space_gap) and gap > (
                    latin_gap if _ASCII_WORD.match(prev.text[-1]) and _ASCII_WORD.match(text[0]) else space_gap):
                parts.append(" ")
        parts.append(text)
        prev, after_ink = g, True
    return "".join(parts).strip()


# --------------------------------------------------------------------------
# page furniture


def _drop_furniture(pages: list[Page], page_lines: list[list[_Line]]) -> None:
    """Remove page numbers and running headers/footers, in place."""
    repeated: dict[str, int] = {}
    edge: list[list[tuple[_Line, str]]] = []
    for page, lines in zip(pages, page_lines):
        cands: list[tuple[_Line, str]] = []
        for ln in lines[:2] + lines[-2:]:
            if ln.table is not None:
                continue  # a table's row (a long table's last rows of numbers look alike)
            at_edge = ln.top < FURNITURE_ZONE * page.height or ln.bottom > (1 - FURNITURE_ZONE) * page.height
            if at_edge and all(ln is not c for c, _ in cands):
                cands.append((ln, _DIGITS_RE.sub("#", ln.text())))
        for key in {k for _, k in cands}:
            repeated[key] = repeated.get(key, 0) + 1
        edge.append(cands)
    many = len(pages) >= 3
    for lines, cands in zip(page_lines, edge):
        for ln, key in cands:
            number = bool(PAGE_NUMBER_RE.match(ln.text()))
            running = many and repeated[key] >= max(2, len(pages) // 2)
            if number or running:
                lines[:] = [x for x in lines if x is not ln]


# --------------------------------------------------------------------------
# paragraphs


def _size(page: Page) -> tuple[int, int]:
    return (round(page.width / 10), round(page.height / 10))


def _margins(lines: list[_Line]) -> tuple[float, float]:
    """(left, right) margins of body text lines."""
    body = [ln for ln in lines if not ln.is_row]
    if not body:
        return (0.0, 0.0)
    # the text's edges: past a stray line or two (a hanging punctuation mark, a wide title),
    # and not the indented first lines of paragraphs, which may well be the most common
    lefts = sorted(ln.x0 for ln in body)
    rights = sorted(ln.x1 for ln in body)
    left = lefts[int(0.05 * (len(lefts) - 1))]
    right = rights[-1] if len(rights) < 20 else rights[int(0.95 * (len(rights) - 1))]
    return (left, right)


def _continues(a: _Line, a_margin: tuple[float, float], b: _Line, b_margin: tuple[float, float],
               same_page: bool) -> bool:
    """Does line `b` continue the paragraph of line `a` (wrapped by the layout)?"""
    if a.is_row or b.is_row:
        return False
    em = max(a.em, b.em)
    if abs(a.em - b.em) > 0.2 * em:
        return False
    if a.x1 < a_margin[1] - FULL_LINE_EM * em:
        return False  # a paragraph's last line
    if b.x0 > b_margin[0] + INDENT_EM * em:
        return False  # an indented first line
    if a.x0 > a_margin[0] + 4 * em:
        return False  # a centred or right-aligned line (a title, a signature)
    # lines set apart vertically are separate blocks (across a page break the gap means nothing)
    return not (same_page and b.top - a.bottom > BLOCK_GAP_EM * em)


def _joiner(a: _Line, b: _Line) -> str:
    left, right = a.text()[-1:], b.text()[:1]
    return " " if left.isascii() and left.isalpha() and right.isascii() and right.isalpha() else ""


def _emit(line: _Line, pos: int, out: list[str], boxes: list[tuple[int, int, float]]) -> int:
    """Append `line`'s text; record the span of every glyph with a confidence below 1."""
    text = line.text()
    out.append(text)
    if any(g.conf < 1.0 for g in line.glyphs):
        # OCR boxes: each box's text appears whole and in order in the line text
        cursor = 0
        for g in line.glyphs:
            t = g.text.strip()
            if not t:
                continue
            i = text.find(t, cursor)
            if i < 0:
                continue
            boxes.append((pos + i, pos + i + len(t), g.conf))
            cursor = i + len(t)
    return pos + len(text)
