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
  bytes as another file) or quarantined (with a one-line reason). A bad file, or a worker
  that dies on one, never stops the run.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from fazhi.extract.candidates import extract_candidates
from fazhi.messages import one_line
from fazhi.normalise import normalise
from fazhi.place.evidence import compact, gather
from fazhi.place.gazetteer import Place
from fazhi.place.metadata import extract_metadata
from fazhi.place.resolve import complete_issuer, resolve
from fazhi.pool import default_workers, known_in_worker, new_pool, read_pages, url_in_worker
from fazhi.read import NeedsOcr, OcrPage, UnreadableFile, read_document
from fazhi.read.files import display_name, read_limited
from fazhi.read.manifest import Manifest
from fazhi.records import Candidate
from fazhi.rules import rules_fingerprint
from fazhi.search.sentences import ReportSentences, report_sentences
from fazhi.warehouse.land import connect, ensure_gazetteer, known_hashes, land_batch, spans_json, stale_report_ids

# landed | duplicate | quarantined land in raw.ingest_attempts; known (landed before) and needs_ocr
# (pages to read by OCR first) are resolved by the parent
AttemptStatus = Literal["landed", "duplicate", "quarantined", "known", "needs_ocr"]

# Reports per landing transaction (a kill loses at most this much work). FAZHI_INGEST_BATCH
# overrides it (the crash tests use small batches to have many transactions to kill).
BATCH_SIZE = int(os.environ.get("FAZHI_INGEST_BATCH", "200"))
# Attempt rows of already-landed files per transaction (they are cheap; keep the count of
# transactions low on a re-run over 100,000 files).
ATTEMPT_BATCH = 5000
# Files per task sent to a worker, and tasks in flight per worker (bounds parent memory).
TASK_FILES = 8
INFLIGHT_PER_WORKER = 4
# DuckDB memory cap of the landing connection (FAZHI_INGEST_MEMORY overrides, e.g. "2GB").
LANDING_MEMORY = os.environ.get("FAZHI_INGEST_MEMORY", "512MB")
# FAZHI_INGEST_TRACE=FILE appends one JSON line per landed batch (for scripts/bench.py).
_TRACE = os.environ.get("FAZHI_INGEST_TRACE")
# The version of the extraction code. Bump it with any change that can change what is extracted
# from a report (a reader, the normalised view, the quantity reader, attribution, metadata,
# jurisdiction): every landed report is then re-extracted on the next ingest. Rule (seed) changes
# need no bump: their content is hashed into extractor_version().
EXTRACTOR_VERSION = "31"


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


def process_bytes(data: bytes, source_file: str, sha256: str, ocr: dict[int, OcrPage] | None = None,
                  defer_ocr: bool = False, source_url: str | None = None) -> Processed:
    """One report, bytes to candidates. Pure: no I/O. Raises UnreadableFile, and NeedsOcr when
    `defer_ocr` and pages must be read by OCR (then given back as `ocr`, page index -> result).
    `source_url` (from an ingest manifest) is one more piece of evidence for the jurisdiction."""
    document = read_document(data, source_file, ocr=ocr, defer_ocr=defer_ocr)
    if not document.text.strip():
        raise UnreadableFile("no text in the file")
    norm = normalise(document.text)
    evidence = gather(compact(norm.text))
    meta = extract_metadata(norm.text, norm.script, evidence)
    match, place = resolve(norm.text, meta, source_url, evidence)
    complete_issuer(meta, place)
    candidates = extract_candidates(norm, meta.report_year, document.tables, place)
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
    }
    return Processed(report_id, row, candidates, place, report_sentences(report_id, norm, extractor_version()))


# --------------------------------------------------------------------------
# per-file work (runs in a worker process, or inline for small runs)

def _work_one(path: str, known: frozenset[str], defer_ocr: bool = False,
              ocr: dict[int, OcrPage] | None = None, url: str | None = None) -> Outcome:
    source_file = display_name(path)
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
    return Outcome(source_file, sha, "landed", report_id=processed.report_id, processed=processed)


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


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given, and every file under given folders, sorted, hidden ones skipped.
    Symlinks are listed, not followed into folders (a dangling one is quarantined)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith("."):
                        yield Path(root) / f
        else:
            yield path


def ingest(
    db: Path,
    paths: Iterable[str | Path],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    manifest: Manifest | None = None,
) -> IngestSummary:
    """Land every file; account for each one in raw.ingest_attempts. Never stops on a bad file.
    A manifest gives files their source URL (kept, and evidence for the jurisdiction)."""
    global _URLS
    # each file once, in order, even when given twice or under two overlapping folders
    files = list(dict.fromkeys(str(p) for p in iter_paths(paths)))
    urls = {f: url for f in files if manifest and (url := manifest.url_for(f))}
    summary = IngestSummary(files=len(files))
    version = extractor_version()
    con = connect(db)
    try:
        ensure_gazetteer(con)
        known = known_hashes(con, version)
        known_urls = dict(con.execute(
            "select sha256, source_url from raw.reports where extractor_version = ?", [version]).fetchall())
        stale = stale_report_ids(con, version)
    finally:
        # no DuckDB connection (and its threads) across the fork of the pool
        con.close()
    total = len(files)
    if progress:
        progress(0, total)
    workers = workers or default_workers()
    lander = _Lander(db, known, stale, summary)
    _URLS = urls
    try:
        for done, outcome in enumerate(_run(files, frozenset(known), workers), start=1):
            url = urls.get(outcome.path or "")
            if outcome.status == "known" and url and url != known_urls.get(outcome.sha256):
                # landed before, now with a (new) source URL: new evidence, read it again
                outcome = _work_one(outcome.path, frozenset(), url=url)
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


class _Lander:
    """Resolves duplicates in input order and lands outcomes in batches (one transaction each)."""

    def __init__(self, db: Path, known: dict[str, tuple[str, str]], stale: set[str], summary: IngestSummary):
        self.db = db
        self.known = known  # sha -> (report_id, source_file) landed before this run
        self.stale = stale
        self.seen: dict[str, str] = {}  # sha -> source_file landed in this run
        self.summary = summary
        self.outcomes: list[Outcome] = []
        self.reports = 0
        self.con = None

    def add(self, o: Outcome) -> None:
        sha = o.sha256
        if o.status == "known":
            rid, landed_from = self.known[sha]
            if landed_from == o.source_file:
                o.status, o.report_id = "landed", rid
                self.summary.unchanged += 1
            else:
                o.status, o.report_id, o.reason = "duplicate", rid, f"same bytes as {landed_from}"
        elif o.status == "landed" and sha in self.seen:
            # same bytes as a file earlier in this run: its report lands in this batch or an
            # earlier one, never later, so the attempt row never points at a missing report
            o.status, o.reason, o.processed = "duplicate", f"same bytes as {self.seen[sha]}", None
        elif o.status == "landed":
            self.seen[sha] = o.source_file
            self.reports += 1
        self.outcomes.append(o)
        if self.reports >= BATCH_SIZE or len(self.outcomes) >= ATTEMPT_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.outcomes:
            return
        if self.con is None:
            self.con = connect(self.db)
            # Landing needs little memory and one thread: cap DuckDB's cache (it would otherwise
            # keep every block it wrote, up to 80% of RAM) and leave the cores to the workers.
            self.con.execute(f"set memory_limit = '{LANDING_MEMORY}'")
            self.con.execute("set threads = 1")
        outcomes, self.outcomes, self.reports = self.outcomes, [], 0
        processed = [o.processed for o in outcomes if o.processed is not None]
        replace = [p.report_id for p in processed if p.report_id in self.stale]
        attempts = [
            {"source_file": o.source_file, "sha256": o.sha256, "status": o.status,
             "reason": o.reason or None, "report_id": o.report_id}
            for o in outcomes
        ]
        t0 = time.perf_counter()
        land_batch(self.con, processed, attempts, replace_ids=replace)
        if _TRACE:
            with open(_TRACE, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"at": round(time.time(), 3), "reports": len(processed),
                                         "attempts": len(attempts),
                                         "land_s": round(time.perf_counter() - t0, 4)}) + "\n")
        s = self.summary
        for o in outcomes:
            if o.status == "quarantined":
                s.quarantined += 1
                s.quarantine_reasons.append((o.source_file, o.reason))
            elif o.status == "duplicate":
                s.duplicate += 1
            elif o.processed is not None:
                s.landed += 1
                s.candidates += len(o.processed.candidates)
                s.chars += o.processed.report_row["char_count"] or 0
                if o.processed.report_row.get("unread_pages"):
                    s.unread_pages.append((o.source_file, o.processed.report_row["unread_pages"]))

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None


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
