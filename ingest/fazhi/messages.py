"""Messages for people: every failure a user sees is one line, names the real problem, and
cannot drive their terminal.

Report text is untrusted: a sentence may carry terminal escape sequences (ESC ]0;title BEL,
ESC [2J) or bidirectional overrides. `terminal_safe` shows each such character as a visible
symbol, one code point for one, so offsets into a line stay valid; it is applied to every
human-readable line fazhi prints (JSON output is exact: json escapes controls itself).

The machine's failures (a full disk, a read-only or forbidden folder, a file-size limit) reach
fazhi as OSError with errno and path, or as text from DuckDB and dbt (`IO Error: Could not write
file "…": No space left on device`); `describe_io_failure` recognises both.
"""
from __future__ import annotations

import errno
import re
from pathlib import Path
from typing import Any

__all__ = ["describe_io_failure", "one_line", "terminal_safe", "terminal_safe_data"]


def one_line(text: object, limit: int | None = None) -> str:
    """`text` with every run of whitespace as one space, cut to `limit` characters with '…'."""
    flat = " ".join(str(text).split())
    if limit is None or len(flat) <= limit:
        return flat
    return flat[: limit - 1] + "…"


# C0 controls except TAB and LF, DEL, C1 controls, bidi marks, embeddings, overrides, isolates
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ␛ for ESC, ␇ for BEL …
    return "\u2421" if code == 0x7F else "\ufffd"  # ␡, or the replacement character


def terminal_safe(text: object) -> str:
    """`text` with every character a terminal would act on shown as one visible symbol."""
    return _UNSAFE.sub(_visible, str(text))


def terminal_safe_data(value: Any) -> Any:
    """terminal_safe over every string inside dicts, lists and tuples (other values as they are)."""
    if isinstance(value, str):
        return terminal_safe(value)
    if isinstance(value, dict):
        return {k: terminal_safe_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(terminal_safe_data(v) for v in value)
    return value


# (errno, the C library's words for it, how to say it)
_IO_FAILURES = (
    (errno.ENOSPC, "No space left on device", "disk full: no space left on the device holding {folder}"),
    (errno.EDQUOT, "Disk quota exceeded", "disk quota exceeded writing {path}"),
    (errno.EFBIG, "File too large", "file size limit reached writing {path} (see `ulimit -f`)"),
    (errno.EROFS, "Read-only file system", "cannot write {path}: the file system is read-only"),
    (errno.EACCES, "Permission denied", "cannot {verb} {path}: permission denied"),
)
_QUOTED_PATH = re.compile(r'(?:file|directory|path)\s+"([^"]+)"', re.IGNORECASE)


def describe_io_failure(exc: BaseException | str, path_hint: Path | str | None = None,
                        verb: str = "write") -> str | None:
    """One line for a disk or permission failure (`path_hint` when the error names no path),
    or None when `exc` is something else."""
    code = getattr(exc, "errno", None) if isinstance(exc, BaseException) else None
    text = str(exc)
    path = getattr(exc, "filename", None) if isinstance(exc, OSError) else None
    if not path:
        found = _QUOTED_PATH.search(text)
        path = found.group(1) if found else None
    path = str(path or path_hint or "the output folder")
    for number, words, message in _IO_FAILURES:
        if code == number or words.lower() in text.lower():
            folder = path if Path(path).is_dir() else str(Path(path).parent)
            return message.format(path=path, folder=folder, verb=verb)
    return None
