"""Scanned reports: image-only PDFs and image files read by OCR (PP-OCR models shipped in the
rapidocr-onnxruntime wheel, offline). Slow lane: OCR takes seconds per page."""
from __future__ import annotations

import hashlib

import make_formats as mk
import pytest
from conftest import SAMPLES

from fazhi.pipeline import process_bytes
from fazhi.read import UnreadableFile, read_document

pytestmark = pytest.mark.slow

# the shortest sample (5 pages as a PDF), and a one-page excerpt of another
SCAN_SAMPLE = SAMPLES / "002_ae7bc27bfd6d05d1.txt"


def facts(data: bytes, name: str) -> dict[str, object]:
    processed = process_bytes(data, name, hashlib.sha256(data).hexdigest())
    best: dict[str, object] = {}
    for c in processed.candidates:
        if c.scope == "total":
            best.setdefault(c.indicator_code, c)
    return best


@pytest.fixture(scope="module")
def text_pdf() -> bytes:
    return mk.text_pdf(mk.paragraphs(SCAN_SAMPLE.read_text(encoding="utf-8")))


def test_image_only_pdf_with_a_page_on_its_side_gives_the_facts_of_the_text(text_pdf):
    scan = mk.scan_pdf(text_pdf, turn={1: 1})
    processed = process_bytes(scan, "scan.pdf", hashlib.sha256(scan).hexdigest())
    row = processed.report_row
    assert row["text_source"] == "pdf_ocr"
    assert row["page_count"] == read_document(text_pdf, "t.pdf").page_count
    assert row["unread_pages"] is None
    want = facts(SCAN_SAMPLE.read_bytes(), "r.txt")
    got: dict[str, object] = {}
    for c in processed.candidates:
        if c.scope == "total":
            got.setdefault(c.indicator_code, c)
    same = {k for k in want if k in got and got[k].value == want[k].value}
    assert len(same) >= 0.85 * len(want), sorted(set(want) - same)
    assert all(1 <= c.page <= row["page_count"] for c in processed.candidates)


def test_image_files_png_jpeg_and_multipage_tiff(text_pdf):
    # the top of the first two pages (OCR time grows with the text on a page)
    images = [im.crop((0, 0, im.width, im.height * 2 // 5)) for im in mk.page_images(text_pdf, tilt=0.0)[:2]]
    png = read_document(mk.image_file(images[0], "PNG"), "p1.png")
    jpg = read_document(mk.image_file(images[0], "JPEG"), "p1.jpg")
    tif = read_document(mk.tiff_pages(images), "scan.tif")
    for doc in (png, jpg, tif):
        assert doc.text_source == "image_ocr"
        assert doc.ocr_boxes and all(0 < c <= 1 for _, _, c in doc.ocr_boxes)
    assert png.page_count == jpg.page_count == 1 and tif.page_count == 2
    # the first page reads the same from each: only OCR slips may differ
    assert mk.squeeze_ratio(png.text, jpg.text) > 0.95
    assert mk.squeeze_ratio(png.text, tif.text[: tif.page_starts[1]]) > 0.95
    assert tif.page_at(len(tif.text) - 1) == 2


def test_a_page_nothing_can_read_is_reported_and_the_rest_lands(tmp_path):
    from fazhi.pipeline import ingest

    paras = mk.paragraphs(SCAN_SAMPLE.read_text(encoding="utf-8"))
    pdf = mk.break_page(mk.text_pdf(paras, compress=False), 1)
    doc = read_document(pdf, "broken-page.pdf")
    assert doc.unread_pages == (2,)
    assert paras[0] in doc.text and paras[-1][-12:] in doc.text
    path = tmp_path / "broken-page.pdf"
    path.write_bytes(pdf)
    summary = ingest(tmp_path / "w.duckdb", [path], workers=1)
    assert summary.landed == 1
    assert summary.unread_pages == [(str(path), [2])]


def test_a_blank_image_is_unreadable_with_a_reason():
    from PIL import Image

    with pytest.raises(UnreadableFile, match="no readable text"):
        read_document(mk.image_file(Image.new("L", (800, 1100), 255), "PNG"), "blank.png")


def test_the_pages_of_a_scan_read_across_the_pool_give_the_same_text_as_read_in_one_process(tmp_path):
    import duckdb

    from fazhi.pipeline import ingest

    paras = mk.paragraphs(SCAN_SAMPLE.read_text(encoding="utf-8"))[:12]
    scan = mk.scan_pdf(mk.text_pdf(paras, header=None))
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan)
    summary = ingest(tmp_path / "w.duckdb", [path], workers=2)  # pages spread over 2 workers
    assert (summary.landed, summary.quarantined) == (1, 0)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    text, source, pages = con.execute("select original_text, text_source, page_count from raw.reports").fetchone()
    con.close()
    inline = read_document(scan, "scan.pdf")
    assert (source, pages) == ("pdf_ocr", inline.page_count) and pages >= 2
    assert text == inline.text
