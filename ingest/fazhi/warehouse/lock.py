"""One writer at a time: every command that writes a warehouse holds `<db>.lock` for its whole run.

An `flock` on a file beside the serving database. The kernel releases it when the holder exits
or is killed (`kill -9` included), so a lock is never stale; the file only says who holds it
(command, pid, start time), for the message a second writer prints. A second writer waits (and
says so) or, with `--no-wait`, fails at once. Within one process the lock is re-entrant, so
`fazhi run` holds it across ingest, build and export. Readers (explain, export, report, BI
tools) take no lock: they read the serving file, which a build replaces atomically.
"""
from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

__all__ = ["BUSY_EXIT", "WarehouseBusy", "lock_path", "writer_lock"]

BUSY_EXIT = 75  # exit status of a writer that would not wait (sysexits EX_TEMPFAIL)

_HELD: dict[Path, int] = {}  # lock file -> depth, in this process


class WarehouseBusy(RuntimeError):
    """Another fazhi process is writing this warehouse (and we were told not to wait)."""


def lock_path(serving: Path) -> Path:
    return serving.with_name(serving.name + ".lock")


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        text = ""
    return text or "another process"


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def writer_lock(serving: Path, command: str, *, wait: bool = True,
                notify: Callable[[str], None] | None = None, poll: float = 0.2) -> Iterator[None]:
    """Hold the warehouse's writer lock for the body. A busy warehouse is waited for (after one
    message through `notify`), or, with wait=False, WarehouseBusy is raised at once."""
    path = lock_path(serving)
    if path in _HELD:
        _HELD[path] += 1
        try:
            yield
        finally:
            _HELD[path] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            holder = _holder(path)
            if not wait:
                raise WarehouseBusy(
                    f"{serving} is being written by {holder}; run again when it has finished "
                    "(without --no-wait, fazhi waits for it)")
            if notify is not None:
                notify(f"waiting for {holder} to finish writing {serving} …")
            while not _try_lock(fd):  # polling keeps Ctrl-C immediate
                time.sleep(poll)
        os.ftruncate(fd, 0)
        since = datetime.now().isoformat(sep=" ", timespec="seconds")
        os.pwrite(fd, f"fazhi {command} (pid {os.getpid()}, since {since})\n".encode(), 0)
        _HELD[path] = 1
        try:
            yield
        finally:
            del _HELD[path]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)  # explicitly: forked workers may still share the fd
    finally:
        os.close(fd)
