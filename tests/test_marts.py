"""The comparable marts: domain facts per jurisdiction-year, conflicts, rate checks, and the
data tests that guard them (a bad figure must stop `fazhi build` from publishing)."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import run_fazhi

DOMAIN_TABLES = [
    "fct_mediation",
    "fct_admin_reconsideration",
    "fct_admin_litigation",
    "fct_legal_aid",
    "fct_law_publicity",
    "fct_normative_documents",
    "fct_enforcement",
    "fct_petitions",
]
ROW_COLUMNS = {"jurisdiction_id", "report_year", "jurisdiction_name", "jurisdiction_level",
               "source_report_ids", "source_issuer_kinds", "conflict_count"}
QUALIFIERS = {"exact", "approx", "at_least", "at_most"}
ISSUER_KINDS = {"government", "department", "other"}


@pytest.fixture(scope="module")
def con(sample_warehouse):
    connection = duckdb.connect(str(sample_warehouse), read_only=True)
    yield connection
    connection.close()


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = 'marts' and table_name = ? order by ordinal_position", [table]).fetchall()]


def _indicator_columns(columns: list[str]) -> list[str]:
    """The value columns: those with a _qualifier companion."""
    return [c for c in columns if f"{c}_qualifier" in columns]


def test_fct_mediation_has_the_sample_jurisdiction_years(con):
    rows = con.execute("select * from marts.fct_mediation order by jurisdiction_id, report_year").fetchall()
    assert rows, "fct_mediation is empty for the samples"
    columns = _columns(con, "fct_mediation")
    assert columns[:4] == ["jurisdiction_id", "report_year", "jurisdiction_name", "jurisdiction_level"]
    for code in ["mediation_cases_accepted", "mediation_cases_resolved", "mediation_success_rate",
                 "mediation_amount_involved"]:
        for suffix in ["", "_qualifier", "_issuer_kind", "_report_id"]:
            assert f"{code}{suffix}" in columns, f"{code}{suffix}"
    assert {"mediation_success_rate_recomputed", "mediation_success_rate_mismatch"} <= set(columns)
    # every row has a resolved jurisdiction that is in the dimension
    missing = con.execute("""
        select f.jurisdiction_id from marts.fct_mediation f
        left join marts.dim_jurisdiction j using (jurisdiction_id) where j.jurisdiction_id is null
    """).fetchall()
    assert not missing


@pytest.mark.parametrize("table", DOMAIN_TABLES)
def test_domain_table_shape_and_grain(con, table):
    columns = _columns(con, table)
    assert set(columns) >= ROW_COLUMNS, (table, ROW_COLUMNS - set(columns))
    indicators = _indicator_columns(columns)
    assert indicators, table
    for code in indicators:
        assert {f"{code}_issuer_kind", f"{code}_report_id"} <= set(columns), code
    duplicates = con.execute(f"""
        select jurisdiction_id, report_year, count(*) from marts.{table}
        group by all having count(*) > 1
    """).fetchall()
    assert not duplicates, (table, duplicates)
    nulls = con.execute(
        f"select count(*) from marts.{table} where jurisdiction_id is null or report_year is null").fetchone()[0]
    assert nulls == 0, table
    for code in indicators:
        qualifiers = {r[0] for r in con.execute(
            f"select distinct {code}_qualifier from marts.{table} where {code} is not null").fetchall()}
        assert qualifiers <= QUALIFIERS, (table, code, qualifiers)
        kinds = {r[0] for r in con.execute(
            f"select distinct {code}_issuer_kind from marts.{table} where {code} is not null").fetchall()}
        assert kinds <= ISSUER_KINDS, (table, code, kinds)


def test_domain_tables_together_have_rows(con):
    counts = {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in DOMAIN_TABLES}
    assert sum(counts.values()) > 0, counts
    assert counts["fct_mediation"] > 0, counts


@pytest.mark.parametrize("table", DOMAIN_TABLES)
def test_domain_figures_are_stated_figures_of_their_own_report(con, table):
    """Roll-up without summing: every figure is a value its source report states, that report
    covers the row's jurisdiction and year, and the issuer_kind is the report's."""
    for code in _indicator_columns(_columns(con, table)):
        bad = con.execute(f"""
            select f.jurisdiction_id, f.report_year, f.{code}, f.{code}_report_id
            from marts.{table} f
            left join marts.dim_report r on r.report_id = f.{code}_report_id
            where f.{code} is not null and (
                r.report_id is null
                or r.jurisdiction_id <> f.jurisdiction_id
                or r.report_year <> f.report_year
                or r.issuer_kind <> f.{code}_issuer_kind
                or not exists (
                    select 1 from raw.indicator_candidates c
                    where c.report_id = f.{code}_report_id
                        and c.indicator_code = '{code}'
                        and c.scope = 'total'
                        and c.value = f.{code}
                )
            )
        """).fetchall()
        assert not bad, (table, code, bad)


def test_jurisdiction_year_agrees_with_domain_facts_and_conflicts(con):
    bad = con.execute("""
        select m.jurisdiction_id, m.report_year
        from marts.fct_mediation m
        join marts.fct_jurisdiction_year y using (jurisdiction_id, report_year)
        where m.mediation_cases_accepted is distinct from y.mediation_cases_accepted
            or m.mediation_success_rate is distinct from y.mediation_success_rate
    """).fetchall()
    assert not bad
    # every winner is a published per-report figure; a figure that lost inside its own report is not
    winners_missing = con.execute("""
        select c.chosen_candidate_id from marts.fct_indicator_conflicts c
        anti join marts.fct_report_indicators f on f.candidate_id = c.chosen_candidate_id
    """).fetchall()
    assert not winners_missing
    published_losers = con.execute("""
        select c.candidate_id from marts.fct_indicator_conflicts c
        semi join marts.fct_report_indicators f on f.candidate_id = c.candidate_id
        where c.loss_reason = 'rank_within_report'
    """).fetchall()
    assert not published_losers


def test_rate_checks_recompute_from_counts(con):
    rows = con.execute("""
        select indicator_code, numerator_value, denominator_value, recomputed_rate, stated_rate, rate_mismatch
        from marts.fct_rate_checks
    """).fetchall()
    assert rows, "no recomputable rate in the samples"
    for code, num, den, recomputed, stated, mismatch in rows:
        assert recomputed == pytest.approx(round(100 * num / den, 2)), code
        assert mismatch == (stated is not None and abs(stated - recomputed) > 0.1), code


def test_every_mart_and_column_is_documented(con):
    undocumented_tables = con.execute("""
        select table_name from duckdb_tables()
        where schema_name = 'marts' and coalesce(comment, '') = ''
    """).fetchall()
    assert not undocumented_tables
    undocumented_columns = con.execute("""
        select table_name, column_name from duckdb_columns()
        where schema_name = 'marts' and coalesce(comment, '') = ''
    """).fetchall()
    assert not undocumented_columns
    tables = {r[0] for r in con.execute(
        "select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()}
    assert set(DOMAIN_TABLES) | {"fct_indicator_conflicts", "fct_rate_checks"} <= tables


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_bad_figure_fails_a_strict_build_and_keeps_the_old_warehouse(sample_warehouse, tmp_path):
    """12 disputes resolved of 10 accepted: `fazhi build --strict` must fail naming the report, and
    the serving file published before must still be there, unchanged. (Without --strict the build
    publishes and names it: tests/test_reliability.py.)"""
    serving = tmp_path / "fazhi.duckdb"
    work = tmp_path / "fazhi.work.duckdb"
    shutil.copyfile(sample_warehouse, serving)
    shutil.copyfile(sample_warehouse.with_name("fazhi.work.duckdb"), work)
    before = _sha256(serving)

    # a report of its own (a real place, a year no sample covers), so no sample figure competes
    bad = duckdb.connect(str(work))
    try:
        bad.execute("""
            insert into raw.reports
            select * replace (
                'badfixture000000' as report_id,
                repeat('0', 64) as sha256,
                'bad_fixture.txt' as source_file,
                1999 as report_year,
                'government' as issuer_kind,
                -- landed now, as ingest would: the incremental ranking picks up what landed since
                now()::timestamp as landed_at
            )
            from raw.reports
            where jurisdiction_id is not null
            order by report_id
            limit 1
        """)
        bad.execute("""
            insert into raw.indicator_candidates (
                report_id, candidate_seq, indicator_code, value, unit, qualifier, scope, scope_reason,
                evidence, char_start, char_end, value_start, value_end, confidence, cue, section
            ) values
                ('badfixture000000', 1, 'mediation_cases_accepted', 10, '件', 'exact', 'total', '全',
                 '受理10件', 0, 6, 2, 5, 0.99, '受理', 'mediation'),
                ('badfixture000000', 2, 'mediation_cases_resolved', 12, '件', 'exact', 'total', '全',
                 '调解成功12件', 10, 18, 14, 17, 0.99, '调解成功', 'mediation')
        """)
        bad.execute("checkpoint")
    finally:
        bad.close()

    proc = run_fazhi("build", "--db", str(serving), "--strict", check=False)
    assert proc.returncode != 0, proc.stdout
    assert "is_false_fct_data_quality_is_excluded" in proc.stderr, proc.stderr
    assert "bad_fixture.txt: mediation_cases_resolved 12.0 > mediation_cases_accepted 10.0" in proc.stderr
    assert serving.exists()
    assert _sha256(serving) == before
    check = duckdb.connect(str(serving), read_only=True)
    try:
        assert check.execute(
            "select count(*) from marts.dim_report where report_id = 'badfixture000000'").fetchone()[0] == 0
        assert check.execute("select count(*) from marts.fct_mediation").fetchone()[0] > 0
    finally:
        check.close()
