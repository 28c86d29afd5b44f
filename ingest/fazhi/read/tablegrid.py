"""Read stage, tables of paged documents: the cells of the tables found on pages (grid.py from
drawn rules, columns.py from the positions of the text) at their offsets in the laid-out text,
as records.TableGrid for the table stage, like the tables of HTML and DOCX.

A row is one line of the text, its non-empty cells joined by " | "; an empty cell sits where it
would be (after the cell before it). A table that goes on over a page break (the next line of
the text is a table on a later page with the same columns) is one table.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from fazhi.read.grid import PageTable, Slot
from fazhi.records import TableCell, TableGrid

__all__ = ["CELL_SEPARATOR", "TableCollector"]

CELL_SEPARATOR = " | "
# the smallest table kept with its structure: a one-column list or a framed paragraph is no table
MIN_ROWS = 2
MIN_COLUMNS = 2
# the columns of a table's continuation on the next page may move by this share of its width
_SAME_COLUMNS = 0.02


@dataclass(slots=True)
class _Group:
    kind: str
    columns: tuple[float, ...]
    page: int  # of the last part
    row_offset: int  # rows before the last part
    cells: list[TableCell] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)


class TableCollector:
    """Collects the rows of page tables as the layout writes them out."""

    def __init__(self) -> None:
        self._groups: list[_Group] = []
        self._of: dict[int, _Group] = {}  # id of a page table -> its group
        self._last: tuple[PageTable, _Group] | None = None  # the table of the line just written

    def interrupt(self) -> None:
        """A line that is no table row was written."""
        self._last = None

    def add(self, table: PageTable, page: int, slots: list[Slot], texts: list[str], start: int) -> None:
        """A row line of `table` written at `start`: its slots and their texts (in order)."""
        group = self._of.get(id(table))
        if group is None:
            last = self._last
            if last is not None and last[0] is not table and page > last[1].page and _same_columns(
                    last[1].columns, table.columns):
                group = last[1]
                group.row_offset, group.page = group.rows, page
            else:
                group = _Group(table.kind, table.columns, page, 0)
                self._groups.append(group)
            self._of[id(table)] = group
        pos, first = start, True
        for slot, text in zip(slots, texts):
            if text and not first:
                pos += len(CELL_SEPARATOR)
            a = pos
            if text:
                pos, first = pos + len(text), False
            group.cells.append(TableCell(text, a, pos, group.row_offset + slot.row, slot.col,
                                         slot.rowspan, slot.colspan))
        self._last = (table, group)

    def grids(self) -> tuple[TableGrid, ...]:
        out = []
        for g in self._groups:
            if g.rows < MIN_ROWS or len(g.columns) - 1 < MIN_COLUMNS or not any(c.text for c in g.cells):
                continue
            cells = tuple(sorted(g.cells, key=lambda c: (c.row, c.col)))
            out.append(TableGrid(min(c.start for c in cells), max(c.end for c in cells), g.kind, cells))
        return tuple(out)


def _same_columns(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    width = a[-1] - a[0]
    return len(a) == len(b) and all(abs(x - y) <= _SAME_COLUMNS * width for x, y in zip(a, b))
