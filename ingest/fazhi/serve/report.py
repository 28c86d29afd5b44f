"""`fazhi report`: one static HTML file that shows the warehouse.

- per indicator, a bar chart of its value across jurisdictions and years (inline SVG, laid out here);
- a table of all facts, each with its evidence sentence (the number highlighted), source file,
  offsets and conflicting candidates;
- a section ("page") per report with its metadata and its facts; in print, one page each.

Self-contained: no script, no web font, no external URL; it opens from disk or an e-mail
attachment with no network. The page is templates/report.html.j2 (Jinja2, autoescaped: every
text from the reports is HTML-escaped); this module collects the data and lays out the charts.
"""
from __future__ import annotations

import math
import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import jinja2

from fazhi.paths import missing_warehouse
from fazhi.serve.evidence import QUALIFIER_MARK, dicts, enrich, fact_sql, format_value, table_exists

MAX_BARS = 40
YEAR_COLOURS = ["#1f6feb", "#d97706", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#4d7c0f", "#be185d"]


def _where(year_column: str, year: int | None, jurisdiction: str | None) -> tuple[str, list[Any]]:
    """The filter of the report's selection: " where ..." (or "") and its parameters."""
    where, params = [], []
    if year is not None:
        where.append(f"{year_column} = ?")
        params.append(year)
    if jurisdiction:
        where.append("contains(coalesce(j.name, r.jurisdiction_name, ''), ?)")
        params.append(jurisdiction)
    return (" where " + " and ".join(where)) if where else "", params


def collect(
    con: duckdb.DuckDBPyConnection, *, year: int | None = None, jurisdiction: str | None = None,
) -> dict[str, Any]:
    """Everything the report shows, as plain data (so `render` can be tested on its own)."""
    clause, params = _where("f.report_year", year, jurisdiction)
    facts = dicts(con.execute(
        fact_sql(con) + clause + " order by f.indicator_code, jurisdiction, f.report_year, f.report_id", params))
    source = enrich(con, facts)

    clause, params = _where("r.report_year", year, jurisdiction)
    reports = dicts(con.execute(
        "select r.report_id, r.source_file, r.title, r.issuer, r.issuer_kind, r.jurisdiction_id, "
        "coalesce(j.name, r.jurisdiction_name) as jurisdiction, j.level, j.adcode, j.province, j.city, "
        "r.jurisdiction_status, r.report_year, r.published_on, r.doc_number, r.script, r.is_garbled, "
        "r.encoding, r.char_count, r.sha256 "
        "from marts.dim_report r left join marts.dim_jurisdiction j using (jurisdiction_id)"
        + clause + " order by r.report_year, jurisdiction, r.report_id", params))
    codes = sorted({f["indicator_code"] for f in facts})
    indicators = dicts(con.execute(
        "select indicator_code, domain, name_zh, name_en, unit, kind from marts.dim_indicator "
        "where indicator_code in (select unnest(?::varchar[])) order by domain, indicator_code", [codes]))
    known = {i["indicator_code"] for i in indicators}
    indicators += [{"indicator_code": c, "domain": "", "name_zh": c, "name_en": "", "unit": "", "kind": ""}
                   for c in codes if c not in known]
    return {
        "facts": facts,
        "reports": reports,
        "indicators": indicators,
        "conflict_source": source,
        "filters": {"year": year, "jurisdiction": jurisdiction},
    }


# ---------------------------------------------------------------------------------------------
# charts


def nice_scale(value: float, ticks: int = 4) -> tuple[float, float]:
    """(axis maximum, tick step) with steps of 1, 2 or 5 × 10^k; whole steps for counts."""
    if not value or value <= 0 or not math.isfinite(value):
        return 1.0, 0.25
    raw = value / ticks
    exp = math.floor(math.log10(raw))
    step = next(m * 10 ** exp for m in (1, 2, 2.5, 5, 10) if m * 10 ** exp >= raw)
    if value >= ticks and step < 1:
        step = 1.0
    return round(math.ceil(value / step - 1e-9) * step, 10), step


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass(frozen=True, slots=True)
class Bar:
    report_id: str
    label: str  # jurisdiction and year (and issuer when two reports share them)
    short: str
    shown: str  # the value as people read it: ≥1,661 件
    tip: str
    value: str  # repr of the value, for data-value
    colour: str
    conflict: bool
    bar_y: int
    text_y: str
    width: str
    value_x: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A horizontal bar chart of one indicator across jurisdiction-years, laid out for the SVG."""

    code: str
    name: str
    width: int
    height: int
    top: int
    left: int
    axis_y: int
    bar_height: int
    ticks: list[dict[str, str]]
    bars: list[Bar]
    note: str


def bar_chart(indicator: dict[str, Any], facts: list[dict[str, Any]], year_colour: dict[int, str]) -> Chart:
    """The layout of one indicator's chart: a bar per jurisdiction-year (the largest MAX_BARS)."""
    rows = [f for f in facts if f["value"] is not None]
    total = len(rows)
    note = ""
    if total > MAX_BARS:
        rows = sorted(rows, key=lambda f: -f["value"])[:MAX_BARS]
        note = f"the {MAX_BARS} largest of {total} values; the facts table lists all"
    rows.sort(key=lambda f: (f["jurisdiction"] or "", f["report_year"] or 0, f["report_id"]))
    labels = [f"{f['jurisdiction'] or '?'} {f['report_year'] or ''}".strip() for f in rows]
    shorts = [f"{_short(f['jurisdiction'] or '?', 8)} {f['report_year'] or ''}".strip() for f in rows]
    seen: dict[str, int] = defaultdict(int)
    for lab in labels:
        seen[lab] += 1
    extra = [f" · {_short(f['issuer'] or f['report_id'], 6)}" if seen[lab] > 1 else "" for lab, f in zip(labels, rows)]
    width, left, right, row_h, top = 540, 160, 110, 24, 8
    plot = width - left - right
    vmax, step = nice_scale(max((abs(f["value"]) for f in rows), default=1.0))
    axis_y = top + row_h * max(len(rows), 1) + 4
    ticks = [{"x": f"{left + plot * k * step / vmax:.1f}", "label": format_value(round(k * step, 10))}
             for k in range(round(vmax / step) + 1)]
    bars = []
    for i, (f, label, short, more) in enumerate(zip(rows, labels, shorts, extra)):
        y = top + i * row_h
        w = max(plot * abs(f["value"]) / vmax, 1.5)
        shown = shown_value(f)
        bars.append(Bar(
            report_id=f["report_id"], label=label + more, short=short + more, shown=shown,
            tip=f"{label + more}: {shown} ({f['qualifier']}) — {f['evidence']}", value=repr(f["value"]),
            colour=year_colour.get(f["report_year"], "#64748b"), conflict=bool(f["conflicts"] or f.get("has_conflict")),
            bar_y=y + 4, text_y=f"{y + row_h / 2 + 4:.1f}", width=f"{w:.1f}", value_x=f"{left + w + 6:.1f}",
        ))
    code = indicator["indicator_code"]
    return Chart(code=code, name=indicator.get("name_zh") or code, width=width,
                 height=top + row_h * max(len(rows), 1) + 30, top=top, left=left, axis_y=axis_y,
                 bar_height=row_h - 8, ticks=ticks, bars=bars, note=note)


# ---------------------------------------------------------------------------------------------
# facts


def shown_value(f: dict[str, Any]) -> str:
    return QUALIFIER_MARK.get(f.get("qualifier") or "", "") + format_value(f.get("value"), f.get("unit"))


def evidence_parts(f: dict[str, Any]) -> dict[str, Any] | None:
    """The sentence cut around the evidence and the number in it; None when the offsets do not fit
    (the template then shows the sentence as it is)."""
    s = f.get("sentence") or f.get("evidence") or ""
    e0, e1 = f.get("evidence_in_sentence") or (0, len(s))
    v0, v1 = f.get("highlight") or (e0, e1)
    if not (0 <= e0 <= v0 <= v1 <= e1 <= len(s)):
        e0, e1 = min(e0, v0), max(e1, v1)
        if not (0 <= e0 <= v0 <= v1 <= e1 <= len(s)):
            return None
    left_clip, right_clip = f.get("clipped") or (False, False)
    return {"before": s[:e0], "lead": s[e0:v0], "number": s[v0:v1], "trail": s[v1:e1], "after": s[e1:],
            "clipped_left": left_clip, "clipped_right": right_clip}


def _conflict_view(f: dict[str, Any], c: dict[str, Any]) -> dict[str, Any]:
    where = ""
    if c.get("report_id") and c.get("report_id") != f["report_id"] and c.get("source_file"):
        where += f" in {Path(c['source_file']).name}"
    if c.get("char_start") is not None:
        where += f" @{c['char_start']}–{c['char_end']}"
    if c.get("role") == "chosen":
        where += " (chosen for the jurisdiction-year)"
    return {"shown": shown_value(c), "where": where, "evidence": c.get("evidence")}


def _fact_view(f: dict[str, Any]) -> dict[str, Any]:
    was = None
    if f.get("provenance") == "corrected":
        was = "none found" if f.get("extracted_value") is None else shown_value(
            {"value": f["extracted_value"], "unit": f.get("unit"), "qualifier": None})
    return {**f, "shown": shown_value(f), "evidence_parts": evidence_parts(f), "extracted_shown": was,
            "file_name": Path(f.get("source_file") or "").name,
            "conflicts": [_conflict_view(f, c) for c in f.get("conflicts") or []]}


REPORT_FIELDS = [
    ("title", "标题 title"), ("issuer", "发布机构 issuer"), ("issuer_kind", "issuer kind"),
    ("jurisdiction", "地区 jurisdiction"), ("level", "level"), ("adcode", "adcode"),
    ("province", "省 province"), ("city", "市 city"), ("jurisdiction_status", "jurisdiction status"),
    ("report_year", "年度 report year"), ("published_on", "发布日期 published on"),
    ("doc_number", "文号 document number"), ("script", "script"), ("is_garbled", "garbled"),
    ("encoding", "encoding"), ("char_count", "characters"), ("source_file", "source file"),
    ("report_id", "report id"), ("sha256", "sha256"),
]


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
    )
    return env.get_template("report.html.j2")


def render(data: dict[str, Any], *, warehouse: str = "", generated_at: str | None = None) -> str:
    """The page for `collect()`'s data (templates/report.html.j2; every text is escaped)."""
    facts, reports, indicators = data["facts"], data["reports"], data["indicators"]
    years = sorted({f["report_year"] for f in facts if f["report_year"] is not None}
                   | {r["report_year"] for r in reports if r.get("report_year") is not None})
    year_colour = {y: YEAR_COLOURS[i % len(YEAR_COLOURS)] for i, y in enumerate(years)}
    by_indicator: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_report: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in facts:
        by_indicator[f["indicator_code"]].append(f)
        by_report[f["report_id"]].append(f)
    cards = [
        {"code": ind["indicator_code"], "name": ind.get("name_zh") or ind["indicator_code"],
         "name_en": ind.get("name_en") or "", "unit": ind.get("unit") or "",
         "count": len(by_indicator.get(ind["indicator_code"], [])),
         "chart": bar_chart(ind, by_indicator.get(ind["indicator_code"], []), year_colour)}
        for ind in indicators
    ]
    ordered = sorted(facts, key=lambda f: (f["jurisdiction"] or "", f["report_year"] or 0,
                                           f["indicator_code"], f["report_id"]))
    report_views = [
        {**r, "file_name": Path(r.get("source_file") or "").name,
         "fields": [(label, r.get(key)) for key, label in REPORT_FIELDS if r.get(key) not in (None, "")],
         "facts": [_fact_view(f) for f in sorted(by_report.get(r["report_id"], []),
                                                  key=lambda f: f["indicator_code"])]}
        for r in reports
    ]
    return _template().render(
        facts=facts, reports=report_views, cards=cards, ordered_facts=[_fact_view(f) for f in ordered],
        places=sorted({f["jurisdiction"] or "?" for f in facts} | {r.get("jurisdiction") or "?" for r in reports}),
        years=[str(y) for y in years], year_colour=year_colour,
        n_conflicts=sum(1 for f in facts if f.get("conflicts")),
        filters=" ".join(f"{k}={v}" for k, v in data.get("filters", {}).items() if v is not None),
        warehouse=warehouse, conflict_source=data.get("conflict_source"),
        generated_at=generated_at or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def write_report(
    serving: Path, out: Path, *, year: int | None = None, jurisdiction: str | None = None,
) -> dict[str, Any]:
    """Render the report of the serving warehouse into `out` (written atomically)."""
    if not serving.exists():
        raise FileNotFoundError(missing_warehouse(serving))
    con = duckdb.connect(str(serving), read_only=True)
    try:
        if not table_exists(con, "marts", "fct_report_indicators"):
            raise ValueError(f"{serving} has no marts.fct_report_indicators: run `fazhi build` first")
        data = collect(con, year=year, jurisdiction=jurisdiction)
    finally:
        con.close()
    if (year is not None or jurisdiction) and not data["reports"]:
        what = " ".join(str(x) for x in (jurisdiction, year) if x)
        raise ValueError(f"no reports match {what} in {serving}")
    page = render(data, warehouse=str(serving))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)
    return {
        "report": str(out), "bytes": len(page.encode("utf-8")), "reports": len(data["reports"]),
        "facts": len(data["facts"]), "charts": len(data["indicators"]),
    }
