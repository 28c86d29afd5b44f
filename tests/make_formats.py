"""Report files in the formats governments publish, made at test time from plain text.

Text PDFs are typeset with fpdf2 and a Chinese font from Debian's fonts-noto-cjk (installed by
`make test-deps`), laid out like an official document: A4, 16 pt, first-line indents, wrapped
lines, a running header and a "- N -" page number in the footer. Scans are those pages
rasterised (tilted, JPEG-compressed, optionally turned) into an image-only PDF or image files.
DOCX files are written with python-docx. Nothing here reads the project's code.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)


def cjk_font() -> str:
    for path in _FONTS:
        if Path(path).exists():
            return path
    pytest.skip("no Chinese font: `make test-deps` installs Debian's fonts-noto-cjk")


def paragraphs(text: str, limit: int | None = None) -> list[str]:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[:limit] if limit else lines


def _official_pdf(header: str | None):
    """An A4 FPDF laid out like an official document: running header, "- N -" footer, CJK font."""
    from fpdf import FPDF

    class Official(FPDF):
        def header(self):
            if header:
                self.set_font("cjk", size=10)
                self.set_y(12)
                self.cell(0, 8, header, align="R")
                self.set_y(37)

        def footer(self):
            self.set_y(-22)
            self.set_font("cjk", size=12)
            self.cell(0, 10, f"- {self.page_no()} -", align="C")

    pdf = Official(format="A4")
    pdf.add_font("cjk", fname=cjk_font(), collection_font_number=2)
    pdf.set_margins(28, 37, 26)
    pdf.set_auto_page_break(True, margin=35)
    return pdf


def _paragraph(pdf, text: str) -> None:
    pdf.set_font("cjk", size=16)
    # Chinese text wraps at any character, as Word and WPS do (not at spaces)
    pdf.multi_cell(0, 10, "\u3000\u3000" + text, new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")


def text_pdf(paras: list[str], *, header: str | None = "某某区人民政府", password: str | None = None,
             table: list[list[str]] | None = None, table_after: int = 3, compress: bool = True,
             page_breaks: bool = False) -> bytes:
    """A text PDF of the paragraphs; `table` rows drawn as a ruled grid after paragraph
    `table_after`; `password` makes it encrypted (a user password is needed to open it);
    `page_breaks` puts each paragraph on a page of its own."""
    pdf = _official_pdf(header)
    pdf.compress = compress
    if password:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    pdf.add_page()
    for i, para in enumerate(paras):
        if page_breaks and i:
            pdf.add_page()
        _paragraph(pdf, para)
        if table and i == table_after:
            pdf.set_font("cjk", size=12)
            with pdf.table(first_row_as_headings=False) as grid:
                for row in table:
                    cells = grid.row()
                    for value in row:
                        cells.cell(value)
    return bytes(pdf.output())


def report_pdf(parts: list[tuple[str, object]], *, header: str | None = "某某区人民政府",
               borders: str = "ALL") -> bytes:
    """A text PDF of a report given as (heading, paragraph or table) parts; tables (rows of
    cells as in table_forms, with their spans) drawn as ruled grids with merged cells, in 9 pt,
    columns as wide as their longest own text. `borders`: fpdf2's TableBordersLayout (ALL,
    HORIZONTAL_LINES, NONE ...)."""
    from table_forms import span_cells

    pdf = _official_pdf(header)
    pdf.add_page()
    for heading, content in parts:
        _paragraph(pdf, heading)
        if isinstance(content, str):
            _paragraph(pdf, content)
            continue
        placed = span_cells(content)
        width = max(c + cs for _, c, _, cs, _ in placed)
        longest = [4] * width
        for _, c, text, cs, _ in placed:
            if cs == 1:
                longest[c] = min(20, max(longest[c], len(text) + 1))
        pdf.set_font("cjk", size=9)
        with pdf.table(first_row_as_headings=False, line_height=5, col_widths=longest,
                       borders_layout=borders) as grid:
            for r in range(len(content)):
                cells = grid.row()
                for _, _, text, cs, rs in (p for p in placed if p[0] == r):
                    cells.cell(text, colspan=cs, rowspan=rs)
    return bytes(pdf.output())


def two_column_pdf(left: list[str], right: list[str], *, header: str | None = "某某区人民政府") -> bytes:
    """A text PDF whose page sets its paragraphs in two columns side by side (a newsletter-like
    layout), 12 pt."""
    pdf = _official_pdf(header)
    pdf.add_page()
    pdf.set_font("cjk", size=12)
    top, width, gap = pdf.get_y(), 72.0, 12.0
    for x, paras in ((pdf.l_margin, left), (pdf.l_margin + width + gap, right)):
        pdf.set_xy(x, top)
        for para in paras:
            pdf.set_x(x)
            pdf.multi_cell(width, 7, "\u3000\u3000" + para, new_x="LEFT", new_y="NEXT", wrapmode="CHAR")
    return bytes(pdf.output())


def break_page(pdf: bytes, page: int) -> bytes:
    """The PDF (written with compress=False) with the content of one page (0-based) garbled:
    the page is still there, but nothing on it can be read."""
    streams = [m for m in re.finditer(rb"stream\n(.*?)\nendstream", pdf, re.S) if b" Tj" in m.group(1)]
    target = streams[page]
    start, end = target.span(1)
    return pdf[:start] + b"\xff\x00" * ((end - start) // 2) + b"\xff" * ((end - start) % 2) + pdf[end:]


def page_images(pdf: bytes, dpi: int = 150, tilt: float = 0.4, turn: dict[int, int] | None = None):
    """The pages of a PDF as grey PIL images, like a scanner makes them: slightly tilted, some
    turned by quarter turns (`turn`: page index -> 1..3)."""
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(pdf)
    images = []
    for i in range(len(doc)):
        page = doc[i]
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        page.close()
        if tilt:
            image = image.rotate(tilt, resample=Image.BICUBIC, fillcolor=255)
        if turn and i in turn:
            image = image.rotate(90 * turn[i], expand=True)
        images.append(image)
    doc.close()
    return images


def jpeg(image, quality: int = 70):
    from PIL import Image

    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf)


def scan_pdf(pdf: bytes, **kwargs) -> bytes:
    """An image-only PDF of the pages (no text layer at all), JPEG-compressed like a scan."""
    images = [jpeg(im) for im in page_images(pdf, **kwargs)]
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return buf.getvalue()


def image_file(image, fmt: str) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt)
    return buf.getvalue()


def tiff_pages(images) -> bytes:
    buf = io.BytesIO()
    images[0].save(buf, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw")
    return buf.getvalue()


def docx_bytes(paras: list[str], table: list[list[str]] | None = None, table_after: int = 3,
               footer: str | None = "- 1 -", page_breaks: tuple[int, ...] = ()) -> bytes:
    """A DOCX of the paragraphs (first-line indent, 16 pt), a footer, and a table. With
    `page_breaks` (paragraph indexes followed by a hard page break) the package also declares
    its page count, as Word does."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.size = Pt(16)
    if footer:
        doc.sections[0].footer.paragraphs[0].text = footer
        doc.sections[0].header.paragraphs[0].text = "某某区人民政府文件"
    for i, para in enumerate(paras):
        p = doc.add_paragraph(para)
        p.paragraph_format.first_line_indent = Pt(32)
        if i in page_breaks:
            doc.add_page_break()
        if table and i == table_after:
            grid = doc.add_table(rows=len(table), cols=len(table[0]))
            grid.style = "Table Grid"
            for row, values in zip(grid.rows, table):
                for cell, value in zip(row.cells, values):
                    cell.text = value
    buf = io.BytesIO()
    doc.save(buf)
    if not page_breaks:
        return buf.getvalue()
    return _declare_pages(buf.getvalue(), len(page_breaks) + 1)


def report_docx(parts: list[tuple[str, object]]) -> bytes:
    """A DOCX of a report given as (heading, paragraph or table) parts; tables with their merged
    cells (gridSpan, vMerge), as Word writes them."""
    from docx import Document
    from table_forms import span_cells

    doc = Document()
    for heading, content in parts:
        doc.add_paragraph(heading)
        if isinstance(content, str):
            doc.add_paragraph(content)
            continue
        placed = span_cells(content)
        grid = doc.add_table(rows=len(content), cols=max(c + cs for _, c, _, cs, _ in placed))
        grid.style = "Table Grid"
        for r, c, text, cs, rs in placed:
            cell = grid.cell(r, c)
            if cs > 1 or rs > 1:
                cell = cell.merge(grid.cell(r + rs - 1, c + cs - 1))
            cell.text = text
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _declare_pages(docx: bytes, pages: int) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/app.xml":
                data = re.sub(rb"<Pages>\d+</Pages>", b"<Pages>%d</Pages>" % pages, data)
            dst.writestr(item, data)
    return out.getvalue()


def chromium_pdf(html: str) -> bytes:
    """The page printed to PDF by Chromium (`make test-deps` installs Debian's chromium)."""
    import os
    import shutil
    import subprocess
    import tempfile

    binary = next((b for b in (os.environ.get("FAZHI_CHROMIUM"), "chromium", "chromium-browser", "google-chrome")
                   if b and shutil.which(b)), None)
    if binary is None:
        pytest.skip("chromium is not installed: `make test-deps` installs Debian's chromium")
    with tempfile.TemporaryDirectory(prefix="fazhi-print-") as tmp:
        page, out = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", page.as_uri()],
                       capture_output=True, timeout=120, check=True)
        return out.read_bytes()


def squeeze_ratio(a: str, b: str) -> float:
    """How alike two texts are, ignoring whitespace (1.0 = the same)."""
    import difflib

    return difflib.SequenceMatcher(None, "".join(a.split()), "".join(b.split()), autojunk=False).ratio()
