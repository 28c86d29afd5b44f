"""Tables reach the table stage with their structure from every format a report is published
in: the standard 2021 政府信息公开 report (blank cells, 法人或其他组织 over five columns,
三、本年度办理结果 over every outcome row) as HTML, DOCX, Word 97, a text PDF with a ruled grid
(fpdf2, and Chromium's print of the page) and a scan of that PDF give the same template facts."""
from __future__ import annotations

import hashlib

import make_formats as mk
import pytest
from conftest import FIXTURES
from table_forms import disclosure_report_2021, report_html

from fazhi.pipeline import process_bytes
from fazhi.read import read_document

PARTS = disclosure_report_2021()


def table_facts(data: bytes, name: str) -> dict[str, float]:
    """indicator -> value of the facts read from tables, checking each one's evidence."""
    processed = process_bytes(data, name, hashlib.sha256(data).hexdigest())
    text = processed.report_row["original_text"]
    out: dict[str, float] = {}
    for c in processed.candidates:
        if c.source != "table":
            continue
        assert text[c.char_start:c.char_end] == c.evidence
        assert c.char_start <= c.value_start < c.value_end <= c.char_end
        out.setdefault(c.indicator_code, c.value)
    return out


def agreement(got: dict[str, float], expected: dict[str, float]) -> float:
    return sum(1 for k, v in expected.items() if got.get(k) == v) / len(expected)


@pytest.fixture(scope="module")
def html_facts() -> dict[str, float]:
    return table_facts(report_html(PARTS).encode("utf-8"), "report.html")


@pytest.fixture(scope="module")
def text_pdf() -> bytes:
    return mk.report_pdf(PARTS)


def test_the_web_page_gives_every_filled_cell_and_no_blank_one(html_facts):
    assert html_facts["rules_issued"] == 1 and html_facts["rules_in_force"] == 7
    assert "rules_repealed" not in html_facts and "enforcement_coercive" not in html_facts  # blank
    assert html_facts["info_disclosure_requests_businesses"] == 3
    assert "info_disclosure_requests_research_institutions" not in html_facts
    assert html_facts["info_disclosure_requests_public_interest_orgs"] == 1
    assert html_facts["info_disclosure_requests"] == 15
    assert html_facts["info_disclosure_requests_carried_over"] == 2
    assert html_facts["info_disclosure_refused_prohibited"] == 1
    assert html_facts["info_disclosure_unavailable_not_held"] == 3
    assert html_facts["info_disclosure_litigation_direct_total"] == 2
    assert len(html_facts) == 39


def test_docx_tables_give_the_facts_of_the_web_page(html_facts):
    got = table_facts(mk.report_docx(PARTS), "report.docx")
    assert agreement(got, html_facts) >= 0.95
    assert set(got) <= set(html_facts)


def test_word97_tables_give_the_facts_of_the_web_page(html_facts):
    data = (FIXTURES / "formats" / "disclosure2021.doc").read_bytes()
    doc = read_document(data, "report.doc")
    spans = {(c.text, c.rowspan, c.colspan) for t in doc.tables for c in t.cells}
    assert ("法人或其他组织", 1, 5) in spans and ("三、本年度办理结果", 22, 1) in spans
    got = table_facts(data, "report.doc")
    assert agreement(got, html_facts) >= 0.95
    assert set(got) <= set(html_facts)


def test_text_pdf_tables_keep_blank_and_merged_cells_at_their_offsets(text_pdf):
    doc = read_document(text_pdf, "report.pdf")
    assert doc.tables and {t.layout for t in doc.tables} == {"ruled"}
    cells = [c for t in doc.tables for c in t.cells]
    assert all(doc.text[c.start:c.end] == c.text for c in cells)
    spans = {(c.text, c.rowspan, c.colspan) for c in cells}
    assert ("法人或其他组织", 1, 5) in spans and ("申请人情况", 1, 7) in spans
    assert any(text == "三、本年度办理结果" and rowspan > 1 for text, rowspan, _ in spans)
    # the row of requests carried over: six blank cells, then its total
    table = next(t for t in doc.tables if any(c.text.startswith("二、上年结转") for c in t.cells))
    label = next(c for c in table.cells if c.text.startswith("二、上年结转"))
    row = sorted((c for c in table.cells if c.row == label.row and c is not label), key=lambda c: c.col)
    assert [c.text for c in row] == [""] * 6 + ["2"]
    # the text itself still shows each row as a line of its non-empty cells
    assert "二、上年结转政府信息公开申请数量 | 2" in doc.text.splitlines()


def test_text_pdf_tables_give_the_facts_of_the_web_page(text_pdf, html_facts):
    got = table_facts(text_pdf, "report.pdf")
    assert agreement(got, html_facts) >= 0.95
    assert set(got) <= set(html_facts)


def test_a_ruled_table_that_goes_on_over_a_page_break_is_one_table():
    rows = [["单位", "受理", "办结"]] + [[f"第{i}执法大队", str(i), str(i + 1)] for i in range(1, 61)]
    doc = read_document(mk.text_pdf(["各单位办理情况如下。"], table=rows, table_after=0, header=None), "t.pdf")
    assert doc.page_count and doc.page_count > 1
    (table,) = doc.tables
    assert max(c.row for c in table.cells) == 60
    assert [c.text for c in table.cells if c.row == 60] == ["第60执法大队", "60", "61"]


@pytest.mark.slow
def test_chromium_printed_pdf_tables_give_the_facts_of_the_web_page(html_facts):
    got = table_facts(mk.chromium_pdf(report_html(PARTS)), "printed.pdf")
    assert agreement(got, html_facts) >= 0.95


@pytest.mark.slow
def test_scanned_tables_give_the_facts_of_the_web_page(text_pdf, html_facts):
    """The PDF rasterised like a scanner (150 dpi, tilted, JPEG): rows and columns from the
    table's own borders in the image, cells the text detector missed read again."""
    scan = mk.scan_pdf(text_pdf)
    doc = read_document(scan, "scan.pdf")
    assert doc.text_source == "pdf_ocr" and doc.tables
    assert all(doc.text[c.start:c.end] == c.text for t in doc.tables for c in t.cells)
    got = table_facts(scan, "scan.pdf")
    assert agreement(got, html_facts) >= 0.85
