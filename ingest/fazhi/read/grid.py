"""Read stage, ruled tables: the horizontal and vertical rules a PDF draws around table cells ->
the rows of the table, each cell's text whole even when it wraps inside the cell.

Whitespace alone cannot find the columns of a table whose text fills its cells, nor tell a
wrapped cell from a new row; the rules can. Rules that cross each other form a grid; every band
between two horizontal rules is a row, cut into cells by the vertical rules that cross it (so
merged cells stay one cell). Glyphs are placed by their centre.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

__all__ = ["Rule", "TableRow", "table_rows"]

Rule = tuple[float, float, float, float]  # x0, top, x1, bottom of a drawn segment or thin box

# a drawn box thinner than this (in points) is a rule; rules closer than this are one
_THIN = 2.0
# rules shorter than this are not table borders (underlines of a character, bullets)
_MIN_LENGTH = 8.0


@dataclass(frozen=True, slots=True)
class TableRow:
    top: float
    bottom: float
    x0: float
    x1: float
    cells: tuple[tuple[int, ...], ...]  # per cell, the indexes of its glyphs, in reading order


def table_rows(rules: tuple[Rule, ...], glyphs) -> list[TableRow]:
    """The rows of every ruled table on a page, with the glyphs (by index) in each cell."""
    horizontal, vertical = _split(rules)
    rows: list[TableRow] = []
    for hs, vs in _grids(horizontal, vertical):
        rows.extend(_rows(hs, vs, glyphs))
    return rows


def _split(rules):
    horizontal = []  # (y, x0, x1)
    vertical = []  # (x, top, bottom)
    for x0, top, x1, bottom in rules:
        w, h = x1 - x0, bottom - top
        if h <= _THIN and w >= _MIN_LENGTH:
            horizontal.append(((top + bottom) / 2, x0, x1))
        elif w <= _THIN and h >= _MIN_LENGTH:
            vertical.append(((x0 + x1) / 2, top, bottom))
    return _merge(horizontal), _merge(vertical)


def _merge(lines):
    """Collinear rules that touch or overlap as one (a border drawn cell by cell)."""
    merged: list[list[float]] = []
    for pos, a, b in sorted(lines):
        last = merged[-1] if merged else None
        if last and abs(last[0] - pos) <= _THIN and a <= last[2] + _THIN:
            last[2] = max(last[2], b)
        else:
            merged.append([pos, a, b])
    return [tuple(m) for m in merged]


def _crosses(h, v) -> bool:
    return h[1] - _THIN <= v[0] <= h[2] + _THIN and v[1] - _THIN <= h[0] <= v[2] + _THIN


def _grids(horizontal, vertical):
    """Groups of rules that cross each other: at least two of each kind."""
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(horizontal):
        for j, v in enumerate(vertical):
            if _crosses(h, v):
                parent[find(i)] = find(len(horizontal) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(find(len(horizontal) + j), ([], []))[1].append(v)
    return [(hs, vs) for hs, vs in groups.values() if len(hs) >= 2 and len(vs) >= 2]


def _rows(hs, vs, glyphs) -> list[TableRow]:
    ys = sorted({round(h[0], 1) for h in hs})
    rows = []
    for top, bottom in pairwise(ys):
        if bottom - top < 2 * _THIN:
            continue
        mid = (top + bottom) / 2
        xs = sorted(v[0] for v in vs if v[1] - _THIN <= mid <= v[2] + _THIN)
        if len(xs) < 2:
            continue
        cells: list[list[int]] = [[] for _ in xs[1:]]
        for i, g in enumerate(glyphs):
            cy, cx = (g.top + g.bottom) / 2, (g.x0 + g.x1) / 2
            if top < cy < bottom and xs[0] < cx < xs[-1]:
                col = next(k for k in range(len(xs) - 1) if cx < xs[k + 1])
                cells[col].append(i)
        if any(cells):
            rows.append(TableRow(top, bottom, xs[0], xs[-1],
                                 tuple(tuple(_reading_order(c, glyphs)) for c in cells)))
    return rows


def _reading_order(indexes: list[int], glyphs) -> list[int]:
    """A cell's glyphs line by line (by vertical position), left to right."""
    lines: list[list[int]] = []
    for i in sorted(indexes, key=lambda i: (glyphs[i].top + glyphs[i].bottom) / 2):
        g = glyphs[i]
        mid = (g.top + g.bottom) / 2
        if lines:
            ref = glyphs[lines[-1][0]]
            if ref.top <= mid <= ref.bottom:
                lines[-1].append(i)
                continue
        lines.append([i])
    return [i for line in lines for i in sorted(line, key=lambda i: glyphs[i].x0)]
