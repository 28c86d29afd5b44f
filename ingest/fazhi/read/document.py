"""Read stage, documents: any report file's bytes -> its original text, with where it came from.

`read_document` tells the format by content (magic bytes), then by extension: PDF, images,
DOCX, Word 97-2003 .doc/.wps, and text/HTML (decode.py). The text it returns is the report's
ORIGINAL text, stored in the warehouse; every offset refers to it. For paged formats it also
says where each page starts, and for OCR the span and confidence of every recognised text line.
"""
from __future__ import annotations

import bisect
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from fazhi.read.decode import UnreadableFile, decode_bytes
from fazhi.read.layout import Page
from fazhi.records import Candidate, TableGrid

__all__ = ["Document", "NeedsOcr", "OcrPage", "TextSource", "format_of", "read_document"]

TextSource = Literal["text", "html", "pdf_text", "pdf_ocr", "image_ocr", "docx", "doc"]


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    text_source: TextSource
    encoding: str | None = None  # of a text or HTML file
    page_count: int | None = None
    page_starts: tuple[int, ...] = ()  # offset where page k+1 starts; empty when unknown
    ocr_boxes: tuple[tuple[int, int, float], ...] = ()  # (start, end, confidence) of OCR lines
    unread_pages: tuple[int, ...] = ()  # 1-based pages on which no text could be read
    # tables whose structure (rows, spans) the reader kept, with offsets into `text` (HTML)
    tables: tuple[TableGrid, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The 1-based page an offset of the text is on (None when pages are unknown)."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))

    def ocr_confidence(self, start: int, end: int) -> float | None:
        """The lowest OCR confidence of the text lines overlapping [start, end), if any."""
        confs = [c for s, e, c in self.ocr_boxes if s < end and start < e]
        return min(confs) if confs else None

    def locate(self, candidates: list[Candidate]) -> None:
        """Each candidate's page; a number read from an OCR line of low confidence lowers the
        candidate's confidence by as much."""
        from fazhi.read.ocr import OCR_TRUSTED

        for c in candidates:
            c.page = self.page_at(c.char_start)
            line = self.ocr_confidence(c.value_start, c.value_end)
            if line is not None and line < OCR_TRUSTED:
                c.confidence = round(c.confidence * line, 4)


@dataclass(frozen=True, slots=True)
class OcrPage:
    """One page as read by OCR: its text boxes and mean confidence per character."""

    page: Page
    mean_confidence: float


class NeedsOcr(Exception):
    """A document has pages only OCR can read (0-based `pages` of `page_count`); raised when the
    caller asked to read those pages itself (the ingest pool spreads them over its workers)."""

    def __init__(self, pages: tuple[int, ...], page_count: int):
        super().__init__(f"{len(pages)} of {page_count} pages need OCR")
        self.pages = pages
        self.page_count = page_count


# a page holds at most this many characters (A4 in small print); a declared page count that
# leaves more per page was never updated by the program that wrote the file
MAX_CHARS_PER_PAGE = 3000


def join_lines(lines: list[str]) -> tuple[str, list[int]]:
    """Lines joined by newlines, empty ones left out; and the offset where each line (empty or
    not) starts in the result."""
    offsets = []
    parts = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        if line:
            parts.append(line)
            pos += len(line) + 1
    return "\n".join(parts), offsets


def word_pages(text: str, break_offsets: list[int], declared: int | None) -> tuple[int | None, tuple[int, ...]]:
    """(page count, page starts) of a word-processor file from the page breaks it records and
    the page count it declares: starts only when the two agree and are plausible."""
    counted = len(break_offsets) + 1
    if declared not in (None, counted) or len(text) > MAX_CHARS_PER_PAGE * counted:
        return declared, ()
    return counted, (0, *break_offsets)


_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def format_of(data: bytes, filename: str = "") -> str:
    """pdf | image | docx | doc | text (text and HTML, and every refusal, are decode's)."""
    head = data[:16]
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-") or (
        b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]  # a PDF after some junk bytes
    ):
        return "pdf"
    if head.startswith(_IMAGE_MAGIC) or (head.startswith(b"RIFF") and data[8:12] == b"WEBP") or _is_bmp(data):
        return "image"
    if head.startswith(b"PK\x03\x04") and (b"word/" in data[:65536] or filename.lower().endswith(".docx")):
        return "docx"
    if head.startswith(_OLE_MAGIC):
        return "doc"
    return "text"


def _is_bmp(data: bytes) -> bool:
    """'BM' and the file's own size after it (text may well start with 'BM')."""
    return data[:2] == b"BM" and len(data) > 26 and int.from_bytes(data[2:6], "little") == len(data)


def read_document(
    data: bytes,
    filename: str = "",
    ocr: Mapping[int, OcrPage] | None = None,
    defer_ocr: bool = False,
) -> Document:
    """The original text of one report file; raises UnreadableFile with a one-line reason, or
    NeedsOcr (only with `defer_ocr`) when pages must be read by OCR first."""
    kind = format_of(data, filename)
    if kind == "pdf":
        from fazhi.read.pdf import read_pdf

        return read_pdf(data, ocr=ocr, defer_ocr=defer_ocr)
    if kind == "image":
        from fazhi.read.image import read_image

        return read_image(data, ocr=ocr, defer_ocr=defer_ocr)
    if kind == "docx":
        from fazhi.read.docx import read_docx

        return read_docx(data)
    if kind == "doc":
        from fazhi.read.doc import read_doc

        return read_doc(data, os.path.splitext(filename)[1].lower())
    ext = os.path.splitext(filename)[1].lower()
    if ext in _NAMED_BINARY:
        # the name promises a format the bytes do not have: a Word file "saved as web page"
        # (HTML named .doc) is common and is read as what it is; others are damaged
        if ext not in (".doc", ".wps"):
            raise UnreadableFile(f"not a {_NAMED_BINARY[ext]} despite its name: the file is damaged or mislabelled")
        filename = filename[: -len(ext)] + ".txt"
    decoded = decode_bytes(data, filename)
    return Document(decoded.text, decoded.format, decoded.encoding,  # type: ignore[arg-type]
                    tables=decoded.tables)


_NAMED_BINARY = {".pdf": "PDF", ".docx": "DOCX file", ".doc": "Word file", ".wps": "WPS file",
                 ".png": "PNG image", ".jpg": "JPEG image", ".jpeg": "JPEG image",
                 ".tif": "TIFF image", ".tiff": "TIFF image", ".bmp": "BMP image"}


def ocr_page_of(data: bytes, index: int) -> OcrPage:
    """Page `index` of a PDF or image file read by OCR (one task of the ingest pool)."""
    if format_of(data) == "pdf":
        import pypdfium2 as pdfium

        from fazhi.read.pdf import ocr_pdf_page

        pdf = pdfium.PdfDocument(data)
        try:
            return ocr_pdf_page(pdf, index)
        finally:
            pdf.close()
    from fazhi.read.image import ocr_image_frame

    return ocr_image_frame(data, index)
