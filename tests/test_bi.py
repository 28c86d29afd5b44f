"""BI tools: connect the way Superset does (SQLAlchemy + duckdb-engine, read-only), list the
marts, and get Chinese text back byte for byte."""
from __future__ import annotations

import duckdb
import pytest

sa = pytest.importorskip("sqlalchemy", reason="sqlalchemy is in the [test] extra")
pytest.importorskip("duckdb_engine", reason="duckdb-engine is in the [test] extra")

CONTRACT_MARTS = {"dim_report", "dim_jurisdiction", "dim_indicator", "fct_report_indicators",
                  "fct_jurisdiction_year", "ingest_files"}


def superset_uri(db) -> str:
    """What a user pastes into Superset's SQLAlchemy URI field (see README: BI tools)."""
    return f"duckdb:///{db.resolve()}?access_mode=read_only"


@pytest.fixture()
def engine(sample_warehouse):
    eng = sa.create_engine(superset_uri(sample_warehouse))
    yield eng
    eng.dispose()


def test_superset_lists_the_mart_tables(engine):
    inspector = sa.inspect(engine)
    schemas = inspector.get_schema_names()
    assert any(s == "marts" or s.endswith(".marts") for s in schemas), schemas
    tables = set(inspector.get_table_names(schema="marts"))
    assert tables >= CONTRACT_MARTS, CONTRACT_MARTS - tables


# pyproject pins sqlalchemy<2.1: duckdb-engine cannot reflect columns under 2.1 (it queries
# pg_catalog.pg_collation); Superset itself runs SQLAlchemy 1.4.
def test_superset_reflects_the_columns_of_a_mart(engine):
    columns = {c["name"] for c in sa.inspect(engine).get_columns("dim_jurisdiction", schema="marts")}
    assert {"jurisdiction_id", "name", "level", "adcode"} <= columns


def test_a_chinese_name_round_trips_byte_for_byte(engine, sample_warehouse):
    # what DuckDB itself holds (read first: one process cannot open the file with two configurations)
    native = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        want = native.execute("select report_id, indicator_code, evidence from marts.fct_report_indicators").fetchall()
        texts = dict(native.execute("select report_id, original_text from raw.reports").fetchall())
        spans = native.execute(
            "select report_id, indicator_code, char_start, char_end from marts.fct_report_indicators").fetchall()
    finally:
        native.close()
    name = "洛江区"
    with engine.connect() as con:
        # a bound parameter (a dashboard filter) ...
        got = con.execute(sa.text("select name, adcode from marts.dim_jurisdiction where name = :n"),
                          {"n": name}).fetchall()
        assert [r[0].encode("utf-8") for r in got] == [name.encode("utf-8")]
        assert got[0][1] == "350504"
        # ... and a query built by SQLAlchemy's expression language, as Superset's explore view does
        table = sa.table("dim_jurisdiction", sa.column("name"), sa.column("level"), schema="marts")
        rows = con.execute(sa.select(table.c.name).where(table.c.name == name)).fetchall()
        assert rows == [(name,)]
        via_bi = con.execute(sa.text(
            "select report_id, indicator_code, evidence from marts.fct_report_indicators")).fetchall()
    assert sorted(via_bi) == sorted(want)
    # the evidence (simplified and traditional script) is the exact text of the report
    evidence = {(r, c): e for r, c, e in via_bi}
    assert any(any(ch in e for ch in "區縣調處審") for e in evidence.values()), "a traditional-script evidence"
    for rid, code, start, end in spans:
        assert evidence[(rid, code)].encode("utf-8") == texts[rid][start:end].encode("utf-8")


def test_the_bi_connection_is_read_only(engine):
    with engine.connect() as con, pytest.raises(sa.exc.DBAPIError):
        con.execute(sa.text("create table marts.scratch (x integer)"))


def test_engine_parameters_form_works_too(sample_warehouse):
    """Superset's "Engine parameters": {"connect_args": {"read_only": true}}."""
    eng = sa.create_engine(f"duckdb:///{sample_warehouse.resolve()}", connect_args={"read_only": True})
    try:
        with eng.connect() as con:
            n = con.execute(sa.text("select count(*) from marts.dim_report")).scalar_one()
        assert n > 0
    finally:
        eng.dispose()
