"""The ingest's parent side of landing: each file's outcome decided in input order (versions.py:
unchanged, a duplicate by bytes or by text, a new report or a new version of one), then landed
in batches, one transaction each (land.py)."""
from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fazhi.warehouse.land import connect, land_batch
from fazhi.warehouse.versions import Versions, apply_changes

# Reports per landing transaction (a kill loses at most this much work). FAZHI_INGEST_BATCH
# overrides it (the crash tests use small batches to have many transactions to kill).
BATCH_SIZE = int(os.environ.get("FAZHI_INGEST_BATCH", "200"))
# Attempt rows of already-landed files per transaction (they are cheap; keep the count of
# transactions low on a re-run over 100,000 files).
ATTEMPT_BATCH = 5000
# DuckDB memory cap of the landing connection (FAZHI_INGEST_MEMORY overrides, e.g. "2GB").
LANDING_MEMORY = os.environ.get("FAZHI_INGEST_MEMORY", "512MB")
# WAL size past which a commit checkpoints (FAZHI_INGEST_CHECKPOINT overrides). At DuckDB's 16 MB
# every second or third batch checkpointed, rewriting the partly filled row groups of the big
# tables each time: landing 10,000 reports spent 4.6 s in commits, at 256 MB 2.1 s (with the
# last checkpoint). A kill still loses only the batch in flight: the WAL is replayed on open.
LANDING_CHECKPOINT = os.environ.get("FAZHI_INGEST_CHECKPOINT", "256MB")
# FAZHI_INGEST_TRACE=FILE appends one JSON line per landed batch (for scripts/bench.py).
_TRACE = os.environ.get("FAZHI_INGEST_TRACE")


class Lander:
    """Takes pipeline.Outcome objects in input order; `summary` is the run's IngestSummary.
    `reread(outcome)` extracts a file again (its bytes were a report this run retired)."""

    def __init__(self, db: Path, versions: Versions, summary: Any, reread: Callable[[Any], Any]):
        self.db = db
        self.versions = versions
        self.stale = versions.stale  # report ids to replace when they land again
        self.summary = summary
        self.reread = reread
        self.outcomes: list = []
        self.reports = 0
        self.con = None

    def add(self, o) -> None:
        v = self.versions
        if o.status == "known" and o.sha256 not in v.known:
            o = self.reread(o)  # its report was retired earlier in this run: extract it again
        if o.status == "known":
            rid = v.known[o.sha256]
            o.report_id = rid
            if v.landed_from(o.source_key, rid):
                o.status = "landed"
                self.summary.unchanged += 1
            else:
                o.status, o.duplicate_of = "duplicate", v.file_of[rid]
                o.reason = f"same bytes as {o.duplicate_of}"
        elif o.status == "landed" and o.sha256 in v.seen:
            # same bytes as a file earlier in this run: its report lands in this batch or an
            # earlier one, never later, so the attempt row never points at a missing report
            o.status, o.duplicate_of, o.processed = "duplicate", v.seen[o.sha256], None
            o.report_id, o.reason = v.known[o.sha256], f"same bytes as {o.duplicate_of}"
        elif o.status == "landed":
            row = o.processed.report_row
            other = v.duplicate_of_text(row["text_sha256"], o.report_id)
            if other is not None:
                o.status, (o.report_id, o.duplicate_of), o.processed = "duplicate", other, None
                o.reason = f"same text as {o.duplicate_of} (this file is {row['encoding'] or row['text_source']})"
            else:
                row["source_key"] = o.source_key
                v.landing(o.report_id, o.sha256, row["text_sha256"], o.source_key, o.source_file)
                self.reports += 1
        if o.report_id is not None and o.status in ("landed", "duplicate"):
            v.point(o.source_key, o.source_file, o.report_id, o.status)
        self.outcomes.append(o)
        if self.reports >= BATCH_SIZE or len(self.outcomes) >= ATTEMPT_BATCH:
            self.flush()

    def flush(self) -> None:
        changes = self.versions.take_changes()
        if not self.outcomes and not changes:
            return
        if self.con is None:
            self.con = connect(self.db)
            # Landing needs little memory and one thread: cap DuckDB's cache (it would otherwise
            # keep every block it wrote, up to 80% of RAM) and leave the cores to the workers.
            self.con.execute(f"set memory_limit = '{LANDING_MEMORY}'")
            self.con.execute("set threads = 1")
            self.con.execute(f"set checkpoint_threshold = '{LANDING_CHECKPOINT}'")
        outcomes, self.outcomes, self.reports = self.outcomes, [], 0
        processed = [o.processed for o in outcomes if o.processed is not None]
        replace_ids = [p.report_id for p in processed if p.report_id in self.stale]
        attempts = [
            {"source_file": o.source_file, "sha256": o.sha256, "status": o.status,
             "reason": o.reason or None, "report_id": o.report_id, "source_key": o.source_key or None,
             "duplicate_of": o.duplicate_of}
            for o in outcomes
        ]
        t0 = time.perf_counter()
        land_batch(self.con, processed, attempts, replace_ids=replace_ids,
                   before=lambda con: apply_changes(con, changes))
        if _TRACE:
            with open(_TRACE, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"at": round(time.time(), 3), "reports": len(processed),
                                         "attempts": len(attempts),
                                         "land_s": round(time.perf_counter() - t0, 4)}) + "\n")
        self._count(outcomes, changes)

    def _count(self, outcomes: list, changes) -> None:
        s = self.summary
        s.superseded += sum(1 for _, change, _ in changes.retire if change == "superseded")
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
                if o.processed.notes:
                    s.repaired.append((o.source_file, o.reason))
                if o.processed.report_row.get("unread_pages"):
                    s.unread_pages.append((o.source_file, o.processed.report_row["unread_pages"]))

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
