"""Reports as PDF, DOCX and legacy Word files read into the same text (and so the same facts) as
the plain text they were made from. The files are generated here from the bundled sample
reports (make_formats.py); OCR tests are in test_read_ocr.py (slow lane)."""
from __future__ import annotations

import hashlib

import make_formats as mk
import pytest
from conftest import FIXTURES, SAMPLES

from fazhi.pipeline import process_bytes
from fazhi.read import UnreadableFile, read_document

SAMPLE = SAMPLES / "002_ae7bc27bfd6d05d1.txt"
TABLE = [["类别", "受理", "办结"], ["行政复议", "", "37"], ["行政诉讼", "12", "9"]]


def facts(data: bytes, name: str) -> set[tuple[str, float]]:
    """(indicator, value) of the jurisdiction-wide figures extracted from a file."""
    processed = process_bytes(data, name, hashlib.sha256(data).hexdigest())
    best: dict[str, float] = {}
    for c in processed.candidates:
        if c.scope == "total":
            best.setdefault(c.indicator_code, c.value)
    return set(best.items())


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return mk.text_pdf(mk.paragraphs(SAMPLE.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------
# PDF with a text layer


def test_text_pdf_keeps_paragraphs_and_drops_page_furniture(sample_pdf):
    paras = mk.paragraphs(SAMPLE.read_text(encoding="utf-8"))
    doc = read_document(sample_pdf, "report.pdf")
    assert doc.text_source == "pdf_text"
    assert doc.page_count and doc.page_count > 1
    lines = doc.text.splitlines()
    # every paragraph comes back as one line, whatever the layout wrapped
    assert [squeeze(ln) for ln in lines] == [squeeze(p) for p in paras]
    assert "某某区人民政府" not in doc.text  # the running header
    assert "- 2 -" not in doc.text and "- 1 -" not in doc.text
    assert list(doc.page_starts) == sorted(doc.page_starts) and doc.page_starts[0] == 0
    assert len(doc.page_starts) == doc.page_count


def test_a_number_split_from_its_measure_word_by_a_line_break_is_joined():
    # a line holds ~27 characters: each shift moves the number further across the line end
    sentences = ["甲" * (20 + shift) + "全年共受理行政复议案件1661件，同比下降3.5%。" for shift in range(6)]
    doc = read_document(mk.text_pdf([*sentences, "二、下一步工作"], header=None), "a.pdf")
    assert doc.text.splitlines() == [*sentences, "二、下一步工作"]


def test_pdf_table_rows_become_cell_lines():
    paras = mk.paragraphs(SAMPLE.read_text(encoding="utf-8"), 6)
    doc = read_document(mk.text_pdf(paras, table=TABLE, header=None), "t.pdf")
    lines = doc.text.splitlines()
    # empty cells are left out, as in HTML tables
    assert lines[4:7] == ["类别 | 受理 | 办结", "行政复议 | 37", "行政诉讼 | 12 | 9"]


def test_a_ruled_table_keeps_wrapped_cells_whole_and_full_cells_apart():
    table = [["执法单位", "行政处罚案件数（件）", "罚没金额（万元）"],
             ["区市场监督管理局（含各基层市场监管所）", "120", "35.6"],
             ["区城市管理和综合执法局", "85", "12"]]
    doc = read_document(mk.text_pdf(["全年共办理行政处罚案件205件。"], table=table, table_after=0), "t.pdf")
    assert doc.text.splitlines()[-3:] == [" | ".join(row) for row in table]


def test_page_of_an_offset(sample_pdf):
    paras = mk.paragraphs(SAMPLE.read_text(encoding="utf-8"))
    doc = read_document(sample_pdf, "report.pdf")
    last = paras[-1][-10:]
    assert doc.page_at(0) == 1
    assert doc.page_at(doc.text.index(last)) == doc.page_count


def test_encrypted_pdf_is_quarantined_with_a_reason_but_a_copy_protected_one_is_read():
    paras = ["全年共受理行政复议案件12件，办结11件。"] * 3
    with pytest.raises(UnreadableFile, match=r"^encrypted PDF: it needs a password"):
        read_document(mk.text_pdf(paras, password="secret"), "locked.pdf")
    # an owner password only restricts copying and printing: the text is there for everyone
    doc = read_document(mk.text_pdf(paras, password=""), "protected.pdf")
    assert "办结11件" in doc.text


@pytest.mark.parametrize("cut", [0.5, 0.05])
def test_truncated_or_garbage_pdf_is_quarantined_as_corrupt(sample_pdf, cut):
    pdf = sample_pdf
    with pytest.raises(UnreadableFile, match=r"^corrupt PDF") as err:
        read_document(pdf[: int(len(pdf) * cut)], "broken.pdf")
    assert "\n" not in err.value.reason


def test_a_file_named_pdf_that_is_not_one():
    with pytest.raises(UnreadableFile, match="not a PDF"):
        read_document("全年共受理行政复议案件12件。".encode(), "report.pdf")


# --------------------------------------------------------------------------
# DOCX and legacy Word


def test_docx_paragraphs_and_tables_in_document_order():
    paras = mk.paragraphs(SAMPLE.read_text(encoding="utf-8"), 8)
    doc = read_document(mk.docx_bytes(paras, table=TABLE, table_after=3), "report.docx")
    assert doc.text_source == "docx"
    lines = doc.text.splitlines()
    assert lines[:4] == paras[:4]
    # empty cells are left out, as in HTML tables
    assert lines[4:7] == ["类别 | 受理 | 办结", "行政复议 | 37", "行政诉讼 | 12 | 9"]
    assert lines[7:] == paras[4:]
    assert "某某区人民政府文件" not in doc.text and "- 1 -" not in doc.text  # header, footer


def test_docx_pages_come_from_its_page_breaks_when_its_page_count_agrees():
    paras = [f"第{i}段：全年共受理行政复议案件{i}件。" for i in range(1, 7)]
    doc = read_document(mk.docx_bytes(paras, page_breaks=(1, 3)), "paged.docx")
    assert doc.page_count == 3
    assert [doc.page_at(doc.text.index(p)) for p in paras] == [1, 1, 2, 2, 3, 3]
    # a package that says 1 page for a long text was never laid out: pages are unknown
    long = read_document(mk.docx_bytes(paras * 100), "long.docx")
    assert long.page_at(len(long.text) - 1) is None


def test_corrupt_docx_is_quarantined():
    data = mk.docx_bytes(["全年共受理行政复议案件12件。"])
    with pytest.raises(UnreadableFile, match=r"^corrupt DOCX"):
        read_document(data[: len(data) // 2], "cut.docx")


WORD97 = FIXTURES / "formats" / "sample002.doc"


@pytest.mark.parametrize("name", ["sample002.doc", "sample002.wps"])
def test_word97_doc_and_wps_read_like_the_docx_they_were_saved_from(name):
    data = WORD97.read_bytes()
    doc = read_document(data, name)
    assert doc.text_source == "doc"
    lines = doc.text.splitlines()
    # the fixture: sample 002 with a table after its 7th paragraph (see fixtures/formats/README)
    paras = mk.paragraphs(SAMPLE.read_text(encoding="utf-8"))
    assert lines[:7] == paras[:7]
    assert lines[7:10] == ["类别 （件） | 受理 | 办结", "行政复议 | 37", "行政诉讼 | 12 | 9"]
    assert [squeeze(x) for x in lines[10:]] == [squeeze(p) for p in paras[7:]]


def test_encrypted_word97_file_says_so():
    import olefile

    data = bytearray(WORD97.read_bytes())
    ole = olefile.OleFileIO(bytes(data))
    # the WordDocument stream starts in a regular sector: its file information block flags
    # word sits at offset 0x0A; bit 8 is fEncrypted
    start = ole.direntries[ole._find("WordDocument")].isectStart
    offset = (start + 1) * ole.sectorsize + 0x0A
    ole.close()
    data[offset + 1] |= 0x01
    with pytest.raises(UnreadableFile, match=r"^encrypted Word document"):
        read_document(bytes(data), "locked.doc")


def test_other_ole_files_say_what_to_do():
    import olefile

    # an OLE container with no WordDocument stream: an old Works/WPS file or something else
    data = WORD97.read_bytes()
    assert olefile.isOleFile(data)
    broken = data.replace(b"W\x00o\x00r\x00d\x00D\x00o\x00c", b"X\x00o\x00r\x00d\x00D\x00o\x00c", 1)
    with pytest.raises(UnreadableFile, match="libreoffice") as err:
        read_document(broken, "old.wps")
    assert "\n" not in err.value.reason


def test_a_doc_that_is_really_html_is_read_as_html():
    html = "<html><body><p>全年共受理行政复议案件12件，办结11件。</p></body></html>"
    doc = read_document(html.encode("gbk"), "report.doc")
    assert doc.text == "全年共受理行政复议案件12件，办结11件。"
    assert doc.text_source == "html"


# --------------------------------------------------------------------------
# the same facts, whatever the format


def test_same_facts_from_txt_pdf_and_docx(sample_pdf):
    data = SAMPLE.read_bytes()
    paras = mk.paragraphs(data.decode("utf-8"))
    want = facts(data, "r.txt")
    assert want
    assert facts(sample_pdf, "r.pdf") == want
    assert facts(mk.docx_bytes(paras), "r.docx") == want


@pytest.mark.slow
@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_every_sample_gives_its_facts_as_pdf_and_docx(sample):
    data = (SAMPLES / sample).read_bytes()
    paras = mk.paragraphs(data.decode("utf-8"))
    want = facts(data, "r.txt")
    for got in (facts(mk.text_pdf(paras, table=TABLE), "r.pdf"), facts(mk.docx_bytes(paras, table=TABLE), "r.docx")):
        assert len(got & want) >= 0.95 * len(want), sorted(want - got)


def test_facts_carry_their_page(sample_pdf):
    data = SAMPLE.read_bytes()
    pdf = sample_pdf
    processed = process_bytes(pdf, "r.pdf", hashlib.sha256(pdf).hexdigest())
    doc = read_document(pdf, "r.pdf")
    assert processed.candidates
    for c in processed.candidates:
        assert c.page == doc.page_at(c.char_start)
        assert processed.report_row["original_text"][c.char_start:c.char_end] == c.evidence
    txt = process_bytes(data, "r.txt", hashlib.sha256(data).hexdigest())
    assert all(c.page is None for c in txt.candidates)
    assert processed.report_row["text_source"] == "pdf_text"
    assert processed.report_row["page_count"] == doc.page_count


@pytest.mark.slow
def test_warehouse_records_how_each_text_was_obtained_and_the_page_of_each_fact(tmp_path):
    import duckdb
    from conftest import run_fazhi

    folder = tmp_path / "reports"
    folder.mkdir()
    data = SAMPLE.read_bytes()
    paras = mk.paragraphs(data.decode("utf-8"))
    (folder / "r.txt").write_bytes(data)
    (folder / "r.pdf").write_bytes(mk.text_pdf(paras))
    (folder / "r.docx").write_bytes(mk.docx_bytes(paras, page_breaks=(5,)))
    (folder / "r.wps").write_bytes(WORD97.read_bytes())
    (folder / "locked.pdf").write_bytes(mk.text_pdf(paras[:3], password="x"))
    db = tmp_path / "w.duckdb"
    run_fazhi("run", str(folder), "--db", str(db), "--out", str(tmp_path / "x"), "--quiet")
    con = duckdb.connect(str(db), read_only=True)
    sources = dict(con.execute(
        "select regexp_extract(source_file, '[^/]+$'), text_source from marts.dim_report").fetchall())
    assert sources == {"r.txt": "text", "r.pdf": "pdf_text", "r.docx": "docx", "r.wps": "doc"}
    quarantined = con.execute(
        "select reason from marts.ingest_files where status = 'quarantined'").fetchall()
    assert quarantined == [("encrypted PDF: it needs a password to open",)]
    facts_by_source = {}
    for name, indicator, value, page, evidence, start, end, text in con.execute(
        "select regexp_extract(r.source_file, '[^/]+$'), f.indicator_code, f.value, f.page, f.evidence, "
        "f.char_start, f.char_end, x.original_text from marts.fct_report_indicators f "
        "join marts.dim_report r using (report_id) join raw.reports x using (report_id)"
    ).fetchall():
        assert text[start:end] == evidence
        assert (page is None) == (name == "r.txt")
        facts_by_source.setdefault(name, set()).add((indicator, value))
    assert facts_by_source["r.pdf"] == facts_by_source["r.docx"] == facts_by_source["r.txt"]
    jurisdiction = con.execute(
        "select jurisdiction_id from marts.dim_report where source_file like '%r.pdf'").fetchone()[0]
    con.close()
    # explain says on which page of the PDF to look
    import json

    shown = json.loads(run_fazhi("explain", jurisdiction, "--db", str(db), "--json").stdout)
    pages = {(f["source_file"].rsplit("/", 1)[-1], f["text_source"], f["page"]) for f in shown["facts"]}
    assert any(name == "r.pdf" and source == "pdf_text" and page for name, source, page in pages)
    assert all(page is None for name, _, page in pages if name == "r.txt")


def test_numbers_read_from_low_confidence_ocr_lines_lose_confidence_and_facts_get_pages():
    from fazhi.read import Document

    first = "2024年，全区共受理行政复议案件120件，办结118件。"
    second = "全年共受理行政诉讼案件45件。"
    text = first + "\n" + second
    plain = process_bytes(text.encode(), "r.txt", "0" * 64).candidates
    assert {c.value for c in plain} >= {120.0, 45.0}
    # the first line read well, the second poorly; the second is on page 2
    doc = Document(text, "image_ocr", page_count=2, page_starts=(0, len(first) + 1),
                   ocr_boxes=((0, len(first), 0.98), (len(first) + 1, len(text), 0.6)))
    scanned = process_bytes(text.encode(), "r.txt", "0" * 64).candidates
    doc.locate(scanned)
    for before, after in zip(plain, scanned):
        if after.char_start > len(first):
            assert after.page == 2
            assert after.confidence == pytest.approx(before.confidence * 0.6, abs=1e-4)
        else:
            assert after.page == 1
            assert after.confidence == before.confidence


@pytest.mark.parametrize("text", ["BMW 与 GIF8 开头的说明：全年受理12件。", "正文提到 %PDF- 字样：全年受理12件。"])
def test_text_that_looks_like_a_binary_signature_is_still_text(text):
    doc = read_document(text.encode(), "note.txt")
    assert doc.text_source == "text" and doc.text == text


def test_ocr_punctuation_slips_are_mended():
    from fazhi.read.ocr import _mend

    assert _mend("稳步推动建设·现将情况报告如下") == "稳步推动建设。现将情况报告如下"
    assert _mend("重大问题亲自过问丶重点环节") == "重大问题亲自过问、重点环节"
    assert _mend("• 索引号") == "• 索引号"  # a list bullet stays


def test_a_scan_without_a_working_ocr_engine_is_quarantined_with_what_to_install(monkeypatch):
    from PIL import Image

    from fazhi.read import ocr

    def broken():
        raise ocr.OcrUnavailable("needs OCR, but the OCR engine cannot load (libGL.so.1): apt-get install libgl1")

    monkeypatch.setattr(ocr, "_engine", broken)
    png = mk.image_file(Image.new("L", (400, 300), 255), "PNG")
    with pytest.raises(UnreadableFile, match="apt-get install libgl1"):
        process_bytes(png, "scan.png", "0" * 64)


def test_a_docx_with_broken_package_parts_is_read_from_its_document_part():
    import io
    import zipfile

    good = mk.docx_bytes(["全年共受理行政复议案件12件，办结11件。"], footer=None)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<Types/>" if item.filename == "[Content_Types].xml" else data)
    doc = read_document(out.getvalue(), "odd.docx")
    assert doc.text == "全年共受理行政复议案件12件，办结11件。" and doc.text_source == "docx"


def test_docx_tables_reach_the_table_stage_with_their_spans_and_offsets():
    import io

    from docx import Document as Docx

    doc = Docx()
    doc.add_paragraph("表1 复议诉讼情况")
    grid = doc.add_table(rows=4, cols=3)
    values = [["类别", "案件数", ""], ["", "受理", "办结"], ["行政复议", "120", "118"], ["行政诉讼", "45", "40"]]
    for row, cells in zip(grid.rows, values):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    grid.cell(0, 1).merge(grid.cell(0, 2))  # 案件数 over two columns
    grid.cell(0, 0).merge(grid.cell(1, 0))  # 类别 over two rows
    grid.cell(0, 1).text = "案件数"
    buf = io.BytesIO()
    doc.save(buf)
    read = read_document(buf.getvalue(), "t.docx")
    assert read.text.splitlines()[1:] == ["类别 | 案件数", "受理 | 办结", "行政复议 | 120 | 118", "行政诉讼 | 45 | 40"]
    (table,) = read.tables
    spans = {(c.text, c.row, c.col, c.rowspan, c.colspan) for c in table.cells}
    assert ("类别", 0, 0, 2, 1) in spans and ("案件数", 0, 1, 1, 2) in spans
    assert ("受理", 1, 1, 1, 1) in spans and ("118", 2, 2, 1, 1) in spans
    assert all(read.text[c.start:c.end] == c.text for c in table.cells)
