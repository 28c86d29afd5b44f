"""Read stage, listing: every file under the paths given to ingest, each accounted for.

Iterative (an explicit stack, so 10,000 nested folders cost memory, not recursion), sorted
(files of a folder before its subfolders, names in code-point order), hidden files and folders
included, symlinks followed: a linked file is read through its link; a linked folder is walked
once. A folder reached again is not walked again and is reported instead: a link back into an
enclosing folder is a loop, any other is a second way to a folder already walked.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Listed", "walk"]


@dataclass(frozen=True, slots=True)
class Listed:
    """A path to read, or (`problem` set) a path that is accounted for without being read."""

    path: str
    problem: str = ""


@dataclass(frozen=True, slots=True)
class _Folder:
    path: str
    key: tuple[int, int]  # (st_dev, st_ino) of the real folder
    parent: _Folder | None


def walk(paths: Iterable[str | Path]) -> Iterator[Listed]:
    """Files as given, and every file under given folders; see the module docstring."""
    seen: dict[tuple[int, int], str] = {}
    for raw in paths:
        path = os.fspath(raw)
        try:
            st = os.stat(path)
        except OSError:
            yield Listed(path)  # reading it says why (missing, dangling link, no permission)
            continue
        if not _is_dir(st):
            yield Listed(path)
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            if seen[key] != path:  # the same folder given twice is one folder
                yield Listed(path, f"folder already walked as {seen[key]}; not walked twice")
            continue
        seen[key] = path
        yield from _walk_tree(_Folder(path, key, None), seen)


def _is_dir(st: os.stat_result) -> bool:
    import stat

    return stat.S_ISDIR(st.st_mode)


def _walk_tree(top: _Folder, seen: dict[tuple[int, int], str]) -> Iterator[Listed]:
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder.path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield Listed(folder.path, f"cannot list the folder: {exc.strerror or exc}")
            continue
        subfolders: list[_Folder] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if not is_dir:
                yield Listed(entry.path)
                continue
            try:
                st = entry.stat(follow_symlinks=True)
            except OSError as exc:
                yield Listed(entry.path, f"cannot open the folder: {exc.strerror or exc}")
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen:
                yield Listed(entry.path, _revisit(entry.path, key, folder, seen[key]))
                continue
            seen[key] = entry.path
            subfolders.append(_Folder(entry.path, key, folder))
        stack.extend(reversed(subfolders))


def _revisit(path: str, key: tuple[int, int], where: _Folder, first: str) -> str:
    node: _Folder | None = where
    while node is not None:
        if node.key == key:
            return f"symlink loop: {path} leads back to the enclosing folder {node.path}; not followed"
        node = node.parent
    return f"folder already walked as {first}; not walked twice"
