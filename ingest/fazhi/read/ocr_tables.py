"""Read stage, OCR of ruled tables: the cells a scanned table's own borders cut out (grid.py over
the rules ruling.py finds) get a second look.

* A text box the detector drew over the ends of two neighbouring cells is cut at the border.
* A cell with ink in it but no text box (the detector misses a lone narrow digit such as "1"
  in a wide cell) is read again on its own: the recogniser alone on the ink of that cell.
* A number cell read with the look-alike letters of digits ("o" for 0, "l" for 1) or with a
  piece of the border ("[2") is mended, when the whole cell then reads as a number.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from fazhi.read.grid import PageTable, cut_at_rules, ruled_tables
from fazhi.read.layout import Glyph
from fazhi.read.ruling import ink_of

if TYPE_CHECKING:
    import numpy as np

__all__ = ["read_table_cells"]

# a cell's border lines are at most this many points thick (they are not ink in the cell)
_BORDER = 3.0
# ink smaller than this (points high) is a speck, not a character
_MIN_INK = 3.0
# a cell read again is kept at this confidence or more
_MIN_SCORE = 0.5
_LOOK_ALIKE = str.maketrans({"o": "0", "O": "0", "〇": "0", "l": "1", "I": "1", "|": "1"})
_EDGE_NOISE = "[]|丨【】"
_BORDER_LIKE = "lI|丨"  # what a border line inside a text box reads as
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*%?")


def read_table_cells(image: np.ndarray, glyphs: list[Glyph], rules, unit: float,
                     recognise_crops: Callable[[list], list[tuple[str, float]]]) -> list[Glyph]:
    """The page's text boxes with its ruled tables' cells cut apart, read again and mended."""
    glyphs = cut_at_rules(glyphs, rules, unit)
    tables = ruled_tables(rules, glyphs, unit)
    if not tables:
        return glyphs
    near = unit  # a box reaching this close to a border (or over it) holds the border's stroke
    for table in tables:
        for slot in table.cells:
            if len(slot.glyphs) == 1:
                i = slot.glyphs[0]
                g = glyphs[i]
                glyphs[i] = _mended(g, g.x0 - table.columns[slot.col] < near,
                                    table.columns[slot.col + slot.colspan] - g.x1 < near)
    return glyphs + _blank_cells(image, tables, unit, recognise_crops)


def _mended(g: Glyph, left: bool = False, right: bool = False) -> Glyph:
    """A cell's text box that reads as a number once look-alikes and border pieces are mended
    (it held a digit, or was one look-alike letter alone); else the box as read. `left`,
    `right`: the box reaches over the cell's border on that side, so a stroke there ("lo") is
    the border read as a letter."""
    text = g.text.strip(_EDGE_NOISE + " ")
    if left and len(text) > 1 and text[0] in _BORDER_LIKE:
        text = text[1:]
    if right and len(text) > 1 and text[-1] in _BORDER_LIKE:
        text = text[:-1]
    mended = text.translate(_LOOK_ALIKE)
    if mended == g.text or not _NUMBER.fullmatch(mended):
        return g
    if not any(ch.isdigit() for ch in text) and len(text) != 1:
        return g
    return Glyph(mended, g.x0, g.top, g.x1, g.bottom, g.conf)


def _blank_cells(image, tables: list[PageTable], unit: float, recognise_crops) -> list[Glyph]:
    import numpy as np

    ink = ink_of(image)
    inset = round(_BORDER * unit)
    crops, places = [], []
    for table in tables:
        for slot in table.cells:
            if slot.glyphs:
                continue
            x0 = int(table.columns[slot.col]) + inset
            x1 = int(table.columns[slot.col + slot.colspan]) - inset
            top = int(table.rows[slot.row][0]) + inset
            bottom = int(table.rows[slot.row + slot.rowspan - 1][1]) - inset
            if x1 - x0 < 2 * inset or bottom - top < 2 * inset:
                continue
            ys, xs = np.nonzero(ink[top:bottom, x0:x1])
            if len(ys) == 0 or ys.max() - ys.min() < _MIN_INK * unit:
                continue
            pad = inset
            a, b = max(top, top + ys.min() - pad), min(bottom, top + ys.max() + pad + 1)
            c, d = max(x0, x0 + xs.min() - pad), min(x1, x0 + xs.max() + pad + 1)
            crops.append(np.ascontiguousarray(image[a:b, c:d]))
            places.append((float(c), float(a), float(d), float(b)))
    if not crops:
        return []
    out = []
    for (text, score), (c, a, d, b) in zip(recognise_crops(crops), places):
        text = str(text).strip()
        if text and score >= _MIN_SCORE:
            out.append(_mended(Glyph(text, c, a, d, b, round(float(score), 4))))
    return out
