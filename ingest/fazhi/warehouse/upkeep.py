"""Upkeep of the raw layer: take reports out (`fazhi remove`) and repair duplicate report ids
(`fazhi repair`, and every ingest and build before they start).

Duplicates cannot arise any more (one writer at a time, and landing skips ids already landed),
but a warehouse written by two concurrent ingests of an older fazhi has them, and every build of
it failed. They are identical copies of one report (same id = same bytes): keeping one copy of
each report and of each of its candidates loses nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from fazhi.warehouse.land import connect, transaction
from fazhi.warehouse.versions import Versions, apply_changes, resolve_source

__all__ = ["Removal", "RemoveError", "duplicate_report_rows", "remove_reports", "repair_duplicates"]


class RemoveError(ValueError):
    """SOURCE names no current report, or several when one was meant."""


@dataclass(slots=True)
class Removal:
    removed: list[tuple[str, str]] = field(default_factory=list)  # (report_id, source_file)
    not_found: list[str] = field(default_factory=list)


def duplicate_report_rows(con: duckdb.DuckDBPyConnection) -> int:
    """Rows of raw.reports beyond one per report_id (0 in a healthy warehouse)."""
    return con.execute("select count(*) - count(distinct report_id) from raw.reports").fetchone()[0]


def repair_duplicates(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Keep one row per report id (the latest landed), one candidate and one sentence per (report,
    seq); returns
    (report rows, candidate rows) removed. One transaction; a no-op on a healthy warehouse."""
    if not duplicate_report_rows(con):
        return 0, 0
    with transaction(con):
        before = con.execute("select (select count(*) from raw.reports), "
                             "(select count(*) from raw.indicator_candidates)").fetchone()
        for table, key, order in (("reports", "report_id", "landed_at desc"),
                                  ("indicator_candidates", "report_id, candidate_seq", "report_id"),
                                  ("report_sentences", "report_id, sentence_seq", "report_id")):
            con.execute(f"create or replace temp table kept as select * from raw.{table} "
                        f"qualify row_number() over (partition by {key} order by {order}) = 1")
            con.execute(f"delete from raw.{table}")
            con.execute(f"insert into raw.{table} by name select * from kept")
            con.execute("drop table kept")
        after = con.execute("select (select count(*) from raw.reports), "
                            "(select count(*) from raw.indicator_candidates)").fetchone()
    return before[0] - after[0], before[1] - after[1]


def remove_reports(db: Path, sources: list[str], extractor_version: str) -> Removal:
    """Take out the reports SOURCE names (see versions.resolve_source): each moves to
    raw.report_history (change = removed) and each of its files gets a `removed` attempt row.
    A SOURCE that names several reports is an error listing them; nothing is removed then."""
    result = Removal()
    con = connect(db)
    try:
        chosen: dict[str, str] = {}
        for given in sources:
            found = resolve_source(con, given)
            if not found:
                result.not_found.append(given)
            elif len(found) > 1:
                names = ", ".join(f"{rid} ({file})" for rid, file in found[:5])
                raise RemoveError(f"{given!r} names {len(found)} reports: {names}; give a path or a report_id")
            else:
                chosen.setdefault(*found[0])
        if not chosen:
            return result
        versions = Versions(con, extractor_version)
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        attempts = []
        for rid, file in chosen.items():
            held = versions.remove(rid) or [(None, file)]
            attempts += [(f, key, rid, now) for key, f in held]
            result.removed.append((rid, file))
        changes = versions.take_changes()
        with transaction(con):
            apply_changes(con, changes)
            con.executemany(
                "insert into raw.ingest_attempts (source_file, source_key, status, reason, report_id, attempted_at, "
                "attempt_seq) values (?, ?, 'removed', 'taken out by fazhi remove', ?, ?, nextval('raw.attempt_seq'))",
                attempts)
    finally:
        con.close()
    return result
