"""Read stage, ruled tables: the horizontal and vertical rules a page draws around table cells ->
tables of rows × columns, merged cells spanning their rows and columns, each cell's glyphs.

Whitespace alone cannot find the columns of a table whose text fills its cells, nor tell a
wrapped cell from a new row; the rules can. Rules that cross each other form a grid: the
positions of its vertical rules are the column boundaries, those of its horizontal rules the
row boundaries (a missing outer border is where the other rules end). Two neighbouring slots of
the grid are one cell when no rule separates them, so a header drawn over five columns or a
label over three rows is one cell with its span. Glyphs are placed by their centre.

`PageTable` is also what column alignment (columns.py) finds in tables drawn without rules.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import pairwise

__all__ = ["PageTable", "Rule", "Slot", "cut_at_rules", "horizontal_rules", "reading_order", "ruled_tables"]

Rule = tuple[float, float, float, float]  # x0, top, x1, bottom of a drawn segment or thin box

# a drawn box thinner than this (in points) is a rule; rules closer than this are one
_THIN = 2.0
# rules shorter than this are not table borders (underlines of a character, bullets)
_MIN_LENGTH = 8.0


@dataclass(frozen=True, slots=True)
class Slot:
    """A cell of a table on a page: where it starts, its spans, its glyphs in reading order."""

    row: int
    col: int
    rowspan: int
    colspan: int
    glyphs: tuple[int, ...]  # indexes into the page's glyphs


@dataclass(frozen=True, slots=True)
class PageTable:
    rows: tuple[tuple[float, float], ...]  # top and bottom of each row
    columns: tuple[float, ...]  # x of the column boundaries (one more than the columns)
    cells: tuple[Slot, ...]  # row by row, left to right
    kind: str  # "ruled" (from drawn rules) or "aligned" (from the positions of the text)


def ruled_tables(rules: tuple[Rule, ...], glyphs, unit: float = 1.0) -> list[PageTable]:
    """Every ruled table on a page. `unit`: the page's length unit in points (image pixels are
    smaller), for the tolerances."""
    tol = _THIN * unit
    horizontal, vertical = _split(rules, tol, _MIN_LENGTH * unit)
    tables = []
    for hs, vs in _grids(horizontal, vertical, tol):
        table = _table(hs, vs, glyphs, tol)
        if table is not None:
            tables.append(table)
    return tables


def cut_at_rules(glyphs, rules: tuple[Rule, ...], unit: float = 1.0) -> list:
    """Glyphs with the text of several characters (OCR boxes) cut where a vertical rule crosses
    them: the text detector sometimes reads the ends of two neighbouring cells as one box. The
    text is shared out by the width of its characters (a Chinese character is twice a digit)."""
    tol = _THIN * unit
    _, vertical = _split(rules, tol, _MIN_LENGTH * unit)
    if not vertical:
        return list(glyphs)
    out = []
    for g in glyphs:
        weights = [1.0 if ord(ch) > 0x2E7F else 0.5 for ch in g.text]
        total = sum(weights)
        if len(g.text) < 2 or total <= 0:
            out.append(g)
            continue
        per = (g.x1 - g.x0) / total
        mid = (g.top + g.bottom) / 2
        cuts = sorted(x for x, top, bottom in vertical
                      if top <= mid <= bottom and g.x0 + 0.5 * per < x < g.x1 - 0.5 * per)
        if not cuts:
            out.append(g)
            continue
        start, x, piece = g.x0, g.x0, 0
        for i, w in enumerate(weights):
            x += w * per
            nxt = cuts[0] if cuts else None
            if nxt is not None and i + 1 < len(weights) and abs(x - nxt) <= 0.5 * per:
                out.append(type(g)(g.text[piece:i + 1], start, g.top, float(nxt), g.bottom, g.conf))
                start, piece = float(nxt), i + 1
                cuts.pop(0)
        out.append(type(g)(g.text[piece:], start, g.top, g.x1, g.bottom, g.conf))
    return out


def horizontal_rules(rules: tuple[Rule, ...], unit: float = 1.0) -> list[tuple[float, float, float]]:
    """(y, x0, x1) of the page's horizontal rules, collinear pieces joined."""
    return _split(rules, _THIN * unit, _MIN_LENGTH * unit)[0]


def _split(rules, tol: float, min_length: float):
    horizontal = []  # (y, x0, x1)
    vertical = []  # (x, top, bottom)
    for x0, top, x1, bottom in rules:
        w, h = x1 - x0, bottom - top
        if h <= tol and w >= min_length:
            horizontal.append(((top + bottom) / 2, x0, x1))
        elif w <= tol and h >= min_length:
            vertical.append(((x0 + x1) / 2, top, bottom))
    return _merge(horizontal, tol), _merge(vertical, tol)


def _merge(lines, tol: float):
    """Collinear rules that touch or overlap as one (a border drawn cell by cell)."""
    merged: list[list[float]] = []
    for group in _clusters(sorted(lines), lambda r: r[0], tol):
        pos = sum(r[0] for r in group) / len(group)
        start = len(merged)
        for _, a, b in sorted(group, key=lambda r: r[1]):
            if len(merged) > start and a <= merged[-1][2] + tol:
                merged[-1][2] = max(merged[-1][2], b)
            else:
                merged.append([pos, a, b])
    return [tuple(m) for m in merged]


def _clusters(items, key, tol: float) -> list[list]:
    """Sorted items in runs whose neighbouring keys are at most `tol` apart."""
    out: list[list] = []
    for item in items:
        if out and key(item) - key(out[-1][-1]) <= tol:
            out[-1].append(item)
        else:
            out.append([item])
    return out


def _crosses(h, v, tol: float) -> bool:
    return h[1] - tol <= v[0] <= h[2] + tol and v[1] - tol <= h[0] <= v[2] + tol


def _grids(horizontal, vertical, tol: float):
    """Groups of rules that cross each other: at least two of each kind."""
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(horizontal):
        for j, v in enumerate(vertical):
            if _crosses(h, v, tol):
                parent[find(i)] = find(len(horizontal) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(find(len(horizontal) + j), ([], []))[1].append(v)
    return [(hs, vs) for hs, vs in groups.values() if len(hs) >= 2 and len(vs) >= 2]


def _boundaries(positions: list[float], tol: float) -> list[float]:
    """Distinct boundary positions (a double border is one)."""
    return [sum(g) / len(g) for g in _clusters(sorted(positions), lambda p: p, 2 * tol)]


def _spans_at(boundaries: list[float], rules, tol: float) -> list[list[tuple[float, float]]]:
    """Per boundary, the stretches its rules cover."""
    out: list[list[tuple[float, float]]] = [[] for _ in boundaries]
    for pos, a, b in rules:
        k = min(range(len(boundaries)), key=lambda k: abs(boundaries[k] - pos))
        if abs(boundaries[k] - pos) <= 2 * tol:
            out[k].append((a - tol, b + tol))
    return out


def _covered(stretches: list[tuple[float, float]], at: float) -> bool:
    return any(a <= at <= b for a, b in stretches)


def _table(hs, vs, glyphs, tol: float) -> PageTable | None:
    xs = _boundaries([v[0] for v in vs] + [min(h[1] for h in hs), max(h[2] for h in hs)], tol)
    ys = _boundaries([h[0] for h in hs] + [min(v[1] for v in vs), max(v[2] for v in vs)], tol)
    if len(xs) < 2 or len(ys) < 2:
        return None
    walls = _spans_at(xs, vs, tol)  # vertical rules per column boundary
    floors = _spans_at(ys, hs, tol)  # horizontal rules per row boundary
    mids_x = [(a + b) / 2 for a, b in pairwise(xs)]
    mids_y = [(a + b) / 2 for a, b in pairwise(ys)]
    rows, cols = len(mids_y), len(mids_x)
    # a slot joins its right neighbour when no rule separates them, and the one below likewise
    right = [[not _covered(walls[c + 1], mids_y[r]) for c in range(cols - 1)] for r in range(rows)]
    down = [[not _covered(floors[r + 1], mids_x[c]) for c in range(cols)] for r in range(rows - 1)]
    boxes = _cells(rows, cols, right, down)
    if boxes is None:  # merged areas that are not rectangles: rows stay apart (no row spans)
        boxes = _cells(rows, cols, right, [[False] * cols for _ in range(rows - 1)])
    owner = {(r, c): k for k, (r0, c0, r1, c1) in enumerate(boxes)
             for r in range(r0, r1) for c in range(c0, c1)}
    members: list[list[int]] = [[] for _ in boxes]
    for i, g in enumerate(glyphs):
        cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        if xs[0] < cx < xs[-1] and ys[0] < cy < ys[-1]:
            members[owner[(bisect.bisect_right(ys, cy) - 1, bisect.bisect_right(xs, cx) - 1)]].append(i)
    # rows without any text of their own (spacers, a double border) are left out
    empty = {r for r in range(rows) if all(
        not members[owner[(r, c)]] and boxes[owner[(r, c)]][2] - boxes[owner[(r, c)]][0] == 1 for c in range(cols))}
    if len(empty) == rows:
        return None
    renumber = {r: r - sum(1 for e in empty if e < r) for r in range(rows + 1)}
    cells = [Slot(renumber[r0], c0, renumber[r1] - renumber[r0], c1 - c0, tuple(reading_order(members[k], glyphs)))
             for k, (r0, c0, r1, c1) in sorted(enumerate(boxes), key=lambda kb: (kb[1][0], kb[1][1]))
             if r0 not in empty]
    bands = tuple((ys[r], ys[r + 1]) for r in range(rows) if r not in empty)
    return PageTable(bands, tuple(xs), tuple(cells), "ruled")


def _cells(rows: int, cols: int, right, down) -> list[tuple[int, int, int, int]] | None:
    """The merged areas of the grid as (row0, col0, row1, col1), None if one is no rectangle."""
    seen = [[False] * cols for _ in range(rows)]
    boxes = []
    for r in range(rows):
        for c in range(cols):
            if seen[r][c]:
                continue
            stack, area = [(r, c)], []
            seen[r][c] = True
            while stack:
                y, x = stack.pop()
                area.append((y, x))
                steps = []
                if x + 1 < cols and right[y][x]:
                    steps.append((y, x + 1))
                if x > 0 and right[y][x - 1]:
                    steps.append((y, x - 1))
                if y + 1 < rows and down[y][x]:
                    steps.append((y + 1, x))
                if y > 0 and down[y - 1][x]:
                    steps.append((y - 1, x))
                for s in steps:
                    if not seen[s[0]][s[1]]:
                        seen[s[0]][s[1]] = True
                        stack.append(s)
            r0, r1 = min(y for y, _ in area), max(y for y, _ in area) + 1
            c0, c1 = min(x for _, x in area), max(x for _, x in area) + 1
            if (r1 - r0) * (c1 - c0) != len(area):
                return None
            boxes.append((r0, c0, r1, c1))
    return boxes


def reading_order(indexes: list[int], glyphs) -> list[int]:
    """A cell's glyphs line by line, left to right: a glyph is on the line whose band (the boxes
    of its glyphs so far) holds its centre, so a flat glyph (一) or a quote mark drawn from
    another font stays on its line."""
    lines: list[tuple[list[int], list[float]]] = []
    for i in sorted(indexes, key=lambda i: (glyphs[i].top + glyphs[i].bottom) / 2):
        g = glyphs[i]
        mid = (g.top + g.bottom) / 2
        if lines and lines[-1][1][0] <= mid <= lines[-1][1][1]:
            band = lines[-1][1]
            lines[-1][0].append(i)
            band[0], band[1] = min(band[0], g.top), max(band[1], g.bottom)
            continue
        lines.append(([i], [g.top, g.bottom]))
    return [i for line, _ in lines for i in sorted(line, key=lambda i: glyphs[i].x0)]
