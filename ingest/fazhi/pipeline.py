"""Ingest orchestration: files -> read -> normalise -> metadata/jurisdiction -> quantities ->
attribute -> land. The per-file work is a pure function (`process_bytes`) so it can run in a
process pool; landing happens in the parent, in batches, one transaction per batch.
"""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from fazhi import __version__
from fazhi.attribute import attribute, to_candidates
from fazhi.jurisdiction import Place, resolve
from fazhi.land import connect, ensure_gazetteer, known_hashes, land_batch, spans_json
from fazhi.metadata import extract_metadata
from fazhi.normalise import normalise
from fazhi.paths import PACKAGE_DIR, seeds_dir
from fazhi.quantities import find_quantities
from fazhi.read import UnreadableFile, decode_bytes
from fazhi.records import Candidate

BATCH_SIZE = 200
# Files larger than this are not reports (a 30 MB dump); say so instead of grinding on it.
MAX_FILE_BYTES = 20 * 1024 * 1024


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """Changes whenever the rules (seeds) or the extraction code change, so re-ingest re-extracts."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(seeds_dir().glob("*.csv")):
        digest.update(path.name.encode() + path.read_bytes())
    for name in ("read", "normalise", "quantities", "attribute", "metadata", "jurisdiction", "catalog"):
        digest.update((PACKAGE_DIR / f"{name}.py").read_bytes())
    return digest.hexdigest()[:12]


@dataclass(slots=True)
class Processed:
    report_id: str
    report_row: dict
    candidates: list[Candidate]
    place: Place | None


@dataclass(slots=True)
class Outcome:
    source_file: str
    sha256: str | None
    status: str  # landed | duplicate | quarantined
    reason: str = ""
    report_id: str | None = None
    processed: Processed | None = None


@dataclass(slots=True)
class IngestSummary:
    files: int = 0
    landed: int = 0
    unchanged: int = 0
    duplicate: int = 0
    quarantined: int = 0
    candidates: int = 0
    quarantine_reasons: list[tuple[str, str]] = field(default_factory=list)


def process_bytes(data: bytes, source_file: str, sha256: str) -> Processed:
    """One report, bytes to candidates. Pure: no I/O. Raises UnreadableFile."""
    decoded = decode_bytes(data, source_file)
    if not decoded.text.strip():
        raise UnreadableFile("no text in the file")
    norm = normalise(decoded.text)
    meta = extract_metadata(norm.text, norm.script)
    match, place = resolve(norm.text, meta)
    quantities = find_quantities(norm.text)
    candidates = to_candidates(attribute(norm.text, quantities, meta.report_year), norm)
    report_id = sha256[:16]
    row = {
        "report_id": report_id,
        "sha256": sha256,
        "source_file": source_file,
        "original_text": decoded.text,
        "encoding": decoded.encoding,
        "source_format": decoded.format,
        "char_count": len(decoded.text),
        "title": meta.title,
        "issuer": meta.issuer,
        "issuer_kind": meta.issuer_kind,
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
        "extractor_version": extractor_version(),
    }
    return Processed(report_id, row, candidates, place)


def _work(item: tuple[str, bytes, str]) -> Outcome:
    source_file, data, sha = item
    try:
        processed = process_bytes(data, source_file, sha)
    except UnreadableFile as exc:
        return Outcome(source_file, sha, "quarantined", str(exc))
    except Exception as exc:  # a bug must not stop the batch; the file is quarantined with the reason
        return Outcome(source_file, sha, "quarantined", f"internal error: {type(exc).__name__}: {exc}")
    return Outcome(source_file, sha, "landed", report_id=processed.report_id, processed=processed)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and every regular file under given folders (hidden ones skipped)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out.extend(Path(root) / f for f in sorted(files) if not f.startswith("."))
        else:
            out.append(path)
    return out


def _read(path: Path) -> tuple[bytes | None, str]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, f"file is {path.stat().st_size // (1024 * 1024)} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit for a report"
        return path.read_bytes(), ""
    except FileNotFoundError:
        return None, "file not found"
    except IsADirectoryError:
        return None, "is a directory"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"


def ingest(
    db: Path,
    paths: Iterable[str | Path],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IngestSummary:
    """Land every file; account for each one in raw.ingest_attempts. Never stops on a bad file."""
    files = expand_paths(paths)
    summary = IngestSummary(files=len(files))
    version = extractor_version()
    con = connect(db)
    try:
        ensure_gazetteer(con)
        known = known_hashes(con, version)
        todo: list[tuple[str, bytes, str]] = []
        immediate: list[Outcome] = []
        seen_in_batch: dict[str, str] = {}
        for path in files:
            source = str(path)
            data, problem = _read(path)
            if data is None:
                immediate.append(Outcome(source, None, "quarantined", problem))
                continue
            sha = hashlib.sha256(data).hexdigest()
            if sha in known:
                rid, landed_from = known[sha]
                status = "landed" if landed_from == source else "duplicate"
                immediate.append(Outcome(source, sha, status, "" if status == "landed" else f"same bytes as {landed_from}", rid))
                summary.unchanged += status == "landed"
            elif sha in seen_in_batch:
                immediate.append(Outcome(source, sha, "duplicate", f"same bytes as {seen_in_batch[sha]}", sha[:16]))
            else:
                seen_in_batch[sha] = source
                todo.append((source, data, sha))
        done = len(immediate)
        total = len(files)
        if progress:
            progress(done, total)
        # files already accounted for land first (their attempts only)
        _land(con, immediate, summary)
        for chunk in _chunks(_run(todo, workers), BATCH_SIZE):
            _land(con, chunk, summary)
            done += len(chunk)
            if progress:
                progress(done, total)
    finally:
        con.close()
    return summary


def _run(todo: list[tuple[str, bytes, str]], workers: int | None) -> Iterator[Outcome]:
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(todo) < 8:
        for item in todo:
            yield _work(item)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_work, todo, chunksize=4)


def _chunks(items: Iterator[Outcome], size: int) -> Iterator[list[Outcome]]:
    chunk: list[Outcome] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _land(con, outcomes: list[Outcome], summary: IngestSummary) -> None:
    if not outcomes:
        return
    processed = [o.processed for o in outcomes if o.processed is not None]
    attempts = [
        {"source_file": o.source_file, "sha256": o.sha256, "status": o.status,
         "reason": o.reason or None, "report_id": o.report_id}
        for o in outcomes
    ]
    land_batch(con, processed, attempts)
    for o in outcomes:
        if o.status == "quarantined":
            summary.quarantined += 1
            summary.quarantine_reasons.append((o.source_file, o.reason))
        elif o.status == "duplicate":
            summary.duplicate += 1
        elif o.processed is not None:
            summary.landed += 1
            summary.candidates += len(o.processed.candidates)
