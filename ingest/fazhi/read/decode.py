"""Stage "read": bytes on disk -> text.

`decode_bytes` is pure; `read_file` is the only I/O. The text it returns is
the report's ORIGINAL text: every later offset refers to it, so the output
must be deterministic for the same bytes.

Decoding order: magic bytes / extension (refuse PDF, Office, archives,
images) -> BOM -> UTF-16 without BOM (NUL pattern) -> binary check -> strict
UTF-8 -> HTML-declared charset -> GB18030 vs Big5 by strict decode and the
share of common Chinese chars (charset-normalizer alone mixes the two up on
short inputs) -> charset-normalizer's guess, lossy, only if almost nothing
is lost. Line ends become '\\n'. GB2312/GBK come out as 'gb18030' (superset).
"""
from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass

from fazhi.normalise.chars import text_quality
from fazhi.read.html import html_to_text_and_tables
from fazhi.records import TableGrid

__all__ = ["Decoded", "UnreadableFile", "decode_bytes", "read_file"]


class UnreadableFile(ValueError):
    """The file cannot be turned into text; `reason` is one human line."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # utf-8 | utf-8-sig | utf-16-le | utf-16-be | gb18030 | big5 | ...
    format: str  # text | html
    # tables whose structure (rows, spans) the reader kept, with offsets into `text`
    tables: tuple[TableGrid, ...] = ()


# --------------------------------------------------------------------------
# refusals

_MAGIC = (
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP container (DOCX/XLSX/OFD or archive)"),
    (b"PK\x05\x06", "ZIP container (empty archive)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy MS Office (OLE) document"),
    (b"{\\rtf", "RTF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x1f\x8b", "gzip archive"),
)

_BAD_EXT = {
    ".pdf": "PDF document", ".doc": "Word document", ".docx": "Word document",
    ".wps": "WPS document", ".odt": "OpenDocument text", ".rtf": "RTF document",
    ".xls": "spreadsheet", ".xlsx": "spreadsheet", ".et": "spreadsheet",
    ".ods": "spreadsheet", ".ppt": "presentation", ".pptx": "presentation",
    ".ofd": "OFD document", ".zip": "ZIP archive", ".rar": "RAR archive",
    ".7z": "7z archive", ".gz": "gzip archive", ".png": "PNG image",
    ".jpg": "JPEG image", ".jpeg": "JPEG image", ".gif": "GIF image",
    ".bmp": "BMP image", ".tif": "TIFF image", ".tiff": "TIFF image",
    ".webp": "WebP image",
}

_HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}

# bytes that never occur in text: C0 controls except \t \n \v \f \r, and ESC
# (ISO-2022 is not supported anyway), plus DEL
_CONTROL = bytes(c for c in range(0x20) if c not in (9, 10, 11, 12, 13)) + b"\x7f"

# A lossy decode may lose at most this share of chars (a truncated tail).
_MAX_LOSS = 0.005
# Decoded CJK text below this common-char share is gibberish, not Chinese.
_MIN_QUALITY = 0.6


def _refuse_format(data: bytes, filename: str) -> None:
    head = data[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise UnreadableFile(f"{what}: not supported, convert it to text or HTML first")
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise UnreadableFile("WebP image: not supported")
    ext = os.path.splitext(filename or "")[1].lower()
    if ext in _BAD_EXT:
        raise UnreadableFile(f"{_BAD_EXT[ext]} ({ext}): not supported, convert it to text or HTML first")


# --------------------------------------------------------------------------
# decoding


def _bom(data: bytes) -> tuple[str, str] | None:
    """(codec, reported name) for a BOM, longest first (UTF-32 before -16)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "utf-8-sig"
    if data.startswith(codecs.BOM_UTF32_LE):
        return "utf-32", "utf-32-le"
    if data.startswith(codecs.BOM_UTF32_BE):
        return "utf-32", "utf-32-be"
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16", "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", "utf-16-be"
    return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without BOM, when clearly so: NULs (from the ASCII part:
    digits, newlines) sit only at odd offsets (LE) or even ones (BE), and the
    strict decode is clean Chinese text."""
    if len(data) % 2 or len(data) < 4:
        return None
    sample = data[:65536]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    for nuls, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls >= 2 and other * 4 <= nuls:  # CJK like 一 (U+4E00) adds a few
            text = _strict(data, codec)
            if text is not None and not _has_controls(text) and _quality(text) >= 0.9:
                return text, codec
    return None


def _check_binary(data: bytes) -> None:
    sample = data[:65536]
    if b"\x00" in sample:
        raise UnreadableFile("binary content: NUL bytes in a file that is not UTF-16")
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if controls > 0.02 * len(sample):
        raise UnreadableFile(
            f"binary content: {controls / len(sample):.0%} control characters"
        )


def _quality(text: str) -> float:
    """Share of common Chinese chars among the telling wide chars (1.0 if
    none); see chars.text_quality."""
    q = text_quality(text[:200_000])
    return 1.0 if q is None else q


def _strict(data: bytes, codec: str) -> str | None:
    """Strict decode; a multibyte char cut off at the very end (a truncated
    download) is tolerated and becomes one U+FFFD."""
    try:
        return data.decode(codec)
    except LookupError:
        return None
    except UnicodeDecodeError as err:
        truncated = "end of data" in err.reason or "incomplete" in err.reason
        if not truncated or err.start < len(data) - 3:
            return None
        try:
            return data[: err.start].decode(codec) + "\ufffd"
        except UnicodeDecodeError:
            return None


def _lossy(data: bytes, codec: str) -> tuple[str, int] | None:
    """Decode with U+FFFD for bad bytes; (text, number of chars lost)."""
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        return None
    lost = text.count("\ufffd")
    if lost:
        # a U+FFFD that was really in the file is not a loss
        marker = "\ufffd".encode(codec, errors="ignore")
        lost -= data.count(marker) if marker else 0
    return text, lost


_META_RE = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_HTML_START_RE = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                            re.IGNORECASE | re.DOTALL)


def _canonical(name: str) -> str | None:
    """Codec name for a declared charset; GB2312/GBK read as GB18030."""
    try:
        n = codecs.lookup(name).name
    except LookupError:
        return None
    if n in ("gb2312", "gbk", "gb18030", "hz"):
        return "gb18030"
    if n in ("big5", "cp950", "big5hkscs"):
        return "big5"
    return n


def _decode_legacy(data: bytes, declared: str | None) -> tuple[str, str]:
    """Pick between the declared charset, GB18030 and Big5; fall back to a
    lossy reading only if it loses almost nothing."""
    order = [declared] if declared and declared != "utf-8" else []
    order += [c for c in ("gb18030", "big5") if c not in order]
    readable: list[tuple[float, int, str, str]] = []
    for rank, codec in enumerate(order):
        text = _strict(data, codec)
        if text is None and codec == "big5":
            codec = "cp950"  # Microsoft's Big5 has a few more chars
            text = _strict(data, codec)
        if text is not None:
            q = _quality(text)
            if q >= _MIN_QUALITY:
                readable.append((q, -rank, codec, text))
    if readable:
        # the first in order (declared, gb18030, big5) unless another reading
        # has clearly more common chars: GBK bytes read as Big5 (or back)
        # still decode, but into rare chars
        top = max(q for q, *_ in readable)
        for q, _, codec, text in sorted(readable, key=lambda r: -r[1]):
            if q >= top - 0.02:
                return text, codec

    # nothing decodes cleanly: charset-normalizer's guess joins the race,
    # and a reading may lose a truncated tail or a few stray bytes, no more
    guesses = list(order)
    guess = _charset_normalizer_guess(data)
    if guess and guess not in guesses:
        guesses.append(guess)
    if "utf-8" not in guesses:
        guesses.insert(0, "utf-8")
    best = None
    for codec in guesses:
        res = _lossy(data, codec)
        if res is None:
            continue
        text, lost = res
        share = lost / max(len(text), 1)
        q = _quality(text)
        key = (share >= _MAX_LOSS, q < _MIN_QUALITY, share, -q)
        if best is None or key < best[0]:
            best = (key, codec, text, share, q)
    if best is None:
        raise UnreadableFile("undecodable: no candidate encoding")
    _, codec, text, share, q = best
    if share >= _MAX_LOSS:
        raise UnreadableFile(
            f"undecodable: not valid UTF-8, GB18030 or Big5 ({share:.1%} of characters lost)"
        )
    if q < _MIN_QUALITY:
        raise UnreadableFile(
            f"undecodable: read as {codec} it is not Chinese text "
            f"(only {q:.0%} common characters)"
        )
    return text, codec


def _charset_normalizer_guess(data: bytes) -> str | None:
    """charset-normalizer's pick among the codecs we accept (lazy import:
    only the rare lossy path needs it)."""
    from charset_normalizer import from_bytes

    best = from_bytes(
        data[:65536], cp_isolation=["gb18030", "big5", "utf_16", "utf_8", "cp950", "gbk"]
    ).best()
    if best is None:
        return None
    return _canonical(best.encoding)


def decode_bytes(data: bytes, filename: str = "") -> Decoded:
    """Turn the bytes of one report into text; raise UnreadableFile if not."""
    if not data.strip(b" \t\r\n"):
        raise UnreadableFile("empty file")
    _refuse_format(data, filename)

    ext = os.path.splitext(filename or "")[1].lower()
    bom = _bom(data)
    if bom:
        codec, name = bom
        text = _strict(data, codec)
        if text is None:
            raise UnreadableFile(f"undecodable: starts with a {name} BOM but is not valid {name}")
        # a BOM is two or three bytes any binary file may start with
        if _has_controls(text) or _quality(text) < _MIN_QUALITY:
            raise UnreadableFile(f"binary content behind a {name} BOM")
        return _finish(text, name, _is_html(ext, text.encode("utf-8", "replace")[:1024]))

    if b"\x00" in data:
        u16 = _utf16_without_bom(data)
        if u16:
            text, codec = u16
            return _finish(text, codec, _is_html(ext, text.encode("utf-8", "replace")[:1024]))

    _check_binary(data)
    html = _is_html(ext, data[:1024])
    declared = None
    if html:
        m = _META_RE.search(data[:4096])
        declared = _canonical(m.group(1).decode("ascii", "ignore")) if m else None

    text = _strict(data, "utf-8")
    if text is not None and (declared in (None, "utf-8") or _quality(text) >= 0.9):
        return _finish(text, "utf-8", html)
    text, codec = _decode_legacy(data, declared)
    return _finish(text, codec, html)


def _has_controls(text: str) -> bool:
    sample = text[:20000]
    bad = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    return bad > 0.01 * max(len(sample), 1)


def _is_html(ext: str, head: bytes) -> bool:
    return ext in _HTML_EXT or bool(_HTML_START_RE.match(head.lstrip(b"\xef\xbb\xbf")))


def _finish(text: str, encoding: str, html: bool) -> Decoded:
    if html:
        page, grids = html_to_text_and_tables(text)
        return Decoded(page, encoding, "html", grids)
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), encoding, "text")


def read_file(path: str | os.PathLike[str]) -> Decoded:
    """Read and decode one report file."""
    with open(path, "rb") as fh:
        data = fh.read()
    return decode_bytes(data, os.fspath(path))
