"""Table regions in a text, cut into cells with their offsets.

Web pages reach us with their tables flattened in one of four ways:
  rows    one row per line, cells joined by `|` ("规章 | 0 | 0 | 6 |"), empty cells as `||`;
  cells   one cell per line with pipes: either every cell closed by ` |` (runs of empty cells
          as `|||`), or cells separated by lines holding a lone `|` (then a cell may span
          lines: "商业\\n企业");
  lines   one cell per line, blank lines between cells (empty cells are lost);
  spaced  one row per line, cells apart by two or more spaces or a tab.
A region is a run of lines that are not prose (short, no sentence end) with at least two cells
that are numbers and one that is not.
"""
from __future__ import annotations

import itertools
import re

from fazhi.records import TableCell, TableGrid
from fazhi.tables.labels import ENUMERATOR
from fazhi.tables.numbers import parse_number

LINE_MAX = 64  # a longer line is prose, not a cell
_SENTENCE = re.compile(r"。|[；;！？!?]\s*$")
_GAP = re.compile(r"[ \t]{2,}|\t")

__all__ = ["find_tables"]


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for part in text.split("\n"):
        out.append((pos, pos + len(part)))
        pos += len(part) + 1
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return start, end


def _is_prose(line: str) -> bool:
    s = line.strip()
    # ("\t" or two spaces: where _GAP matches; str's own search is much faster than the pattern's)
    if not s or "|" in s or (("\t" in s or "  " in s) and len(_GAP.split(s)) >= 3):
        return False
    return len(s) > LINE_MAX or bool(_SENTENCE.search(s))


def find_tables(text: str) -> list[TableGrid]:
    """Every table region of `text`, cut into cells (offsets into `text`)."""
    lines = _lines(text)
    tables: list[TableGrid] = []
    i = 0
    while i < len(lines):
        if not text[slice(*lines[i])].strip() or _is_prose(text[slice(*lines[i])]):
            i += 1
            continue
        j = i
        while j < len(lines) and not _is_prose(text[slice(*lines[j])]):
            j += 1
        block = lines[i:j]
        while not text[slice(*block[-1])].strip():
            block.pop()
        table = _cut(text, block)
        if table is not None:
            tables.append(TableGrid(table.start, table.end, table.layout, table.cells,
                                    *caption_before(text, lines[i][0])))
        i = j
    return tables


def caption_before(text: str, start: int) -> tuple[str, int]:
    """The title line right above a table starting at `start` ("表2：…情况"), and where it starts;
    a sentence ("具体情况见下表。") is not a title."""
    end = text.rfind("\n", 0, start)
    while end > 0 and not text[text.rfind("\n", 0, end) + 1:end].strip():
        end = text.rfind("\n", 0, end)
    if end <= 0:
        return "", -1
    s, e = _strip(text, text.rfind("\n", 0, end) + 1, end)
    return ("", -1) if _is_prose(text[s:e]) else (text[s:e], s)


def _layout(text: str, block: list[tuple[int, int]]) -> str:
    content = [text[s:e].strip() for s, e in block if text[s:e].strip()]
    piped = [c for c in content if "|" in c]
    if sum(1 for c in piped if sum(1 for part in c.split("|") if part.strip()) >= 2) >= 2:
        return "rows"
    if piped and len(piped) * 10 >= 3 * len(content):
        return "cells"
    spaced = [c for c in content if len(_GAP.split(c)) >= 3]
    if len(spaced) >= 2 and len(spaced) * 2 >= len(content):
        return "spaced"
    return "lines"


def _cut(text: str, block: list[tuple[int, int]]) -> TableGrid | None:
    layout = _layout(text, block)
    if layout in ("rows", "spaced"):
        cells = _cut_rows(text, block, layout == "rows")
    elif layout == "cells":
        cells = _cut_piped(text, block)
    else:  # one cell a line: the cells are made only for a block that is a table (most are not)
        spans = [(a, b) for a, b in (_strip(text, s, e) for s, e in block) if a < b]
        if not _a_table([text[a:b] for a, b in spans]):
            return None
        return TableGrid(block[0][0], block[-1][1], layout, tuple(TableCell(text[a:b], a, b) for a, b in spans))
    if not _a_table([c.text for c in cells]):
        return None
    return TableGrid(block[0][0], block[-1][1], layout, tuple(cells))


def _a_table(cells: list[str]) -> bool:
    """At least two cells are numbers and one holds words."""
    numbers = [parse_number(c) is not None for c in cells]
    return sum(numbers) >= 2 and any(c and not number for c, number in zip(cells, numbers, strict=True))


def _cut_rows(text: str, block: list[tuple[int, int]], piped: bool) -> list[TableCell]:
    """One row per line; cells split at `|` (or at runs of spaces)."""
    cells: list[TableCell] = []
    row = 0
    for s, e in block:
        line = text[s:e]
        if not line.strip():
            continue
        if piped:
            bounds = [-1, *(m.start() for m in re.finditer(r"\|", line)), len(line)]
            pieces = [(a + 1, b) for a, b in itertools.pairwise(bounds)]
            if line.lstrip().startswith("|"):
                pieces = pieces[1:]
            if line.rstrip().endswith("|") and pieces:
                pieces = pieces[:-1]
        else:
            bounds = [(0, 0), *((m.start(), m.end()) for m in _GAP.finditer(line)), (len(line), len(line))]
            pieces = [(a[1], b[0]) for a, b in itertools.pairwise(bounds) if line[a[1]:b[0]].strip()]
        for col, (a, b) in enumerate(pieces):
            a, b = _strip(text, s + a, s + b)
            cells.append(TableCell(text[a:b], a, b, row, col))
        row += 1
    return cells


def _continues(previous: str, line: str) -> bool:
    """A line goes on the cell above it ("商业" / "企业") unless either is a number or the line
    starts a numbered heading (the text after the table)."""
    return (parse_number(previous) is None and parse_number(line) is None
            and ENUMERATOR.match(line) is None)


def _cut_piped(text: str, block: list[tuple[int, int]]) -> list[TableCell]:
    """One cell per line, with pipes: closed cells (`X |`, `|||` = empty cells) or cells
    separated by lone-`|` lines (a cell may then span lines)."""
    content = [_strip(text, s, e) for s, e in block if text[s:e].strip()]
    words = [(a, b) for a, b in content if text[a:b].strip("| ")]
    closed = sum(1 for a, b in words if text[a:b].endswith("|"))
    cells: list[TableCell] = []
    if words and closed * 10 >= 6 * len(words):
        for a, b in content:
            body = text[a:b]
            if not body.strip("| "):
                cells.extend(TableCell("", a + k, a + k) for k in range(body.count("|")))
                continue
            if body.startswith("|"):  # "| X |": an empty cell, then X
                cells.append(TableCell("", a, a))
                a, b = _strip(text, a + 1, b)
            if text[a:b].endswith("|"):
                a, b = _strip(text, a, b - 1)
            cells.append(TableCell(text[a:b], a, b))
        return cells
    parts: list[tuple[int, int]] = []  # the lines of the cell being read
    seps = 0
    for a, b in content:
        body = text[a:b]
        if body.strip("| "):
            if parts and not _continues(text[slice(*parts[-1])], body):
                cells.append(TableCell("".join(text[x:y] for x, y in parts), parts[0][0], parts[-1][1]))
                parts = []
            parts.append((a, b))
            seps = 0
            continue
        if parts:
            cells.append(TableCell("".join(text[x:y] for x, y in parts), parts[0][0], parts[-1][1]))
            parts = []
        elif seps:  # two separators in a row: an empty cell between them
            cells.append(TableCell("", a, a))
        seps += body.count("|")
    if parts:
        cells.append(TableCell("".join(text[x:y] for x, y in parts), parts[0][0], parts[-1][1]))
    return cells
