"""Ingest orchestration: files -> read -> normalise -> metadata/jurisdiction -> quantities ->
attribute -> land.

Shape (so that 100,000 files cost flat memory and use every core):

* The parent only lists paths. It streams them, a few at a time, to a process pool; a worker
  reads the bytes, hashes them, and either answers "already landed" (its sha256 is in the
  known set the pool was started with) or runs the pure per-file work (`process_bytes`) and
  sends back the result. Bytes never travel to or sit in the parent, and only a bounded
  window of tasks is in flight, so memory does not grow with the number of files.
* The parent lands results in input order, in batches through Arrow, one transaction per
  batch: a report, its candidates, its derived places and the ingest_attempts rows of the
  files in the batch commit together or not at all. A `kill -9` at any moment loses at most
  the batch in flight; a re-run skips what committed (by hash) and redoes the rest, so it ends
  in the same state as a clean run.
* Incremental: a file whose bytes were already landed by the same extractor version costs a
  read and a hash (in a worker), nothing else. A changed seed (rules_fingerprint) or a new
  EXTRACTOR_VERSION changes `extractor_version()`, and every report is re-extracted on the next
  ingest; editing a comment or refactoring code does not.
* Every file given to ingest gets one ingest_attempts row per run: landed, duplicate (same
  bytes or text as another file) or quarantined (with a one-line reason). A bad file, or a
  worker that dies on one, never stops the run. Every file under a folder is listed (read/walk.py).
* A changed file at a source already landed supersedes its earlier version (warehouse/versions.py,
  decided in warehouse/lander.py). Run ingest under the warehouse's writer lock (warehouse/lock.py).
"""
from __future__ import annotations

import gc
import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

from fazhi.extract.candidates import extract_candidates
from fazhi.messages import one_line
from fazhi.normalise import Normalised, normalise
from fazhi.place.evidence import compact, gather
from fazhi.place.gazetteer import Place
from fazhi.place.metadata import extract_metadata
from fazhi.place.resolve import complete_issuer, resolve
from fazhi.pool import default_workers, known_in_worker, new_pool, read_pages, url_in_worker
from fazhi.read import NeedsOcr, OcrPage, UnreadableFile, read_document
from fazhi.read.files import display_name, read_limited
from fazhi.read.formats import unsupported_reason
from fazhi.read.manifest import Manifest
from fazhi.read.walk import walk
from fazhi.records import Candidate, JurisdictionMatch, ReportMeta
from fazhi.rules import rules_fingerprint
from fazhi.search.sentences import ReportSentences, report_sentences
from fazhi.warehouse.land import connect, ensure_gazetteer, spans_json
from fazhi.warehouse.lander import Lander
from fazhi.warehouse.versions import Versions, source_key

# landed | duplicate | quarantined land in raw.ingest_attempts; known (landed before) and needs_ocr
# (pages to read by OCR first) are resolved by the parent
AttemptStatus = Literal["landed", "duplicate", "quarantined", "known", "needs_ocr"]

# Files per task sent to a worker, and tasks in flight per worker (bounds parent memory). The
# window outlasts the landing of a batch (200 reports, a quarter of a second or more): with 4 tasks
# per worker (64 reports for two) the workers ran dry while the parent landed.
TASK_FILES = 8
INFLIGHT_PER_WORKER = 16
# The version of the extraction code. Bump it with any change that can change what is extracted
# from a report (a reader, the normalised view, the quantity reader, attribution, metadata,
# jurisdiction): every landed report is then re-extracted on the next ingest. Rule (seed) changes
# need no bump: their content is hashed into extractor_version().
EXTRACTOR_VERSION = "43"


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """EXTRACTOR_VERSION and a hash of the rules' content: what decides re-extraction."""
    return f"{EXTRACTOR_VERSION}-{rules_fingerprint()[:12]}"


@dataclass(slots=True)
class Processed:
    report_id: str
    report_row: dict
    candidates: list[Candidate]
    place: Place | None
    sentences: ReportSentences | None = None
    notes: tuple[str, ...] = ()  # what the reader repaired, e.g. "removed 3 NUL bytes"


@dataclass(slots=True)
class Outcome:
    source_file: str
    sha256: str | None
    status: AttemptStatus
    reason: str = ""
    report_id: str | None = None
    processed: Processed | None = None
    path: str = ""
    ocr_pages: tuple[int, ...] = ()  # needs_ocr: these pages of the file at `path`
    source_key: str = ""  # warehouse/versions.py: the URL from a manifest, else the real path
    duplicate_of: str | None = None  # the file that landed the report a duplicate repeats


@dataclass(slots=True)
class IngestSummary:
    files: int = 0
    landed: int = 0
    unchanged: int = 0
    duplicate: int = 0
    quarantined: int = 0
    candidates: int = 0
    chars: int = 0  # characters of the newly landed reports (for throughput figures)
    quarantine_reasons: list[tuple[str, str]] = field(default_factory=list)
    unread_pages: list[tuple[str, list[int]]] = field(default_factory=list)  # landed, but pages unread
    superseded: int = 0  # earlier versions replaced by a changed file at the same source
    repaired: list[tuple[str, str]] = field(default_factory=list)  # (file, what the reader repaired)


def read_front(norm: Normalised, source_url: str | None = None) -> tuple[ReportMeta, JurisdictionMatch, Place | None]:
    """What a report says of itself before its figures are read: title, issuer, year (meta), and the
    jurisdiction it is about (the match, and the place when resolved). Pure."""
    evidence = gather(compact(norm.text))
    meta = extract_metadata(norm.text, norm.script, evidence)
    match, place = resolve(norm.text, meta, source_url, evidence)
    complete_issuer(meta, place)
    return meta, match, place


def process_bytes(data: bytes, source_file: str, sha256: str, ocr: dict[int, OcrPage] | None = None,
                  defer_ocr: bool = False, source_url: str | None = None) -> Processed:
    """One report, bytes to candidates. Pure: no I/O. Raises UnreadableFile, and NeedsOcr when
    `defer_ocr` and pages must be read by OCR (then given back as `ocr`, page index -> result).
    `source_url` (from an ingest manifest) is one more piece of evidence for the jurisdiction."""
    document = read_document(data, source_file, ocr=ocr, defer_ocr=defer_ocr)
    if not document.text.strip():
        raise UnreadableFile("no text in the file")
    norm = normalise(document.text)
    meta, match, place = read_front(norm, source_url)
    candidates = extract_candidates(norm, meta.report_year, document.tables, place, meta.issuer)
    document.locate(candidates)
    report_id = sha256[:16]
    row = {
        "report_id": report_id,
        "sha256": sha256,
        "source_file": source_file,
        "original_text": document.text,
        "encoding": document.encoding,
        "source_format": document.text_source.split("_")[0],
        "text_source": document.text_source,
        "page_count": document.page_count,
        "unread_pages": list(document.unread_pages) or None,
        "char_count": len(document.text),
        "title": meta.title,
        "issuer": meta.issuer,
        "issuer_kind": meta.issuer_kind,
        "issuer_basis": meta.issuer_basis,
        "source_url": source_url,
        "doc_number": meta.doc_number,
        "index_number": meta.index_number,
        "published_on": meta.published_on,
        "report_year": meta.report_year,
        "script": norm.script,
        "is_garbled": norm.is_garbled,
        "garbled_spans": spans_json(list(norm.garbled_spans) + [s[:2] for s in norm.repaired_spans]),
        "jurisdiction_id": match.jurisdiction_id,
        "jurisdiction_name": match.name,
        "jurisdiction_level": match.level,
        "jurisdiction_status": match.status,
        "jurisdiction_method": match.method,
        "jurisdiction_candidates": match.candidates,
        "jurisdiction_province": match.province,
        "jurisdiction_city": match.city,
        "extractor_version": extractor_version(),
        "text_sha256": hashlib.sha256(document.text.encode("utf-8", "surrogatepass")).hexdigest(),
        "source_key": None,  # the parent knows the source (a manifest URL, else the real path)
    }
    return Processed(report_id, row, candidates, place, report_sentences(report_id, norm, extractor_version()),
                     document.notes)


# --------------------------------------------------------------------------
# per-file work (runs in a worker process, or inline for small runs)

def _work_one(path: str, known: frozenset[str], defer_ocr: bool = False,
              ocr: dict[int, OcrPage] | None = None, url: str | None = None) -> Outcome:
    source_file = display_name(path)
    unsupported = unsupported_reason(path)
    if unsupported:
        return Outcome(source_file, None, "quarantined", unsupported, path=path)
    data, problem = read_limited(Path(path))
    if data is None:
        return Outcome(source_file, None, "quarantined", problem)
    sha = hashlib.sha256(data).hexdigest()
    if sha in known:
        return Outcome(source_file, sha, "known", path=path)
    try:
        processed = process_bytes(data, source_file, sha, ocr=ocr, defer_ocr=defer_ocr,
                                  source_url=url or _URLS.get(path) or url_in_worker(path))
    except NeedsOcr as need:
        return Outcome(source_file, sha, "needs_ocr", path=path, ocr_pages=need.pages)
    except UnreadableFile as exc:
        return Outcome(source_file, sha, "quarantined", one_line(exc, 300))
    except RecursionError:
        return Outcome(source_file, sha, "quarantined", "internal error: RecursionError")
    except Exception as exc:  # a bug must not stop the run; the file is quarantined with the reason
        return Outcome(source_file, sha, "quarantined", one_line(f"internal error: {type(exc).__name__}: {exc}", 300))
    return Outcome(source_file, sha, "landed", "; ".join(processed.notes), processed.report_id, processed,
                   path=path)


def _work_task(sources: list[str], defer_ocr: bool = True) -> list[Outcome]:
    return [_work_one(s, known_in_worker(), defer_ocr) for s in sources]


def _new_pool(known: frozenset[str], workers: int) -> ProcessPoolExecutor:
    """The pool, with this run's manifest URLs for its workers."""
    return new_pool(known, workers, _URLS)


# file path -> source URL of this ingest run's manifest (the parent's copy; workers get theirs)
_URLS: dict[str, str] = {}


def _with_ocr(pool: ProcessPoolExecutor, outcome: Outcome, known: frozenset[str]) -> Outcome:
    """A file with pages only OCR can read: the pages spread over the pool, then the report
    assembled from them in a worker (pool.py). When a worker dies meanwhile, this file alone in
    a pool of its own, OCR in one process (another task the death broke is redone by _pooled)."""
    try:
        ocr = read_pages(pool, outcome.path, outcome.ocr_pages)
        return pool.submit(_work_one, outcome.path, frozenset(), False, ocr).result()
    except UnreadableFile as exc:
        return Outcome(outcome.source_file, outcome.sha256, "quarantined", one_line(exc, 300))
    except BrokenProcessPool:
        return next(iter(_isolate([outcome.path], known, 1)))


# --------------------------------------------------------------------------
# orchestration


def ingest(
    db: Path,
    paths: Iterable[str | Path],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    manifest: Manifest | None = None,
) -> IngestSummary:
    """Land every file; account for each one in raw.ingest_attempts. Never stops on a bad file.
    A manifest gives files their source URL (kept, evidence for the jurisdiction, and the
    report's source identity). Run it under the warehouse's writer lock (warehouse/lock.py): the
    versions it loads must not change under it (landing stays idempotent without, see land_batch)."""
    global _URLS
    # each file once, in order, even when given twice or under two overlapping folders
    listed = list(dict.fromkeys(walk(paths)))
    files = [entry.path for entry in listed if not entry.problem]
    urls = {f: url for f in files if manifest and (url := manifest.url_for(f))}
    summary = IngestSummary(files=len(listed))
    version = extractor_version()
    con = connect(db)
    try:
        ensure_gazetteer(con)
        versions = Versions(con, version)
        known_urls = dict(con.execute(
            "select sha256, source_url from raw.reports where extractor_version = ?", [version]).fetchall())
    finally:
        # no DuckDB connection (and its threads) across the fork of the pool
        con.close()
    total = len(files)
    if progress:
        progress(0, total)
    workers = workers or default_workers()
    lander = Lander(db, versions, summary, lambda o: _reread(o, urls))
    _URLS = urls
    try:
        for entry in listed:  # folders not walked (loops, unlistable): accounted for, not read
            if entry.problem:
                lander.add(Outcome(display_name(entry.path), None, "quarantined", entry.problem,
                                   path=entry.path, source_key=source_key(entry.path)))
        for done, outcome in enumerate(_run(files, frozenset(versions.known), workers), start=1):
            url = urls.get(outcome.path or "")
            outcome.source_key = source_key(outcome.path or outcome.source_file, url)
            if outcome.status == "known" and url and url != known_urls.get(outcome.sha256):
                # landed before, now with a (new) source URL: new evidence, read it again
                outcome = replace(_work_one(outcome.path, frozenset(), url=url), source_key=outcome.source_key)
                lander.stale.add(outcome.report_id or "")
            lander.add(outcome)
            if progress and (done % 50 == 0 or done == total):
                progress(done, total)
        lander.flush()
    finally:
        _URLS = {}
        lander.close()
    if progress:
        progress(total, total)
    return summary


def _reread(outcome: Outcome, urls: dict[str, str]) -> Outcome:
    """Extract a file again in the parent (its bytes were a report retired earlier in this run)."""
    again = _work_one(outcome.path, frozenset(), url=urls.get(outcome.path))
    return replace(again, source_key=outcome.source_key)


def _run(files: list[str], known: frozenset[str], workers: int) -> Iterator[Outcome]:
    """Outcomes in input order; a bounded window of tasks in flight."""
    if workers <= 1 or len(files) < 2 * TASK_FILES:
        pool = None  # started for the first scan only: OCR pages use every core
        try:
            for f in files:
                outcome = _work_one(f, known, defer_ocr=workers > 1)
                if outcome.status == "needs_ocr":
                    if pool is None:
                        _warm_up()
                        pool = _new_pool(known, workers)
                    outcome = _with_ocr(pool, outcome, known)
                yield outcome
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        return
    _warm_up(with_urls=bool(_URLS))
    # what is loaded now lives as long as the process: out of the collector's sight, a full
    # collection in a worker no longer walks the rules and gazetteer (and never touches their pages)
    gc.freeze()
    tasks = [files[i:i + TASK_FILES] for i in range(0, len(files), TASK_FILES)]
    yield from _pooled(tasks, known, workers)


def _warm_up(with_urls: bool = False) -> None:
    """Load the gazetteer, rules and regexes once in the parent: forked workers inherit them
    (with manifest URLs, the pinyin spellings of place names too)."""
    try:
        process_bytes("一、总体情况\n2024年，全区共受理矛盾纠纷1件。".encode(), "warmup.txt", "0" * 64,
                      source_url="http://warmup.gov.cn/" if with_urls else None)
    except Exception:  # warm-up is an optimisation only
        pass


def _pooled(tasks: list[list[str]], known: frozenset[str], workers: int) -> Iterator[Outcome]:
    window = max(2, workers * INFLIGHT_PER_WORKER)
    pending: deque[tuple[list[str], Future]] = deque()
    queue = deque(tasks)
    pool = _new_pool(known, workers)
    try:
        while queue or pending:
            while queue and len(pending) < window:
                task = queue.popleft()
                pending.append((task, pool.submit(_work_task, task)))
            task, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                # A worker died (a crash in a C extension, the OOM killer ...). Start a new pool
                # and redo the unfinished tasks one file per task, so the file that kills a
                # worker is found and quarantined, and the others land.
                pool.shutdown(wait=False, cancel_futures=True)
                redo = [task, *(t for t, _ in pending)]
                pending.clear()
                yield from _isolate([f for t in redo for f in t], known, workers)
                pool = _new_pool(known, workers)
                continue
            for outcome in results:
                yield _with_ocr(pool, outcome, known) if outcome.status == "needs_ocr" else outcome
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _isolate(files: list[str], known: frozenset[str], workers: int) -> Iterator[Outcome]:
    """Each file in its own task, one at a time; a file that breaks the pool is quarantined."""
    pool = _new_pool(known, 1)
    try:
        for f in files:
            try:
                yield from pool.submit(_work_task, [f], False).result()
            except BrokenProcessPool:
                yield Outcome(display_name(f), None, "quarantined", "the worker process died while reading this file")
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _new_pool(known, 1)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
