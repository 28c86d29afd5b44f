"""Read stage, PDF: the text layer of each page (pypdfium2), OCR for pages without a usable one.

A page's text layer is usable when it has some visible characters and they are real text (not
private-use or unmapped glyph codes, and Chinese made of common characters): otherwise the page
is rendered and read by OCR. A page neither can read is reported (`Document.unread_pages`), and
the rest of the document still counts; a PDF with no readable page at all is unreadable.
"""
from __future__ import annotations

import ctypes
from collections.abc import Callable, Mapping

from fazhi.read.decode import UnreadableFile
from fazhi.read.document import Document, NeedsOcr, OcrPage
from fazhi.read.grid import Rule
from fazhi.read.layout import Glyph, Page, lay_out

__all__ = ["read_pdf"]

# a scanned page with fewer visible characters than this in its text layer is read by OCR
MIN_TEXT_CHARS = 20
# share of characters that may be unmapped glyphs or private-use codes in a usable text layer
MAX_BAD_SHARE = 0.1
# a rendered page's longest side in pixels for OCR (the detector works at up to 2000)
OCR_LONG_SIDE = 2000
# rules taken from one page at most (a vector drawing is no table)
_MAX_RULES = 2000
# below this share of common characters, a Chinese text layer is garbage (a font without a
# Unicode map) and the page is read by OCR instead
MIN_TEXT_QUALITY = 0.6


def read_pdf(
    data: bytes,
    ocr: Mapping[int, OcrPage] | None = None,
    defer_ocr: bool = False,
    recognise: Callable | None = None,
) -> Document:
    """The text of a PDF. Pages without a usable text layer are taken from `ocr` (page index ->
    result) when given; with `defer_ocr` the reader raises NeedsOcr listing them (the ingest pool
    reads them page by page); otherwise they are read here, one page at a time."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(_load_reason(str(exc))) from None
    try:
        count = len(pdf)
        if count == 0:
            raise UnreadableFile("PDF without pages")
        pages: list[Page] = []
        missing: list[int] = []
        from_ocr: list[int] = []
        for index in range(count):
            page = _text_page(pdf, index)
            if page is not None:
                pages.append(page)
                continue
            if ocr is not None and index in ocr:
                pages.append(ocr[index].page)
                from_ocr.append(index)
            elif defer_ocr:
                missing.append(index)
                pages.append(Page(0, 0, ()))
            else:
                pages.append(ocr_pdf_page(pdf, index, recognise).page)
                from_ocr.append(index)
        if missing:
            raise NeedsOcr(tuple(missing), count)
    finally:
        pdf.close()
    laid = lay_out(pages)
    unread = tuple(i + 1 for i, p in enumerate(pages) if not any(g.text.strip() for g in p.glyphs))
    if not laid.text.strip():
        raise UnreadableFile(
            f"PDF with no readable text: none of its {count} page(s) has a text layer or text OCR can read"
        )
    return Document(
        text=laid.text,
        text_source="pdf_ocr" if from_ocr else "pdf_text",
        encoding=None,
        page_count=count,
        page_starts=laid.page_starts,
        ocr_boxes=laid.boxes,
        unread_pages=unread,
        tables=laid.tables,
    )


def _load_reason(message: str) -> str:
    if "password" in message.lower():
        return "encrypted PDF: it needs a password to open"
    return f"corrupt PDF: {message.replace('Failed to load document', 'cannot be opened').strip()}"


def ocr_pdf_page(pdf, index: int, recognise: Callable | None = None) -> OcrPage:
    """Render one page and read it by OCR (an empty result when even that fails)."""
    import pypdfium2 as pdfium

    if recognise is None:
        from fazhi.read.ocr import recognise
    try:
        page = pdf[index]
        try:
            width, height = page.get_size()
            scale = OCR_LONG_SIDE / max(width, height, 1.0)
            bitmap = page.render(scale=scale, grayscale=True)
            image = bitmap.to_numpy().copy()
            bitmap.close()
        finally:
            page.close()
    except pdfium.PdfiumError:
        return OcrPage(Page(0, 0, ()), 0.0)
    laid, mean = recognise(image)
    return OcrPage(laid, mean)


def _text_page(pdf, index: int) -> Page | None:
    """The page's text layer as glyphs (top-down coordinates), or None when it is not usable."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return None
    try:
        width, height = page.get_size()
        rotation = page.get_rotation() % 360
        scanned, rules = _drawn(pdfium_c, page, width, height)
        textpage = page.get_textpage()
        try:
            glyphs, bad = _glyphs(pdfium_c, textpage, height)
        finally:
            textpage.close()
    finally:
        page.close()
    visible = [g.text for g in glyphs if not g.text.isspace()]
    if not visible or bad > MAX_BAD_SHARE * len(visible) or not _real_text("".join(visible)):
        return None
    if len(visible) < MIN_TEXT_CHARS and scanned:
        return None  # a scan with a stray line of text (a stamp, a page number)
    if rotation:
        glyphs = [_turn(g, width, height, rotation) for g in glyphs]
        rules = ()  # (tables on turned pages are read by their gaps)
        if rotation in (90, 270):
            width, height = height, width
    return Page(width, height, tuple(glyphs), rules)


def _glyphs(pdfium_c, textpage, height: float) -> tuple[list[Glyph], int]:
    """Characters with their loose boxes, in content order; generated spaces and line ends (our
    layout decides those) and control codes skipped. Also the count of characters without a
    Unicode meaning (private use, replacement): a font that maps its glyphs to nothing.
    The page's text comes in one call; only the boxes are asked for one by one (the call per
    character is most of the time this takes)."""
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return [], 0
    buffer = ctypes.create_string_buffer(2 * (n + 1))
    written = pdfium_c.FPDFText_GetText(textpage, 0, n, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: 2 * max(written - 1, 0)].decode("utf-16-le", errors="replace")
    if len(text) != n:  # characters beyond the BMP take two units: ask one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i) or 0xFFFD) for i in range(n))
    rect = pdfium_c.FS_RECTF()
    ref = ctypes.byref(rect)
    handle = textpage.raw
    is_generated = pdfium_c.FPDFText_IsGenerated
    loose_box = _unchecked(pdfium_c.FPDFText_GetLooseCharBox)
    glyphs: list[Glyph] = []
    append = glyphs.append
    bad = 0
    for i, ch in enumerate(text):
        if ch < " " or ch in "\ufffe\uffff" or (ch == " " and is_generated(handle, i)):
            continue
        if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd":
            bad += 1
        if loose_box(handle, i, ref):
            append(Glyph(ch, rect.left, height - rect.top, rect.right, height - rect.bottom))
    return glyphs, bad


def _unchecked(function):
    """A pdfium function called with ctypes values as they are (an int, the handle, a pointer),
    without the bindings' conversion of every argument: a third of the cost of a call made once
    per character."""
    return ctypes.CFUNCTYPE(function.restype)(ctypes.cast(function, ctypes.c_void_p).value)


def _drawn(pdfium_c, page, width: float, height: float) -> tuple[bool, tuple[Rule, ...]]:
    """Whether an image covers at least half of the page (a scanned page), and the page's rules:
    thin drawn boxes and lines, and the edges of drawn rectangles (table borders), top-down."""
    box = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    scanned = False
    rules: list[Rule] = []
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = pdfium_c.FPDFPage_GetObject(page, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH):
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *refs):
            continue
        left, bottom, right, top = (v.value for v in box)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            scanned = scanned or (right - left) * (top - bottom) >= 0.5 * width * height
        elif min(right - left, top - bottom) <= 2.0:
            rules.append((left, height - top, right, height - bottom))
        elif pdfium_c.FPDFPath_CountSegments(obj) in (4, 5) and len(rules) < _MAX_RULES:
            y0, y1 = height - top, height - bottom  # a rectangle: its four edges
            rules += [(left, y0, right, y0), (left, y1, right, y1), (left, y0, left, y1), (right, y0, right, y1)]
    return scanned, tuple(rules[:_MAX_RULES])


def _real_text(text: str) -> bool:
    from fazhi.normalise.chars import text_quality

    quality = text_quality(text)
    return quality is None or quality >= MIN_TEXT_QUALITY


def _turn(g: Glyph, width: float, height: float, rotation: int) -> Glyph:
    """A glyph in the coordinates of the page as displayed (turned clockwise by `rotation`)."""
    if rotation == 90:
        return Glyph(g.text, height - g.bottom, g.x0, height - g.top, g.x1, g.conf)
    if rotation == 180:
        return Glyph(g.text, width - g.x1, height - g.bottom, width - g.x0, height - g.top, g.conf)
    return Glyph(g.text, g.top, width - g.x1, g.bottom, width - g.x0, g.conf)
