"""Read stage, tables of Word 97-2003 files: rows of cell texts (doc.py) and each row's table
definition (sprmTDefTable: the x of its cell edges and the merge flags of its cells) -> the
table's cells on its grid, with their spans, at their offsets in the text (html.place_tables, as
for HTML and DOCX tables).

The columns are the cell edges of all rows together, so a cell as wide as five cells of
another row spans five columns. A cell flagged as continuing a vertical merge is left out and
the cell that starts the merge spans its row too; an old-style horizontal merge (a cell flagged
"merged" after its first) widens the first.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from fazhi.read.html import place_tables
from fazhi.records import TableGrid

__all__ = ["RowDef", "located_tables", "row_def"]

_TC_SIZE = 20  # bytes of one cell's TC80 record
_MERGED = 0x0002  # fMerged: part of a horizontal merge, after its first cell
_VERT_MERGE = 0x0020  # fVertMerge: part of a vertical merge
_VERT_RESTART = 0x0040  # fVertRestart: the first cell of a vertical merge
_SAME_EDGE = 30  # twips (1.5 pt): cell edges closer than this are one column edge


@dataclass(frozen=True, slots=True)
class RowDef:
    edges: tuple[int, ...]  # x of the cell edges in twips, one more than the cells
    flags: tuple[int, ...]  # per cell, its merge flags (TC80.tcgrf)


def row_def(operand: bytes) -> RowDef | None:
    """The definition of a row from the operand of its sprmTDefTable (after the length)."""
    if not operand:
        return None
    cells = operand[0]
    start = 1 + 2 * (cells + 1)
    if cells == 0 or len(operand) < start:
        return None
    edges = struct.unpack_from(f"<{cells + 1}h", operand, 1)
    flags = tuple(struct.unpack_from("<H", operand, start + _TC_SIZE * k)[0]
                  if start + _TC_SIZE * k + 2 <= len(operand) else 0 for k in range(cells))
    return RowDef(edges, flags)


def located_tables(tables: list[list[tuple[list[str], RowDef | None]]], text: str) -> tuple[TableGrid, ...]:
    """The tables (rows of cell texts and their definitions) with their cells found in `text`."""
    return place_tables([_spans(rows) for rows in tables], text, "ruled")


def _column_edges(rows) -> list[int]:
    edges: list[int] = []
    for x in sorted({x for _, d in rows if d is not None for x in d.edges}):
        if not edges or x - edges[-1] > _SAME_EDGE:
            edges.append(x)
    return edges


def _spans(rows: list[tuple[list[str], RowDef | None]]) -> list[list[tuple[str, int, int]]]:
    """Rows of (text, rowspan, colspan), as HTML would give them."""
    edges = _column_edges(rows)

    def column(x: int) -> int:
        return min(range(len(edges)), key=lambda k: abs(edges[k] - x))

    out: list[list[tuple[str, int, int]]] = []
    merging: dict[int, tuple[int, int]] = {}  # column -> (row, index) of the cell a merge started
    for texts, definition in rows:
        row: list[tuple[str, int, int]] = []
        if definition is None or len(definition.edges) != len(texts) + 1:
            out.append([(t, 1, 1) for t in texts])
            merging = {}
            continue
        for k, text in enumerate(texts):
            left = column(definition.edges[k])
            span = max(1, column(definition.edges[k + 1]) - left)
            flag = definition.flags[k]
            if flag & _MERGED and row and not text:
                t, rowspan, colspan = row[-1]
                row[-1] = (t, rowspan, colspan + span)
                continue
            if flag & _VERT_MERGE and not flag & _VERT_RESTART and left in merging and not text:
                r, i = merging[left]
                t, rowspan, colspan = out[r][i]
                out[r][i] = (t, rowspan + 1, colspan)
                continue
            row.append((text, 1, span))
            if flag & _VERT_RESTART:
                merging[left] = (len(out), len(row) - 1)
            else:
                merging.pop(left, None)
        out.append(row)
    return out
