"""Table geometry of paged documents: drawn rules -> rows × columns with merged cells, OCR boxes
cut at borders, lines found in a scanned page image, Word 97 row definitions -> spans. Pure
functions on made-up coordinates (fast lane)."""
from __future__ import annotations

import pytest

from fazhi.read.doc_tables import RowDef, _spans
from fazhi.read.grid import cut_at_rules, reading_order, ruled_tables
from fazhi.read.layout import Glyph


def h(y, x0, x1):
    return (x0, y, x1, y)


def v(x, top, bottom):
    return (x, top, x, bottom)


def box(text, cx, cy, w=10.0, hgt=10.0, conf=1.0):
    return Glyph(text, cx - w / 2, cy - hgt / 2, cx + w / 2, cy + hgt / 2, conf)


def cells_of(table, glyphs):
    return {("".join(glyphs[i].text for i in s.glyphs), s.row, s.col, s.rowspan, s.colspan) for s in table.cells}


def test_a_header_over_two_columns_and_a_label_over_two_rows_are_one_cell_each():
    # columns at x 0|100|200|300, rows at y 0|20|40|60; no rule between the two right columns
    # in the first row, none between the last two rows in the first column
    rules = (h(0, 0, 300), h(20, 0, 300), h(40, 100, 300), h(60, 0, 300),
             v(0, 0, 60), v(100, 0, 60), v(200, 20, 60), v(300, 0, 60))
    glyphs = [box("类别", 50, 10), box("案件数", 200, 10), box("受理", 150, 30), box("办结", 250, 30),
              box("复议", 50, 50), box("7", 150, 50), box("5", 250, 50)]
    (table,) = ruled_tables(rules, glyphs)
    assert table.kind == "ruled" and len(table.columns) == 4
    assert cells_of(table, glyphs) == {
        ("类别", 0, 0, 1, 1), ("案件数", 0, 1, 1, 2), ("受理", 1, 1, 1, 1), ("办结", 1, 2, 1, 1),
        ("复议", 1, 0, 2, 1), ("7", 2, 1, 1, 1), ("5", 2, 2, 1, 1)}


def test_a_table_without_side_borders_still_has_its_outer_columns():
    rules = (h(0, 0, 300), h(20, 0, 300), h(40, 0, 300), v(100, 0, 40), v(200, 0, 40))
    glyphs = [box("项目", 50, 10), box("受理", 150, 10), box("办结", 250, 10),
              box("复议", 50, 30), box("12", 150, 30), box("", 250, 30)]
    (table,) = ruled_tables(rules, glyphs)
    assert len(table.columns) == 4
    assert ("复议", 1, 0, 1, 1) in cells_of(table, glyphs) and ("12", 1, 1, 1, 1) in cells_of(table, glyphs)


def test_merged_areas_that_are_no_rectangles_keep_their_rows_apart():
    # an L-shaped area (rule pieces missing in two places) cannot be one cell
    rules = (h(0, 0, 200), h(20, 100, 200), h(40, 0, 200), v(0, 0, 40), v(100, 20, 40), v(200, 0, 40))
    glyphs = [box("甲", 50, 10), box("乙", 150, 30)]
    (table,) = ruled_tables(rules, glyphs)
    assert all(s.rowspan == 1 for s in table.cells)


def test_rows_without_any_text_are_left_out():
    rules = (h(0, 0, 200), h(20, 0, 200), h(22.5, 0, 200), h(40, 0, 200), h(60, 0, 200), v(0, 0, 60),
             v(100, 0, 60), v(200, 0, 60))
    glyphs = [box("项目", 50, 10), box("数量", 150, 10), box("复议", 50, 50), box("3", 150, 50)]
    (table,) = ruled_tables(rules, glyphs)
    assert len(table.rows) == 2 and {s.row for s in table.cells} == {0, 1}


def test_an_ocr_box_over_two_cells_is_cut_at_the_border():
    rules = (h(0, 0, 200), h(40, 0, 200), v(0, 0, 40), v(131, 0, 40), v(200, 0, 40))
    # "三、本年度办" ends the left cell's line, "法提供" starts the right cell's line
    glyphs = [Glyph("三、本年度办法提供", 10, 10, 190, 30, 0.99)]
    cut = cut_at_rules(glyphs, rules)
    assert [g.text for g in cut] == ["三、本年度办", "法提供"]
    assert cut[0].x1 == cut[1].x0 == 131 and all(g.conf == 0.99 for g in cut)
    assert cut_at_rules([Glyph("12", 40, 10, 60, 30)], rules)[0].text == "12"  # inside one cell


def test_a_flat_glyph_or_a_quote_from_another_font_stays_on_its_line():
    glyphs = [Glyph("一", 20, 9.5, 30, 10.5), Glyph("3", 0, 4, 5, 16), Glyph("“", 5, 4, 10, 16),
              Glyph("万", 10, 5, 20, 15), Glyph("元", 0, 25, 10, 35)]
    assert "".join(glyphs[i].text for i in reading_order(list(range(5)), glyphs)) == "3“万一元"


def test_lines_of_a_tilted_scanned_table_are_found_after_it_is_turned_upright():
    np = pytest.importorskip("numpy")
    cv2 = pytest.importorskip("cv2")
    from fazhi.read.ruling import find_rules, straighten, tilt

    image = np.full((1000, 800, 3), 255, np.uint8)
    for y in (200, 300, 400, 500):
        cv2.line(image, (100, y), (700, y), (0, 0, 0), 2)
    for x in (100, 300, 700):
        cv2.line(image, (x, 200), (x, 500), (0, 0, 0), 2)
    cv2.putText(image, "12", (150, 260), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    turn = cv2.getRotationMatrix2D((400, 500), 0.6, 1.0)
    tilted = cv2.warpAffine(image, turn, (800, 1000), borderValue=(255, 255, 255))
    assert abs(tilt(tilted)) > 0.4
    upright = straighten(tilted)
    assert abs(tilt(upright)) < 0.1
    rules = find_rules(upright)
    assert sum(1 for r in rules if r[1] == r[3]) == 4 and sum(1 for r in rules if r[0] == r[2]) == 3


def test_number_cells_read_with_look_alikes_or_a_piece_of_the_border_are_mended():
    from fazhi.read.ocr_tables import _mended

    def read(text, left=False):
        return _mended(Glyph(text, 0, 0, 10, 10, 0.5), left).text

    assert read("o") == "0" and read("[2") == "2" and read("1O") == "10" and read("l5") == "15"
    assert read("lo", left=True) == "0"  # the cell's left border read as "l"
    assert read("10", left=True) == "10"  # a digit is never taken for the border
    assert read("行政") == "行政" and read("ok") == "ok" and read("lo") == "lo"


def test_word97_rows_give_spans_from_their_cell_edges_and_merge_flags():
    restart, continues = 0x60, 0x20
    rows = [
        (["类别", "案件数"], RowDef((0, 1000, 3000), (restart, 0))),
        (["", "受理", "办结"], RowDef((0, 1000, 2000, 3000), (continues, 0, 0))),
        (["复议", "7", ""], RowDef((0, 1000, 2000, 3000), (0, 0, 0))),
        (["备注"], None),  # a row without a definition: one cell per cell mark
    ]
    assert _spans(rows) == [[("类别", 2, 1), ("案件数", 1, 2)], [("受理", 1, 1), ("办结", 1, 1)],
                            [("复议", 1, 1), ("7", 1, 1), ("", 1, 1)], [("备注", 1, 1)]]
