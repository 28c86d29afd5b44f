"""Read stage, tables drawn without vertical rules: columns from where the text stands.

A run of lines with at least two rows of numbers is a table when its numbers line up: the x
extents of the words of its number rows, taken together, fall into separate columns and no row
puts two of its words into one column. Every word of the run then goes to the column it
overlaps most. Rows are the bands between horizontal rules when rules run across the table
(tables ruled between their rows); otherwise each line is a row, and a line of label text under
a row that does not start a numbered item ("1." "（四）") goes on that row's label. The header
lines right above the first row of numbers are read as one header row: a header cell wrapped
over lines is one cell again ("商业" / "企业"). What does not line up stays text as it was.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from fazhi.read.grid import PageTable, Slot

__all__ = ["TextLine", "aligned_tables"]

# a gap wider than this many character heights between two glyphs separates words
WORD_GAP_EM = 0.8
# lines further apart than this many character heights are not one table
LINE_GAP_EM = 2.5
# a line of more characters than this with a sentence end is prose
_PROSE_CHARS = 40
# the header lines above the first row of numbers read at most
_HEADER_LINES = 6
_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?%?")
_ITEM = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]"
                   r"|\d{1,2}[.、．](?!\d))")


@dataclass(frozen=True, slots=True)
class TextLine:
    glyphs: tuple  # in x order
    top: float
    bottom: float
    em: float


@dataclass(frozen=True, slots=True)
class _Word:
    line: int
    x0: float
    x1: float
    glyphs: tuple[int, ...]  # indexes into the table's glyphs
    text: str


def aligned_tables(lines: list[TextLine], rules: list[tuple[float, float, float]] = ()
                   ) -> list[tuple[int, int, PageTable, tuple]]:
    """(first line, last line, table, its glyphs) of every table of aligned columns in `lines`
    (a page's lines of free text, top down). `rules`: the page's horizontal rules (y, x0, x1)."""
    glyphs: list = []
    words = [_words(k, line, glyphs) for k, line in enumerate(lines)]
    counts = [sum(1 for w in ws if _NUMBER.fullmatch(w.text)) for ws in words]
    out = []
    k = floor = 0
    while k < len(lines):
        if counts[k] < 2:
            k += 1
            continue
        first, last = _header_start(lines, words, counts, k, floor), _extent(lines, words, counts, k)
        number_rows = sum(1 for j in range(k, last + 1) if counts[j] >= 2)
        if number_rows >= 2 or (number_rows == 1 and _headed(words, first, k)):
            table = _table(lines, words, [c > 0 for c in counts], first, last, k, rules, glyphs)
            if table is not None:
                out.append((first, last, table, tuple(glyphs)))
                floor = last + 1
        k = last + 1
    return out


def _extent(lines, words, counts, k: int) -> int:
    """The last line of the table whose first row of numbers is line k: rows of numbers that
    keep to the columns, and lines of label text (left of the numbers) between them."""
    rows = [words[k]]
    values_from = min(w.x0 for w in words[k] if _NUMBER.fullmatch(w.text))
    last = j = k
    while j + 1 < len(lines) and _close(lines[j], lines[j + 1]) and not _prose(words[j + 1]):
        j += 1
        if counts[j]:
            if _columns([*rows, words[j]]) is None:
                break
            rows.append(words[j])
            values_from = min(values_from, *(w.x0 for w in words[j] if _NUMBER.fullmatch(w.text)))
            last = j
        elif any(w.x1 > values_from for w in words[j]):
            break  # a header over the value columns: another table starts
    return last


def _words(k: int, line: TextLine, glyphs: list) -> list[_Word]:
    out: list[_Word] = []
    current: list = []
    for g in line.glyphs:
        if not g.text.strip():
            if current:
                out.append(_word(k, current, glyphs))
                current = []
            continue
        if current and g.x0 - current[-1].x1 > WORD_GAP_EM * line.em:
            out.append(_word(k, current, glyphs))
            current = []
        current.append(g)
    if current:
        out.append(_word(k, current, glyphs))
    return out


def _word(k: int, gs: list, glyphs: list) -> _Word:
    start = len(glyphs)
    glyphs.extend(gs)
    return _Word(k, gs[0].x0, max(g.x1 for g in gs), tuple(range(start, len(glyphs))), "".join(g.text for g in gs))


def _close(a: TextLine, b: TextLine) -> bool:
    return b.top - a.bottom <= LINE_GAP_EM * max(a.em, b.em)


def _prose(words: list[_Word]) -> bool:
    text = "".join(w.text for w in words)
    return len(text) > _PROSE_CHARS or text.endswith(("。", "；", ";"))


def _header_start(lines, words, counts, k: int, floor: int) -> int:
    """The first header line above the first row of numbers at k: lines of two words or more
    (a one-word line between two such lines too), close together, without numbers (a row of
    numbers above belongs to a table of its own), not before `floor` (the line after the last
    table)."""
    first = k
    j = k - 1
    while (j >= floor and k - j <= _HEADER_LINES and _close(lines[j], lines[j + 1]) and not _prose(words[j])
           and not counts[j]):
        if len(words[j]) >= 2:
            first = j
        elif not (j > 0 and len(words[j - 1]) >= 2 and _close(lines[j - 1], lines[j])):
            break
        j -= 1
    return first


def _headed(words, first: int, k: int) -> bool:
    """A single row of numbers is a table when header lines stand right above it and their words
    keep to the number row's columns: as many columns as the number row has words."""
    if first == k:
        return False
    columns = _columns([words[j] for j in range(first, k + 1)])
    return columns is not None and len(columns) == len(words[k])


def _columns(rows: list[list[_Word]]) -> list[tuple[float, float]] | None:
    """The columns the number rows' words fall into, or None when a row puts two words into one."""
    spans = sorted((w.x0, w.x1) for ws in rows for w in ws)
    columns: list[list[float]] = []
    for a, b in spans:
        if columns and a <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], b)
        else:
            columns.append([a, b])
    for ws in rows:
        hit = [_best(w, columns) for w in ws]
        if len(set(hit)) != len(hit):
            return None
    return [(a, b) for a, b in columns]


def _best(w: _Word, columns) -> int:
    """The column a word overlaps most; of equal overlaps, the one whose centre is nearest the
    word's (then the first)."""
    best, best_score = 0, None
    mid = (w.x0 + w.x1) / 2
    for c, (a, b) in enumerate(columns):
        score = (min(w.x1, b) - max(w.x0, a), -abs(mid - (a + b) / 2))
        if best_score is None or score > best_score:
            best, best_score = c, score
    return best


def _table(lines, words, numeric, first: int, last: int, data_start: int, rules, glyphs) -> PageTable | None:
    columns = _columns([words[k] for k in range(first, last + 1) if numeric[k]])
    if columns is None or len(columns) < 2:
        return None
    words = list(words)
    for k in range(first, last + 1):
        words[k] = [part for w in words[k] for part in _cut_at_columns(w, columns, glyphs, lines[k].em)]
    rows = _rows(lines, words, numeric, first, last, data_start, rules, columns)
    cells: list[Slot] = []
    bands = []
    for r, group in enumerate(rows):
        by_column: dict[int, list[_Word]] = {}
        for w in sorted((w for k in group for w in words[k]), key=lambda w: (w.line, w.x0)):
            by_column.setdefault(_best(w, columns), []).append(w)
        cells.extend(Slot(r, c, 1, 1, tuple(i for w in by_column.get(c, ()) for i in w.glyphs))
                     for c in range(len(columns)))
        bands.append((min(lines[k].top for k in group), max(lines[k].bottom for k in group)))
    edges = [columns[0][0]] + [(a[1] + b[0]) / 2 for a, b in pairwise(columns)] + [columns[-1][1]]
    return PageTable(tuple(bands), tuple(edges), tuple(cells), "aligned")


def _cut_at_columns(w: _Word, columns, glyphs, em: float) -> list[_Word]:
    """A word cut where a column starts inside it after a small gap: the text of cells filled to
    their edge (a wrapped header "社会公益" next to "法律服务") runs into the next column's."""
    starts = [a for a, _ in columns[1:]]
    cuts = [i for i in range(1, len(w.glyphs))
            if glyphs[w.glyphs[i]].x0 - glyphs[w.glyphs[i - 1]].x1 > 0.15 * em
            and any(abs(glyphs[w.glyphs[i]].x0 - a) <= 0.3 * em for a in starts)]
    if not cuts:
        return [w]
    out = []
    for a, b in zip([0, *cuts], [*cuts, len(w.glyphs)]):
        part = w.glyphs[a:b]
        out.append(_Word(w.line, glyphs[part[0]].x0, max(glyphs[i].x1 for i in part), part,
                         "".join(glyphs[i].text for i in part)))
    return out


def _rows(lines, words, numeric, first: int, last: int, data_start: int, rules, columns) -> list[list[int]]:
    """The lines of each row: header lines as one row; then by the bands between horizontal
    rules across the table, or line by line with label lines under a full label going on it."""
    rows: list[list[int]] = []
    if data_start > first:
        rows.append(list(range(first, data_start)))
    region = [w for k in range(first, last + 1) for w in words[k]]
    # a rule under the value columns parts rows (the label column may hold a cell over rows)
    left = min(w.x0 for w in region if _NUMBER.fullmatch(w.text))
    right = max(w.x1 for w in region)
    across = sorted(y for y, x0, x1 in rules if x0 <= left + 1 and x1 >= right - 1
                    and lines[data_start].top - lines[data_start].em <= y <= lines[last].bottom + lines[last].em)
    region_columns = [_best(w, columns) for w in region]
    edge = [max((w.x1 for w, k in zip(region, region_columns) if k == c), default=b)
            for c, (_, b) in enumerate(columns)]
    for k in range(data_start, last + 1):
        above = rows[-1][-1] if rows and k > data_start else None
        stacked = numeric[k] and any(numeric[j] for j in rows[-1]) if above is not None else False
        if above is not None and not stacked and (_same_band(lines[above], lines[k], across) if across else
                                  _continues_label(words[k], words[above], numeric[k], columns, edge, lines[k].em)):
            rows[-1].append(k)
        else:
            rows.append([k])
    return rows


def _same_band(a: TextLine, b: TextLine, across: list[float]) -> bool:
    mid_a, mid_b = (a.top + a.bottom) / 2, (b.top + b.bottom) / 2
    return not any(mid_a < y < mid_b for y in across)


def _continues_label(line: list[_Word], above: list[_Word], is_numeric: bool, columns, edge, em: float) -> bool:
    """A line of text only, not starting a numbered item, in the column of the label above it,
    which fills its column (wrapped there)."""
    if is_numeric or not line or any(_NUMBER.fullmatch(w.text) for w in line) or _ITEM.match(line[0].text):
        return False
    labels = [w for w in above if not _NUMBER.fullmatch(w.text)]
    if not labels:
        return False
    column = _best(labels[-1], columns)
    return labels[-1].x1 >= edge[column] - 1.5 * em and all(_best(w, columns) == column for w in line)
