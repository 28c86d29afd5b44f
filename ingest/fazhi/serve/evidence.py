"""The evidence layer shared by `fazhi explain` and `fazhi report`: which jurisdictions and
indicators a query names, the facts with their evidence sentence and their conflicts, and how a
value is written for people.

Matching rules
- JURISDICTION: `marts.dim_jurisdiction.name` (or `jurisdiction_id`) exactly; else names that
  contain it; else the name a report gave when the jurisdiction could not be resolved. Among
  several places of the same name, those with reports win.
- INDICATOR: an `indicator_code`, else codes containing it, else indicators whose `name_zh` or
  `name_en` contains it.

Conflicts come from `marts.fct_indicator_conflicts` when that table exists (every losing figure
of the jurisdiction, year and indicator with another value, and the winner when this report's
figure lost), else from `intermediate.int_candidates_ranked` (total-scope candidates of the same
report ranked below the chosen one, with another value).
"""
from __future__ import annotations

import difflib
from typing import Any

import duckdb

from fazhi.normalise.sentences import Sentence, sentence_around

__all__ = [
    "FACT_SQL", "QUALIFIER_MARK", "ExplainError", "attach_conflicts", "dicts", "enrich", "fact_sql", "format_value",
    "resolve_indicators", "resolve_jurisdictions", "table_exists",
]


class ExplainError(Exception):
    """A lookup that found nothing; the message is one line, for stderr."""


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()[0] > 0


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
        "order by ordinal_position", [schema, table]).fetchall()]


def dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _close_names(con: duckdb.DuckDBPyConnection, query: str, k: int = 5) -> list[str]:
    """Names that look like `query`: those with reports first, then the whole gazetteer."""
    with_reports = [r[0] for r in con.execute(
        "select distinct j.name from marts.dim_jurisdiction j join marts.dim_report r using (jurisdiction_id) "
        "where j.name is not null").fetchall()]
    every = [r[0] for r in con.execute(
        "select distinct name from marts.dim_jurisdiction where name is not null").fetchall()]
    names = difflib.get_close_matches(query, with_reports, n=k, cutoff=0.3)
    core = query.rstrip("省市区县旗镇乡")
    if core:
        names += [n for n in with_reports if core in n and n not in names]
    names += [n for n in difflib.get_close_matches(query, every, n=k, cutoff=0.5) if n not in names]
    return names[:k]


def resolve_jurisdictions(con: duckdb.DuckDBPyConnection, query: str) -> list[dict[str, Any]]:
    """The jurisdictions JURISDICTION names (see the module doc). Raises ExplainError."""
    q = query.strip()
    if not q:
        raise ExplainError("give a jurisdiction name, e.g. fazhi explain 洛江区")
    sql = ("select j.jurisdiction_id, j.name, j.level, j.adcode, j.province, j.city, "
           "coalesce(c.n, 0) as report_count from marts.dim_jurisdiction j "
           "left join (select jurisdiction_id, count(*) as n from marts.dim_report group by 1) c "
           "using (jurisdiction_id) "
           "where {} order by report_count desc, j.jurisdiction_id")
    found = dicts(con.execute(sql.format("j.name = ? or j.jurisdiction_id = ?"), [q, q]))
    if not found:
        found = dicts(con.execute(sql.format("contains(j.name, ?)"), [q]))
    with_reports = [j for j in found if j["report_count"]]
    if with_reports:
        return with_reports
    # a report whose jurisdiction was not resolved still names one
    named = dicts(con.execute(
        "select distinct null as jurisdiction_id, jurisdiction_name as name, null as level, null as adcode, "
        "null as province, null as city, count(*) over (partition by jurisdiction_name) as report_count "
        "from marts.dim_report where jurisdiction_id is null and jurisdiction_name is not null "
        "and (jurisdiction_name = ? or contains(jurisdiction_name, ?))", [q, q]))
    if named:
        return named
    if found:
        names = "、".join(sorted({j["name"] for j in found})[:5])
        raise ExplainError(f"{q}: no report in the warehouse covers {names}")
    close = _close_names(con, q)
    hint = f"; close names: {', '.join(close)}" if close else ""
    raise ExplainError(f"unknown jurisdiction {q!r}{hint}")


def resolve_indicators(con: duckdb.DuckDBPyConnection, query: str) -> list[str]:
    """The indicator codes INDICATOR names (see the module doc). Raises ExplainError."""
    q = query.strip()
    rows = con.execute("select indicator_code, name_zh, name_en from marts.dim_indicator").fetchall()
    codes = [r[0] for r in rows]
    if q in codes:
        return [q]
    ql = q.lower()
    hits = [c for c in codes if ql in c.lower()]
    if not hits:
        hits = [c for c, zh, en in rows if (zh and q in zh) or (en and ql in en.lower())]
    if hits:
        return hits
    labels = {c: c for c in codes} | {zh: c for c, zh, _ in rows if zh}
    close = difflib.get_close_matches(q, list(labels), n=5, cutoff=0.4)
    hint = f"; close: {', '.join(close)}" if close else ""
    raise ExplainError(f"unknown indicator {q!r}{hint} (see marts.dim_indicator)")


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is not b
    return abs(a - b) > max(1e-6 * abs(b), 1e-9)


def _candidate_details(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """candidate_id -> offsets, evidence and source file, from the first candidate table there is."""
    for schema, table in (("intermediate", "int_candidates_ranked"), ("staging", "stg_raw__indicator_candidates")):
        if not ids or not table_exists(con, schema, table):
            continue
        cols = set(_columns(con, schema, table))
        if not {"candidate_id", "report_id", "char_start"} <= cols:
            continue
        pick = [c for c in ("value", "unit", "qualifier", "evidence", "char_start", "char_end", "value_start",
                            "value_end", "confidence", "candidate_rank") if c in cols]
        rows = dicts(con.execute(
            f"select c.candidate_id, c.report_id, r.source_file, {', '.join('c.' + c for c in pick)} "
            f"from {schema}.{table} c left join marts.dim_report r using (report_id) "
            "where c.candidate_id in (select unnest(?::varchar[]))", [ids]))
        return {r["candidate_id"]: r for r in rows}
    return {}


def attach_conflicts(con: duckdb.DuckDBPyConnection, facts: list[dict[str, Any]]) -> str:
    """Give every fact its `conflicts`: the candidates with another value that lost.

    With `marts.fct_indicator_conflicts` (losers per jurisdiction, year and indicator): every
    loser of the fact's jurisdiction-year with a value other than the fact's, and, when the
    fact's own figure lost to another report's, that winner. Without it: the total-scope
    candidates of the same report ranked below the fact (`intermediate.int_candidates_ranked`).
    Returns the table the conflicts came from ("" when there is none)."""
    for f in facts:
        f["conflicts"] = []
    if not facts:
        return ""
    report_ids = sorted({f["report_id"] for f in facts})
    cols = set(_columns(con, "marts", "fct_indicator_conflicts")) if table_exists(
        con, "marts", "fct_indicator_conflicts") else set()
    if {"jurisdiction_id", "report_year", "indicator_code", "value"} <= cols:
        keys = sorted({f["jurisdiction_id"] for f in facts if f["jurisdiction_id"]})
        wanted = [c for c in ("candidate_id", "report_id", "jurisdiction_id", "report_year", "indicator_code",
                              "value", "unit", "qualifier", "evidence", "confidence", "candidate_rank",
                              "loss_reason", "chosen_candidate_id", "chosen_report_id", "chosen_value",
                              "chosen_qualifier", "correction_reason") if c in cols]
        rows = dicts(con.execute(
            f"select {', '.join(wanted)} from marts.fct_indicator_conflicts "
            "where jurisdiction_id in (select unnest(?::varchar[]))", [keys]))
        ids = [r["candidate_id"] for r in rows if r.get("candidate_id")]
        ids += [r["chosen_candidate_id"] for r in rows if r.get("chosen_candidate_id")]
        details = _candidate_details(con, sorted(set(ids)))
        by_key: dict[tuple, list[dict[str, Any]]] = {}
        for r in rows:
            by_key.setdefault((r["jurisdiction_id"], r["report_year"], r["indicator_code"]), []).append(r)
        for f in facts:
            own = f.get("candidate_id")
            out = []
            for r in by_key.get((f["jurisdiction_id"], f["report_year"], f["indicator_code"]), []):
                if own is not None and r.get("candidate_id") == own:
                    # this fact's figure lost for the jurisdiction-year: show what won
                    if "chosen_value" in r and _differs(r["chosen_value"], f["value"]):
                        d = details.get(r.get("chosen_candidate_id"), {})
                        out.append(d | {"value": r["chosen_value"], "qualifier": r.get("chosen_qualifier"),
                                        "report_id": r.get("chosen_report_id"), "role": "chosen",
                                        "reason": f"chosen for the jurisdiction-year over this figure "
                                                  f"({r.get('loss_reason') or 'conflict rule'})"})
                    continue
                if not _differs(r["value"], f["value"]):
                    continue
                d = details.get(r.get("candidate_id"), {})
                same = r.get("report_id") == f["report_id"]
                out.append(d | {k: r[k] for k in ("value", "unit", "qualifier", "evidence", "confidence",
                                                  "candidate_rank", "report_id") if k in r and r[k] is not None}
                           | {"role": r["loss_reason"] if r.get("loss_reason") in ("corrected", "rejected") else "lost",
                              "reason": ("same report" if same else "another report")
                              + (f", {r['loss_reason']}" if r.get("loss_reason") else "")
                              + (f": {r['correction_reason']}" if r.get("correction_reason") else "")})
            out.sort(key=lambda c: (c.get("report_id") != f["report_id"], c.get("char_start") or 0))
            f["conflicts"] = out
        return "marts.fct_indicator_conflicts"
    if not table_exists(con, "intermediate", "int_candidates_ranked"):
        return ""
    rows = dicts(con.execute(
        "select c.report_id, c.indicator_code, c.value, c.unit, c.qualifier, c.evidence, c.char_start, "
        "c.char_end, c.value_start, c.value_end, c.confidence, c.candidate_rank "
        "from intermediate.int_candidates_ranked c "
        "where c.candidate_rank > 1 and c.report_id in (select unnest(?::varchar[]))", [report_ids]))
    by_report: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        by_report.setdefault((r.pop("report_id"), r.pop("indicator_code")), []).append(r)
    for f in facts:
        f["conflicts"] = sorted(
            ({**c, "report_id": f["report_id"], "source_file": f["source_file"], "role": "lost",
              "reason": f"same report, rank {c['candidate_rank']}"}
             for c in by_report.get((f["report_id"], f["indicator_code"]), []) if _differs(c["value"], f["value"])),
            key=lambda c: (c["candidate_rank"], c["char_start"] or 0))
    return "intermediate.int_candidates_ranked"


FACT_SQL = """
select
    coalesce(j.name, r.jurisdiction_name) as jurisdiction, f.jurisdiction_id, j.level, j.province, j.city,
    f.report_year, f.report_id, f.source_file, r.title, r.issuer, r.issuer_kind,
    f.indicator_code, i.name_zh as indicator_name, i.name_en as indicator_name_en, i.domain,
    f.value, f.unit, f.qualifier, f.confidence, f.evidence, f.char_start, f.char_end,
    f.value_start, f.value_end, f.has_conflict, f.candidate_id, f.page, r.text_source,
    f.provenance, f.correction_id, f.correction_reason, f.extracted_value
from marts.fct_report_indicators f
join marts.dim_report r using (report_id)
left join marts.dim_jurisdiction j on j.jurisdiction_id = f.jurisdiction_id
left join marts.dim_indicator i on i.indicator_code = f.indicator_code
"""


_CORRECTION_COLUMNS = ("provenance", "correction_id", "correction_reason", "extracted_value")


def fact_sql(con: duckdb.DuckDBPyConnection) -> str:
    """FACT_SQL, for a warehouse built before corrections existed too (their columns as nulls)."""
    have = set(_columns(con, "marts", "fct_report_indicators"))
    sql = FACT_SQL
    for column in _CORRECTION_COLUMNS:
        if column not in have:
            sql = sql.replace(f"f.{column}", ("'extracted'" if column == "provenance" else "null") + f" as {column}")
    return sql


def enrich(con: duckdb.DuckDBPyConnection, facts: list[dict[str, Any]]) -> str:
    """Add the evidence sentence (with the number's offsets in it) and the conflicts to each fact;
    returns where the conflicts came from."""
    ids = sorted({f["report_id"] for f in facts})
    texts: dict[str, str] = {}
    if ids and table_exists(con, "raw", "reports"):
        texts = dict(con.execute(
            "select report_id, original_text from raw.reports where report_id in (select unnest(?::varchar[]))",
            [ids]).fetchall())
    for f in facts:
        text = texts.get(f["report_id"])
        if text is not None and f["char_start"] is not None:
            s = sentence_around(text, f["char_start"], f["char_end"], f.get("value_start"), f.get("value_end"))
        else:  # no original text: the evidence itself is the sentence
            ev = f["evidence"] or ""
            vs = (f.get("value_start") or f["char_start"] or 0) - (f["char_start"] or 0)
            ve = (f.get("value_end") or f["char_end"] or 0) - (f["char_start"] or 0)
            if not (0 <= vs <= ve <= len(ev)):
                vs, ve = 0, len(ev)
            s = Sentence(ev, f["char_start"] or 0, f["char_end"] or 0, vs, ve, 0, len(ev))
        f["sentence"] = s.text
        f["sentence_start"], f["sentence_end"] = s.start, s.end
        f["sentence_marked"] = s.marked()
        f["highlight"] = [s.value_start, s.value_end]
        f["evidence_in_sentence"] = [s.evidence_start, s.evidence_end]
        f["clipped"] = [s.clipped_left, s.clipped_right]
        f["number"] = s.text[s.value_start: s.value_end]
    return attach_conflicts(con, facts)


def format_value(value: float | None, unit: str | None = None) -> str:
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        text = f"{int(value):,}"
    else:
        text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text + (unit or "") if unit in ("%", "％") else f"{text} {unit}" if unit else text


QUALIFIER_MARK = {"at_least": "≥", "approx": "≈", "at_most": "≤", "exact": ""}
