"""Read stage, files: the bytes of one file on disk, safely (size limit, regular files only),
and the name it is stored under."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from fazhi.messages import one_line

__all__ = ["MAX_FILE_BYTES", "display_name", "read_limited"]

# Files larger than this are not reports (a 30 MB dump); say so instead of grinding on it.
MAX_FILE_BYTES = 20 * 1024 * 1024
# ... unless they are PDFs, images or Office files: a 200-page scan is easily 100 MB
MAX_DOCUMENT_BYTES = 400 * 1024 * 1024
_DOCUMENT_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"PK\x03\x04",
                   b"\xd0\xcf\x11\xe0")


def read_limited(path: Path) -> tuple[bytes | None, str]:
    """The file's bytes, or None and a one-line reason. Never reads more than the size limit,
    never opens anything but a regular file (a FIFO or a device would block or never end)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return None, "is a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        with open(path, "rb") as handle:
            limit = MAX_DOCUMENT_BYTES if handle.read(8).startswith(_DOCUMENT_MAGIC) else MAX_FILE_BYTES
            if st.st_size > limit:
                return None, _too_big(st.st_size, limit)
            handle.seek(0)
            data = handle.read(limit + 1)
    except FileNotFoundError:
        return None, "file not found" + (" (dangling symlink)" if os.path.islink(path) else "")
    except PermissionError:
        return None, "cannot read: permission denied"
    except OSError as exc:
        return None, one_line(f"cannot read: {exc.strerror or exc}", 300)
    if len(data) > limit:  # it grew while we looked
        return None, _too_big(len(data), limit)
    return data, ""


def display_name(path: str) -> str:
    """The path as stored in the warehouse: itself, or, when the file name is not valid UTF-8
    (GBK bytes from a Windows zip), its bytes with the undecodable ones as \\xNN escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def _too_big(size: int, limit: int) -> str:
    return (f"file is {size / (1024 * 1024):.0f} MB, over the {limit // (1024 * 1024)} MB "
            "limit for a report")
