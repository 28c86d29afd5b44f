"""The ingest process pool: one worker per core, forked from a parent that has loaded the rules;
workers die with their parent. Also OCR of a long scan spread over the pool.

OCR pages go a few to a task. Each task reads the file again and renders only its own pages, so
no page image ever travels between processes and a worker holds one page image at a time:
memory stays flat however long the scan is. The results (text boxes with their confidences)
are small.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from fazhi.read import OcrPage, UnreadableFile
from fazhi.read.document import ocr_page_of
from fazhi.read.files import read_limited

__all__ = ["OCR_TASK_PAGES", "default_workers", "known_in_worker", "new_pool", "read_pages", "url_in_worker"]

# pages of a scan per OCR task
OCR_TASK_PAGES = 2

# sha256 of the files already landed by this extractor version; set once per worker
_KNOWN: frozenset[str] = frozenset()


# file path -> source URL from the ingest manifest; set once per worker
_URLS: dict[str, str] = {}


def known_in_worker() -> frozenset[str]:
    return _KNOWN


def url_in_worker(path: str) -> str | None:
    return _URLS.get(path)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def new_pool(known: frozenset[str], workers: int, urls: dict[str, str] | None = None) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                               initializer=_init_worker, initargs=(known, os.getpid(), urls or {}))


def _init_worker(known: frozenset[str], parent: int, urls: dict[str, str] | None = None) -> None:
    global _KNOWN, _URLS
    _KNOWN = known
    _URLS = urls or {}
    # Ctrl-C reaches the whole process group: the parent handles it, workers just finish
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive a killed ingest (kill -9 of the parent leaves orphans that
    block on their queue forever): ask Linux to SIGKILL it when the parent dies."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def ocr_task(path: str, pages: list[int]) -> dict[int, OcrPage]:
    """Some pages of a scan read by OCR (runs in a worker)."""
    data, problem = read_limited(Path(path))
    if data is None:
        raise UnreadableFile(problem)
    return {page: ocr_page_of(data, page) for page in pages}


def read_pages(pool: ProcessPoolExecutor, path: str, pages: tuple[int, ...]) -> dict[int, OcrPage]:
    """Pages of the file at `path` read by OCR in the pool (page index -> result). Raises
    UnreadableFile when the file cannot be read again, BrokenProcessPool when a worker dies."""
    futures = [pool.submit(ocr_task, path, list(pages[i:i + OCR_TASK_PAGES]))
               for i in range(0, len(pages), OCR_TASK_PAGES)]
    results: dict[int, OcrPage] = {}
    for future in futures:
        results.update(future.result())
    return results
