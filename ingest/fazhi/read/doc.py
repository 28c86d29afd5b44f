"""Read stage, legacy Word: Word 97-2003 binary documents (.doc), and WPS Office .wps files,
which are the same format (recognised by content, whatever the extension).

olefile opens the compound file. The main document's characters come from the piece table
(CLX) in the table stream: each piece is cp1252 bytes or UTF-16LE. Paragraph properties (PAPX
in FKP pages, or in the data stream when they are large) say which cell mark ends a table row,
so rows become `a | b | c` lines like HTML tables; the row's table definition gives its cells'
edges and merges, so the tables also reach the table stage with their structure
(doc_tables.py). A field shows its result, not its code. Formats this reader does not handle
are refused with what to install to convert them.
"""
from __future__ import annotations

import bisect
import io
import struct

from fazhi.read.decode import UnreadableFile
from fazhi.read.doc_tables import RowDef, located_tables, row_def
from fazhi.read.document import Document, join_lines, word_pages

__all__ = ["read_doc"]

_CONVERT = ("install LibreOffice (apt-get install libreoffice-writer-nogui) and convert it: "
            "soffice --headless --convert-to docx FILE")
_SPRM_TTP = (0x2417, 0x244C)  # sprmPFTtp, sprmPFInnerTtp: this paragraph mark ends a table row
_SPRM_IN_TABLE = 0x2416  # sprmPFInTable: this paragraph is inside a table cell
_SPRM_HUGE_PAPX = 0x6646  # sprmPHugePapx: the properties are in the data stream, at this offset
_SPRM_DEF_TABLE = 0xD608  # sprmTDefTable: the row's cell edges and merges
_OPERAND_SIZE = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}
_SKIP_CHARS = frozenset("\x01\x02\x03\x04\x05\x08\x1f")  # pictures, notes, annotations, soft hyphen


def read_doc(data: bytes, ext: str = ".doc") -> Document:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except OSError as exc:
        raise UnreadableFile(f"corrupt Office document: {exc}") from None
    try:
        if not ole.exists("WordDocument"):
            raise UnreadableFile(_not_word(ole, ext))
        wd = ole.openstream("WordDocument").read()
        table_name = _check_fib(wd)
        if not ole.exists(table_name):
            raise UnreadableFile(f"corrupt Word document: no {table_name} stream")
        table = ole.openstream(table_name).read()
        extra = ole.openstream("Data").read() if ole.exists("Data") else b""
        pages = _declared_pages(ole)
    finally:
        ole.close()
    try:
        chars, roles, defs = _main_text(wd, table, extra)
    except (struct.error, IndexError, KeyError) as exc:
        raise UnreadableFile(f"corrupt Word document: {exc}") from None
    lines, starts, tables = _lines(chars, roles, defs)
    text, offsets = join_lines(lines)
    if not text.strip():
        raise UnreadableFile("Word document with no text")
    breaks = [offsets[i] if i < len(offsets) else len(text) for i in starts]
    page_count, page_starts = word_pages(text, breaks, pages)
    return Document(text, "doc", None, page_count, page_starts, tables=located_tables(tables, text))


def _not_word(ole, ext: str) -> str:
    if ole.exists("Workbook") or ole.exists("Book"):
        return "Excel spreadsheet (.xls): not a report text, export it as CSV or HTML"
    if ole.exists("PowerPoint Document"):
        return "PowerPoint presentation (.ppt): not supported, save it as PDF"
    if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
        return "encrypted Office document: it needs a password to open"
    if ole.exists("CONTENTS") or ext == ".wps":
        return f"Microsoft Works or old WPS document: not supported, {_CONVERT}"
    return f"OLE file that is not a Word document: not supported, {_CONVERT}"


def _check_fib(wd: bytes) -> str:
    """The name of the table stream, after checking the file information block."""
    if len(wd) < 0x1AA:
        raise UnreadableFile("corrupt Word document: file information block cut short")
    ident, nfib = struct.unpack_from("<HH", wd, 0)
    flags = struct.unpack_from("<H", wd, 0x0A)[0]
    if ident != 0xA5EC:
        raise UnreadableFile(f"corrupt Word document: unknown signature {ident:#06x}")
    if nfib < 0x00C1:
        raise UnreadableFile(f"Word 6/95 document: not supported, {_CONVERT}")
    if flags & 0x0100:
        raise UnreadableFile("encrypted Word document: it needs a password to open")
    return "1Table" if flags & 0x0200 else "0Table"


def _declared_pages(ole) -> int | None:
    try:
        pages = ole.get_metadata().num_pages
    except Exception:  # damaged summary information: pages unknown
        return None
    return pages if isinstance(pages, int) and pages > 0 else None


def _main_text(wd: bytes, table: bytes, extra: bytes = b"") -> tuple[list[str], list[int], dict[int, RowDef]]:
    """The characters of the main document, for each paragraph or cell mark its table role
    (0 none, 1 in a table cell, 2 the end of a table row), and the definition of the row each
    row end closes (by character index)."""
    ccp_text = struct.unpack_from("<i", wd, 0x4C)[0]
    ranges = _table_paragraphs(wd, table, extra)
    starts = [r[0] for r in ranges]
    chars: list[str] = []
    roles: list[int] = []
    defs: dict[int, RowDef] = {}
    for cp_start, cp_end, fc, compressed in _pieces(wd, table):
        count = min(cp_end, ccp_text) - cp_start
        if count <= 0:
            continue
        if compressed:
            text = wd[fc:fc + count].decode("cp1252", "replace")
            step = 1
        else:
            text = wd[fc:fc + 2 * count].decode("utf-16-le", "replace")
            step = 2
        for k, ch in enumerate(text):
            chars.append(ch)
            role = 0
            if ch in "\r\x07":
                pos = fc + step * k
                i = bisect.bisect_right(starts, pos) - 1
                if i >= 0 and pos < ranges[i][1]:
                    role = ranges[i][2]
                    if ranges[i][3] is not None:
                        defs[len(roles)] = ranges[i][3]
            roles.append(role)
    return chars, roles, defs


def _pieces(wd: bytes, table: bytes) -> list[tuple[int, int, int, bool]]:
    """(first cp, end cp, file offset, is cp1252) of every piece of text."""
    fc_clx, lcb_clx = struct.unpack_from("<II", wd, 0x1A2)
    clx = table[fc_clx:fc_clx + lcb_clx]
    i = 0
    while i < len(clx) and clx[i] == 1:  # property modifiers before the piece table
        i += 3 + struct.unpack_from("<H", clx, i + 1)[0]
    if i >= len(clx) or clx[i] != 2:
        raise UnreadableFile("corrupt Word document: no piece table")
    lcb = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5:i + 5 + lcb]
    n = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}i", plc, 0)
    pieces = []
    for k in range(n):
        value = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
        compressed = bool(value & 0x40000000)
        fc = (value & 0x3FFFFFFF) // 2 if compressed else value
        pieces.append((cps[k], cps[k + 1], fc, compressed))
    return pieces


def _table_paragraphs(wd: bytes, table: bytes, extra: bytes = b"") -> list[tuple[int, int, int, RowDef | None]]:
    """(start, end, role, row definition) file-offset ranges of the paragraphs in tables, sorted:
    role 1 for a paragraph in a cell, 2 for the mark that ends a row (with its definition)."""
    fc_plc, lcb_plc = struct.unpack_from("<II", wd, 0x102)
    plc = table[fc_plc:fc_plc + lcb_plc]
    n = (lcb_plc - 4) // 8
    ranges = []
    for k in range(max(n, 0)):
        pn = struct.unpack_from("<I", plc, 4 * (n + 1) + 4 * k)[0] & 0x3FFFFF
        page = wd[pn * 512:(pn + 1) * 512]
        if len(page) < 512:
            continue
        crun = page[511]
        fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for r in range(crun):
            offset = page[4 * (crun + 1) + 13 * r] * 2
            if not offset:
                continue
            if page[offset] == 0:
                size, start = 2 * page[offset + 1], offset + 2
            else:
                size, start = 2 * page[offset] - 1, offset + 1
            grpprl = page[start + 2:start + size]  # after the 2-byte style index
            if len(grpprl) >= 6 and struct.unpack_from("<H", grpprl, 0)[0] == _SPRM_HUGE_PAPX:
                at = struct.unpack_from("<I", grpprl, 2)[0]
                grpprl = extra[at + 2:at + 2 + struct.unpack_from("<H", extra, at)[0]] if at + 2 <= len(extra) else b""
            role, definition = _table_role(grpprl)
            if role:
                ranges.append((fcs[r], fcs[r + 1], role, definition))
    ranges.sort()
    return ranges


def _table_role(grpprl: bytes) -> tuple[int, RowDef | None]:
    role = 0
    definition = None
    i = 0
    while i + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, i)[0]
        i += 2
        kind = sprm >> 13
        if kind == 6:  # variable size; sprmTDefTable has a two-byte length
            if sprm == 0xD608:
                size = struct.unpack_from("<H", grpprl, i)[0] + 1 if i + 2 <= len(grpprl) else 0
            else:
                size = (grpprl[i] if i < len(grpprl) else 0) + 1
        else:
            size = _OPERAND_SIZE[kind]
        if sprm == _SPRM_DEF_TABLE:
            definition = row_def(grpprl[i + 2:i + size])
        elif i < len(grpprl) and grpprl[i] == 1:
            if sprm in _SPRM_TTP:
                role = 2 if sprm == _SPRM_TTP[0] else 3
            elif sprm == _SPRM_IN_TABLE:
                role = max(role, 1)
        i += size
    return (2 if role >= 2 else role), (definition if role == 2 else None)


def _lines(chars: list[str], roles: list[int], defs: dict[int, RowDef] | None = None
           ) -> tuple[list[str], list[int], list[list[tuple[list[str], RowDef | None]]]]:
    """Paragraphs and table rows as lines; the line indexes where a hard page break is; and the
    tables, as rows of (cell texts, row definition)."""
    defs = defs or {}
    lines: list[str] = []
    breaks: list[int] = []
    tables: list[list[tuple[list[str], RowDef | None]]] = []
    in_table = False
    cells: list[str] = []
    cur: list[str] = []
    fields: list[bool] = []  # per open field: showing its result yet?
    for index, (ch, role) in enumerate(zip(chars, roles)):
        if ch == "\x13":
            fields.append(False)
        elif ch == "\x14":
            if fields:
                fields[-1] = True
        elif ch == "\x15":
            if fields:
                fields.pop()
        elif fields and not fields[-1]:
            continue  # a field's code
        elif ch == "\x07":
            if role == 2:
                row = [c for c in cells if c]
                if row:
                    lines.append(" | ".join(row))
                if not in_table:
                    tables.append([])
                tables[-1].append((cells, defs.get(index)))
                in_table = True
                cells = []
            else:
                cells.append(" ".join("".join(cur).split()))
            cur = []
        elif ch == "\r":
            if role:
                cur.append(" ")  # a paragraph inside a table cell
            else:
                lines.append("".join(cur).strip())
                cur = []
                in_table = False
        elif ch == "\x0c":
            if cur:
                lines.append("".join(cur).strip())
                cur = []
            breaks.append(len(lines))
        elif ch == "\x0b":
            cur.append("\n")
        elif ch == "\x1e":
            cur.append("-")
        elif ch not in _SKIP_CHARS:
            cur.append(ch)
    if cur:
        lines.append("".join(cur).strip())
    return lines, breaks, tables


