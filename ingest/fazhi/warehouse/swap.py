"""Replace a folder by another in one step, for exports: readers see the old folder or the new
one, never a mix, and a kill leaves at most a temporary sibling that the next run removes."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

__all__ = ["clean_stale_temporaries", "replace_folder", "temporary_sibling"]

_RENAME_EXCHANGE = 2
_TMP = ".{name}.tmp-{pid}"
_OLD = ".{name}.old-{pid}"


def temporary_sibling(target: Path) -> Path:
    """A fresh hidden folder beside `target` (same file system, so the swap is a rename)."""
    tmp = target.with_name(_TMP.format(name=target.name, pid=os.getpid()))
    _remove(tmp)
    tmp.mkdir(parents=True)
    return tmp


def clean_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporaries of earlier exports to `target` whose process is gone."""
    removed = []
    if not target.parent.is_dir():
        return removed
    for prefix in (f".{target.name}.tmp-", f".{target.name}.old-"):
        for leftover in target.parent.glob(prefix + "*"):
            pid = leftover.name[len(prefix):]
            if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
                continue
            _remove(leftover)
            removed.append(leftover)
    return removed


def replace_folder(new: Path, target: Path) -> None:
    """Put folder `new` in place of `target` (created if missing); the old one is deleted."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        _remove(new)  # `new` now names the old folder
        return
    old = target.with_name(_OLD.format(name=target.name, pid=os.getpid()))
    _remove(old)
    os.rename(target, old)
    os.rename(new, target)
    _remove(old)


def _exchange(a: Path, b: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): both names swap atomically (Linux >= 3.15, most file systems)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    res = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return res == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)
