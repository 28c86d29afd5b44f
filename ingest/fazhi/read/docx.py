"""Read stage, DOCX: paragraphs and tables of the main document, in document order.

python-docx opens the package; the body XML is walked here: text runs, tabs, soft line breaks;
deleted text, field codes and the fallback copies of drawings are skipped; table rows become
`a | b | c` lines like HTML tables. Headers and footers (page numbers, running titles) live in
other parts of the package and never enter the text.

Pages: Word records where it broke pages when it last laid the document out
(`w:lastRenderedPageBreak`), plus hard page breaks. When those agree with the page count the
package declares (docProps/app.xml), every offset has a page; otherwise pages are unknown.
"""
from __future__ import annotations

import io
import re
import zipfile

from fazhi.read.decode import UnreadableFile
from fazhi.read.document import Document, join_lines, word_pages
from fazhi.read.html import place_tables

__all__ = ["read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = frozenset({_W + "delText", _W + "instrText", _MC + "Fallback", _W + "footnoteReference",
                   _W + "endnoteReference", _W + "pPr", _W + "rPr", _W + "tbl"})
_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
_SPACES = re.compile(r"\s+")


def read_docx(data: bytes) -> Document:
    body, declared = _open(data)
    lines: list[str] = []
    new_page_at: list[int] = []  # indexes into lines where a page starts
    grids: list[list[list[tuple[str, int, int]]]] = []
    _blocks(body, lines, new_page_at, lines, grids)
    text, offsets = join_lines(lines)
    if not text.strip():
        raise UnreadableFile("DOCX with no text")
    breaks = [offsets[i] if i < len(offsets) else len(text) for i in new_page_at]
    page_count, starts = word_pages(text, breaks, declared)
    return Document(text, "docx", None, page_count, starts, tables=place_tables(grids, text))


def _open(data: bytes):
    """The body element and the declared page count. python-docx opens a sound package; one with
    broken package parts (content types, relationships) is read from word/document.xml itself."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        return document.element.body, _declared_pages(document)
    except Exception:
        pass
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            root = etree.fromstring(package.read("word/document.xml"))
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"corrupt DOCX: not a readable ZIP package ({exc})") from None
    except KeyError:
        raise UnreadableFile("corrupt DOCX: a ZIP package without word/document.xml") from None
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile(f"corrupt DOCX: word/document.xml is not well-formed XML ({exc})") from None
    body = root.find(_W + "body")
    if body is None:
        raise UnreadableFile("corrupt DOCX: word/document.xml has no document body")
    return body, None


def _blocks(parent, lines: list[str], new_page_at: list[int], out: list[str], grids: list | None = None) -> None:
    """The paragraphs among `parent`'s children into `out`, in order; the rows of tables among
    them into `lines` (their own lines). Page breaks are noted at the line they precede."""
    for block in parent.iterchildren():
        if block.tag == _W + "p":
            text, breaks = _paragraph(block)
            new_page_at.extend([len(lines)] * breaks)
            out.append(text)
        elif block.tag == _W + "tbl":
            _table(block, lines, new_page_at, grids)


def _paragraph(p) -> tuple[str, int]:
    """A paragraph's text and the number of page breaks in it."""
    parts: list[str] = []
    breaks = 0
    stack = [iter(p)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if tag in _SKIP or not isinstance(tag, str):
            continue
        if tag == _W + "t":
            parts.append(el.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            if el.get(_W + "type") == "page":
                breaks += 1
            else:
                parts.append("\n")
        elif tag == _W + "lastRenderedPageBreak":
            breaks += 1
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        else:
            stack.append(iter(el))
    return "\n".join(ln.strip() for ln in "".join(parts).split("\n")).strip(), breaks


def _table(tbl, lines: list[str], new_page_at: list[int], grids: list | None = None) -> None:
    """Each row of a table (and of tables nested in its cells) as one `a | b | c` line; a table
    without nested tables also as rows of (text, rowspan, colspan) into `grids`."""
    rows: list[list[tuple[str, int, int, str | None]]] = []  # text, colspan, grid column, vMerge
    for tr in tbl.iterchildren(_W + "tr"):
        row, cells, col = [], [], 0
        for tc in tr.iterchildren(_W + "tc"):
            texts: list[str] = []
            _blocks(tc, lines, new_page_at, texts)
            cell = _SPACES.sub(" ", " ".join(texts)).strip()
            if cell:  # an empty cell is left out, as in HTML tables
                cells.append(cell)
            span = _property(tc, "gridSpan")
            merge = _property(tc, "vMerge", "continue")
            row.append((cell, int(span) if span and span.isdigit() else 1, col, merge))
            col += row[-1][1]
        rows.append(row)
        if cells:
            lines.append(" | ".join(cells))
    if grids is not None and tbl.find(f".//{_W}tc/{_W}tbl") is None:
        grids.append(_spans(rows))


def _property(tc, name: str, default: str | None = None) -> str | None:
    """A cell property's w:val (`default` when the property is there without a value)."""
    pr = tc.find(f"{_W}tcPr/{_W}{name}")
    return None if pr is None else pr.get(_W + "val", default)


def _spans(rows) -> list[list[tuple[str, int, int]]]:
    """Rows of (text, rowspan, colspan): a vertically merged cell is one cell spanning the rows
    its continuations cover (they are left out, as a rowspan leaves them out in HTML)."""
    out = []
    for r, row in enumerate(rows):
        cells = []
        for text, colspan, col, merge in row:
            if merge == "continue":
                continue
            rowspan = 1
            if merge == "restart":
                while r + rowspan < len(rows) and any(
                    c == col and m == "continue" for _, _, c, m in rows[r + rowspan]
                ):
                    rowspan += 1
            cells.append((text, rowspan, colspan))
        out.append(cells)
    return out


def _declared_pages(document) -> int | None:
    try:
        part = document.part.package.part_related_by(_EXTENDED)
    except KeyError:
        return None
    m = re.search(rb"<(?:\w+:)?Pages>(\d+)</", part.blob)
    return int(m.group(1)) if m and int(m.group(1)) > 0 else None
