"""Stage "read": bytes on disk -> the report's original text.

files.py     the bytes of a file, safely (size limit, regular files only)
document.py  any report file -> Document (text, how it was obtained, pages, OCR confidences)
decode.py    text and HTML bytes -> text: BOM, UTF-8/16, GB18030, Big5, refusals of binary formats
html.py      HTML -> main text
pdf.py       PDF: text layer per page (pypdfium2), OCR for pages without one
image.py     PNG/JPEG/TIFF/... scans, by OCR
ocr.py       OCR of one page image (RapidOCR, PP-OCR models shipped in its wheel)
layout.py    positioned text (PDF characters, OCR boxes) -> lines, table rows, paragraphs
docx.py      DOCX paragraphs and tables in order
doc.py       Word 97-2003 .doc and WPS .wps (olefile, piece table)
"""
from fazhi.read.decode import Decoded, UnreadableFile, decode_bytes, read_file
from fazhi.read.document import Document, NeedsOcr, OcrPage, TextSource, read_document

__all__ = ["Decoded", "Document", "NeedsOcr", "OcrPage", "TextSource", "UnreadableFile",
           "decode_bytes", "read_document", "read_file"]
