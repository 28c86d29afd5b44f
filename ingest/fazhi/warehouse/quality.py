"""What `fazhi build` says about reports whose figures contradict each other: they no longer stop
the warehouse from publishing (marts.fct_data_quality lists them, the comparison marts leave the
figures out), so the summary must name them."""
from __future__ import annotations

from pathlib import Path

import duckdb

__all__ = ["quality_lines", "quality_summary"]


def quality_summary(serving: Path) -> list[dict]:
    """One entry per report with findings: its file, and each check as one line."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        if not con.execute("select count(*) from information_schema.tables "
                           "where table_schema = 'marts' and table_name = 'fct_data_quality'").fetchone()[0]:
            return []
        rows = con.execute(
            "select report_id, any_value(source_file), bool_or(is_excluded), "
            "list(distinct detail order by detail) from marts.fct_data_quality "
            "group by report_id order by 2, 1").fetchall()
    finally:
        con.close()
    return [{"report_id": rid, "source_file": file, "excluded": excluded, "findings": details}
            for rid, file, excluded, details in rows]


def quality_lines(reports: list[dict], limit: int = 20) -> list[str]:
    """Summary lines: how many reports, then one line per report (the first `limit`)."""
    if not reports:
        return []
    left_out = sum(1 for r in reports if r["excluded"])
    lines = [f"data quality: {len(reports)} report(s) state figures that do not add up; "
             f"{left_out} left out of the comparison marts (marts.fct_data_quality; --strict to refuse)"]
    for r in reports[:limit]:
        lines.append(f"  {r['source_file']}: {'; '.join(r['findings'])}")
    if len(reports) > limit:
        lines.append(f"  … and {len(reports) - limit} more")
    return lines
