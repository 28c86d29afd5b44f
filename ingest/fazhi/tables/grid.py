"""Rows × columns of a table region: header cells per column, data rows with their labels.

Row-per-line layouts (rows, spaced, html) carry their rows. One-cell-per-line layouts do not:
there the rows are found from the period of the cell kinds (a label then numbers, repeated),
the header cells are the text cells above the first row, aligned from the right (titles and
spanning parents come first in reading order), and fragments of one header cell that a line
break split ("直接" / "纠错") are joined again when together they form a word of the lexicon.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fazhi.records import TableCell as Cell
from fazhi.records import TableGrid
from fazhi.tables.labels import UNIT_IN_LABEL, label_words
from fazhi.tables.numbers import is_blank, parse_number

MAX_PERIOD = 24  # the widest row a one-cell-per-line table is read with
# tables whose rows, columns and spans the reader kept: HTML and DOCX ("html"), drawn rules of a
# PDF, a scan or a Word 97 file ("ruled"), columns aligned on a page ("aligned")
KEPT = ("html", "ruled", "aligned")


def kind(cell: Cell) -> str:
    """N number, E empty, T text."""
    if parse_number(cell.text) is not None:
        return "N"
    if is_blank(cell.text):
        return "E"
    return "T"


def is_total_label(text: str) -> bool:
    return label_words().starts("total", text)


@dataclass(slots=True)
class Block:
    """Header and data rows of one table (or one part of a region)."""

    columns: int
    leaves: list[Cell | None]  # header cell of each column
    parents: dict[int, list[Cell]] = field(default_factory=dict)  # spanning headers per column
    context: list[Cell] = field(default_factory=list)  # titles over the whole table
    rows: list[list[Cell | None]] = field(default_factory=list)  # data rows, one cell per column
    truncated: bool = False  # the text ends inside the last row


def blocks(table: TableGrid, text_end: int, joins: Callable[[str, str], bool]) -> list[Block]:
    if table.layout in ("rows", "spaced", *KEPT):
        return _row_blocks(table)
    return _stream_blocks(list(table.cells), text_end, joins)


# --------------------------------------------------------------------------
# tables that carry their rows


def _row_blocks(table: TableGrid) -> list[Block]:
    by_row: dict[int, list[Cell]] = {}
    for c in table.cells:
        by_row.setdefault(c.row, []).append(c)
    out: list[Block] = []
    header: list[int] = []
    data: list[int] = []
    for r in sorted(by_row):
        row = sorted(by_row[r], key=lambda c: c.col)
        numbers = [c for c in row if kind(c) == "N"]
        if numbers and (len(row) > 1 or data):
            data.append(r)
            continue
        if data:
            out.append(_grid_block(table, by_row, header, data))
            header, data = [], []
        header.append(r)
    if data:
        out.append(_grid_block(table, by_row, header, data))
    return out


def _grid_block(table: TableGrid, by_row: dict[int, list[Cell]], header: list[int], data: list[int]) -> Block:
    slots: dict[tuple[int, int], Cell] = {}
    for r in header + data:
        for c in by_row[r]:
            for dr in range(c.rowspan):
                for dc in range(c.colspan):
                    slots.setdefault((r + dr, c.col + dc), c)
    width = max(k for _, k in slots) + 1
    block = Block(columns=width, leaves=[None] * width)
    for r in data:
        # a label spanning rows (rowspan) names every row it covers; a number only its own
        block.rows.append([c if c is not None and (c.row == r or kind(c) == "T") else None
                           for c in (slots.get((r, k)) for k in range(width))])
    if not header:
        return block
    leaf_row = sorted(by_row[header[-1]], key=lambda c: c.col)
    for r in header[:-1]:
        row = sorted(by_row[r], key=lambda c: c.col)
        texts = [c for c in row if kind(c) == "T"]
        if len(texts) == 1 and all(kind(c) == "E" or c is texts[0] for c in row):
            block.context.append(texts[0])  # a title row: over every column
            continue
        if table.layout not in KEPT:
            # empty cells after a header cell continue it (a colspan flattened into "||")
            for i, c in enumerate(row):
                if kind(c) == "T":
                    j = i + 1
                    while j < len(row) and kind(row[j]) == "E":
                        slots[(r, row[j].col)] = c
                        j += 1
    shorter = (table.layout not in KEPT and len(leaf_row) < width
               and not any(kind(c) == "E" for c in leaf_row))
    for k in range(width):
        path: list[Cell] = []
        for r in header:
            c = slots.get((r, k))
            if c is not None and kind(c) == "T" and c not in block.context and (not path or path[-1] is not c):
                path.append(c)
        if shorter and path and path[-1].row == header[-1]:
            path.pop()
        if path:
            block.leaves[k] = path[-1]
            if path[:-1]:
                block.parents[k] = path[:-1]
    if shorter:
        # a header row without its empty cells (dropped when flattened) names the last columns
        words = [c for c in leaf_row if kind(c) == "T"]
        for n, c in enumerate(reversed(words)):
            k = width - 1 - n
            if k >= 0:
                if block.leaves[k] is not None:
                    block.parents.setdefault(k, []).append(block.leaves[k])
                block.leaves[k] = c
    return block


# --------------------------------------------------------------------------
# one cell per line


def _join_fragments(cells: list[Cell], joins: Callable[[str, str], bool]) -> list[Cell]:
    """Header fragments a line break split: "和解、" + "调解", "直接" + "纠错"."""
    out: list[Cell] = []
    for c in cells:
        if out and kind(c) == "T" and kind(out[-1]) == "T":
            prev = out[-1]
            if prev.text.endswith(("、", "，", ",", "及", "和", "与")) or joins(prev.text, c.text):
                out[-1] = Cell(prev.text + c.text, prev.start, c.end)
                continue
        out.append(c)
    return out


def _is_title(cell: Cell) -> bool:
    """A header over the whole table: "行政处罚实施数量（宗）", "2023年复议案件审结情况（件）"."""
    return bool(UNIT_IN_LABEL.search(cell.text)) or cell.text.endswith(("表", "情况"))


def _align(words: list[Cell], width: int, value_cols: list[int], open_ended: bool
           ) -> tuple[dict[int, Cell], dict[int, list[Cell]], list[Cell]]:
    """Header cells of a one-cell-per-line table put over its columns: (leaf per column, spanning
    parents per column, titles over all). Reading order puts titles and group headers before the
    leaves, so spare header cells are, in turn: a group header followed by its own 总计 (a bare
    总计 with at least two columns after it: "办结案件 | 总计 | 维持 | 驳回"; a "合计（宗）" beside
    the other kinds is a column of its own), then whatever comes first (titles, headings).
    `open_ended`: the text ends inside the only row, so the width is unknown; titles are told by
    their look ("…数量（宗）", "…情况") and the leaves are read from the left."""
    words = list(words)
    spare = len(words) - width
    context: list[Cell] = []
    while open_ended and words and _is_title(words[0]):
        context.append(words.pop(0))
    leaves: list[Cell] = []
    group_of: dict[int, Cell] = {}
    group: Cell | None = None
    for k, c in enumerate(words):
        if (open_ended or spare > 0) and _heads_group(words, k):
            group = c
            spare -= 1
            continue
        if group is not None:
            group_of[len(leaves)] = group
        leaves.append(c)
    if open_ended:
        return (dict(enumerate(leaves[:width])),
                {k: [group_of[k]] for k in range(min(width, len(leaves))) if k in group_of}, context)
    tail = leaves[-width:] if len(leaves) >= width else []
    if tail and len({c.text for c in tail}) == len(tail):
        offset = len(leaves) - width
        return (dict(enumerate(tail)),
                {k: [group_of[k + offset]] for k in range(width) if k + offset in group_of},
                context + leaves[:offset])
    # side by side ("收案数 受理数 | 收案数 受理数") or fewer headers than columns: name the value
    # columns from the right
    names = leaves[-len(value_cols):] if value_cols else []
    return dict(zip(reversed(value_cols), reversed(names))), {}, context + leaves[:len(leaves) - len(names)]


def _heads_group(words: list[Cell], k: int) -> bool:
    total = words[k + 1] if k + 1 < len(words) else None
    return (total is not None and is_total_label(total.text) and not UNIT_IN_LABEL.search(total.text)
            and not is_total_label(words[k].text) and len(words) - (k + 2) >= 2)


def _period(kinds: str) -> str | None:
    """The shortest pattern of kinds that the data rows repeat (E counts as N)."""
    k = kinds.replace("E", "N")
    for p in range(1, min(MAX_PERIOD, len(k)) + 1):
        rows = [k[i:i + p] for i in range(0, len(k) - len(k) % p, p)]
        if len(rows) < 2:
            return None
        pattern = rows[0]
        if "N" not in pattern:
            continue
        rest = k[len(k) - len(k) % p:]
        if all(r == pattern for r in rows) and pattern.startswith(rest):
            return pattern
    return None


def _stream_blocks(cells: list[Cell], text_end: int, joins) -> list[Block]:
    out: list[Block] = []
    i = 0
    n = len(cells)
    while i < n:
        # header run: text and empty cells
        h = i
        while i < n and kind(cells[i]) != "N":
            i += 1
        if i >= n:
            break
        header = cells[h:i]
        # data run: numbers, with label runs of at most two cells between them
        d = i
        while i < n:
            if kind(cells[i]) == "N" or kind(cells[i]) == "E":
                i += 1
                continue
            run = i
            while run < n and kind(cells[run]) == "T":
                run += 1
            if run - i > 2 or run >= n or (kind(cells[run]) == "E" and run + 1 < n and kind(cells[run + 1]) == "T"):
                break
            i = run
        data = cells[d:i]
        block = _stream_block(header, data, text_end, joins)
        if block is not None:
            out.append(block)
    return out


def _stream_block(header: list[Cell], data: list[Cell], text_end: int, joins) -> Block | None:
    kinds = "".join(kind(c) for c in data)
    truncated = bool(data) and data[-1].end >= text_end
    pattern = _period(kinds) if "T" in kinds else None  # numbers alone: one row
    if pattern is not None and "T" in pattern and not pattern.startswith("T") and pattern.endswith("T"):
        # "132 118 | 省卫健委 7 5 | ...": rows start with their label; the first label closes
        # the header run
        lead = len(pattern) - len(pattern.rstrip("T"))
        if len(header) > lead and all(kind(c) == "T" for c in header[-lead:]):
            data = header[-lead:] + data
            header = header[:-lead]
            pattern = _period("".join(kind(c) for c in data))
        else:
            pattern = None
    if pattern is None:
        if "T" in kinds:
            return None
        rows = [data]  # one row of numbers
        p = len(data)
    else:
        p = len(pattern)
        rows = [data[k:k + p] for k in range(0, len(data), p)]
    if truncated and rows and rows[-1]:
        rows[-1] = rows[-1][:-1]  # the text ends in the last number: it may be cut off
    width = p
    full = [r for r in rows if len(r) == width]
    label_cols = [k for k in range(width) if full and all(kind(r[k]) == "T" for r in full)]
    value_cols = [k for k in range(width) if k not in label_cols]
    words = _join_fragments([c for c in header if kind(c) == "T"], joins)
    block = Block(columns=width, leaves=[None] * width, truncated=truncated)
    block.rows = [list(r) + [None] * (width - len(r)) for r in rows]
    leaves, parents, block.context = _align(words, width, value_cols, truncated and len(rows) == 1)
    for k, c in leaves.items():
        block.leaves[k] = c
    block.parents = parents
    return block
