"""`fazhi report`: one static HTML file that shows the warehouse.

- per indicator, a bar chart of its value across jurisdictions and years (inline SVG, drawn here);
- a table of all facts, each with its evidence sentence (the number highlighted), source file,
  offsets and conflicting candidates;
- a section ("page") per report with its metadata and its facts; in print, one page each.

Self-contained: no script, no web font, no external URL; it opens from disk or an e-mail
attachment with no network. Every text from the reports is HTML-escaped.
"""
from __future__ import annotations

import html
import math
import os
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from fazhi.serve.evidence import FACT_SQL, QUALIFIER_MARK, dicts, enrich, format_value, table_exists

MAX_BARS = 40
YEAR_COLOURS = ["#1f6feb", "#d97706", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#4d7c0f", "#be185d"]


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


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
        FACT_SQL + clause + " order by f.indicator_code, jurisdiction, f.report_year, f.report_id", params))
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


def bar_chart(indicator: dict[str, Any], facts: list[dict[str, Any]], year_colour: dict[int, str]) -> str:
    """A horizontal bar chart (inline SVG) of one indicator across jurisdiction-years."""
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
    labels = [lab + x for lab, x in zip(labels, extra)]
    shorts = [sh + x for sh, x in zip(shorts, extra)]
    width, left, right, row_h, top = 540, 160, 110, 24, 8
    plot = width - left - right
    height = top + row_h * max(len(rows), 1) + 30
    vmax, step = nice_scale(max((abs(f["value"]) for f in rows), default=1.0))
    code = indicator["indicator_code"]
    name = indicator.get("name_zh") or code
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{esc(name)}: {len(rows)} values" data-indicator="{esc(code)}">',
        f"<title>{esc(name)} ({esc(code)})</title>",
    ]
    # grid and axis
    axis_y = top + row_h * max(len(rows), 1) + 4
    for k in range(round(vmax / step) + 1):
        x = left + plot * k * step / vmax
        parts.append(f'<line class="grid" x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{axis_y}"/>')
        parts.append(f'<text class="tick" x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle">'
                     f"{esc(format_value(round(k * step, 10)))}</text>")
    for i, (f, label, short) in enumerate(zip(rows, labels, shorts)):
        y = top + i * row_h
        w = max(plot * abs(f["value"]) / vmax, 1.5)
        colour = year_colour.get(f["report_year"], "#64748b")
        shown = QUALIFIER_MARK.get(f["qualifier"] or "", "") + format_value(f["value"], f["unit"])
        tip = f"{label}: {shown} ({f['qualifier']}) — {f['evidence']}"
        parts.append(
            f'<a href="#report-{esc(f["report_id"])}">'
            f'<text class="label" x="{left - 8}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end">{esc(short)}'
            f"<title>{esc(label)}</title></text></a>"
        )
        parts.append(
            f'<rect class="bar{" conflict" if f["conflicts"] or f.get("has_conflict") else ""}" x="{left}" y="{y + 4}" '
            f'width="{w:.1f}" height="{row_h - 8}" fill="{colour}" data-value="{f["value"]!r}">'
            f"<title>{esc(tip)}</title></rect>"
        )
        parts.append(f'<text class="value" x="{left + w + 6:.1f}" y="{y + row_h / 2 + 4:.1f}">{esc(shown)}</text>')
    if not rows:
        parts.append(f'<text class="label" x="{left}" y="{top + 16}">no values</text>')
    parts.append("</svg>")
    svg = "".join(parts)
    caption = f'<p class="note">{esc(note)}</p>' if note else ""
    return svg + caption


# ---------------------------------------------------------------------------------------------
# tables


def evidence_html(f: dict[str, Any]) -> str:
    """The sentence, the evidence span underlined, the number marked."""
    s = f.get("sentence") or f.get("evidence") or ""
    e0, e1 = f.get("evidence_in_sentence") or (0, len(s))
    v0, v1 = f.get("highlight") or (e0, e1)
    if not (0 <= e0 <= v0 <= v1 <= e1 <= len(s)):
        e0 = min(e0, v0)
        e1 = max(e1, v1)
        if not (0 <= e0 <= v0 <= v1 <= e1 <= len(s)):
            return esc(s)
    left_clip, right_clip = f.get("clipped") or (False, False)
    return ("…" if left_clip else "") + (
        esc(s[:e0]) + '<span class="ev">' + esc(s[e0:v0]) + "<mark>" + esc(s[v0:v1]) + "</mark>"
        + esc(s[v1:e1]) + "</span>" + esc(s[e1:])
    ) + ("…" if right_clip else "")


def conflicts_html(f: dict[str, Any]) -> str:
    items = []
    for c in f.get("conflicts") or []:
        shown = QUALIFIER_MARK.get(c.get("qualifier") or "", "") + format_value(c.get("value"), c.get("unit"))
        where = ""
        if c.get("report_id") and c.get("report_id") != f["report_id"] and c.get("source_file"):
            where += f" in {Path(c['source_file']).name}"
        if c.get("char_start") is not None:
            where += f" @{c['char_start']}–{c['char_end']}"
        if c.get("role") == "chosen":
            where += " (chosen for the jurisdiction-year)"
        ev = f"<q>{esc(c['evidence'])}</q>" if c.get("evidence") else ""
        items.append(f"<li><strong>{esc(shown)}</strong>{esc(where)} {ev}</li>")
    if items:
        return '<ul class="conflicts">' + "".join(items) + "</ul>"
    return "flagged" if f.get("has_conflict") else ""


def facts_table(facts: list[dict[str, Any]], *, with_place: bool = True) -> str:
    head = (["地区 jurisdiction", "年度 year"] if with_place else []) + [
        "指标 indicator", "数值 value", "限定 qualifier", "证据句 evidence (number marked)", "来源 source",
        "冲突 conflicts"]
    out = ['<table class="facts"><thead><tr>', *[f"<th>{esc(h)}</th>" for h in head], "</tr></thead><tbody>"]
    for f in facts:
        shown = QUALIFIER_MARK.get(f["qualifier"] or "", "") + format_value(f["value"], f["unit"])
        cells = []
        if with_place:
            cells += [esc(f["jurisdiction"] or "?"), esc(f["report_year"])]
        cells += [
            f'{esc(f["indicator_name"] or f["indicator_code"])}<br><code>{esc(f["indicator_code"])}</code>',
            f'<span class="num">{esc(shown)}</span>',
            esc(f["qualifier"]),
            f'<span class="sentence">{evidence_html(f)}</span>',
            f'<a href="#report-{esc(f["report_id"])}">{esc(Path(f["source_file"] or "").name)}</a>'
            f'<br><small>chars {esc(f["char_start"])}–{esc(f["char_end"])}, number {esc(f["value_start"])}–'
            f'{esc(f["value_end"])}, confidence {esc(format(f["confidence"] or 0, ".2f"))}</small>',
            conflicts_html(f),
        ]
        cls = ' class="has-conflict"' if f.get("conflicts") or f.get("has_conflict") else ""
        out.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


REPORT_FIELDS = [
    ("title", "标题 title"), ("issuer", "发布机构 issuer"), ("issuer_kind", "issuer kind"),
    ("jurisdiction", "地区 jurisdiction"), ("level", "level"), ("adcode", "adcode"),
    ("province", "省 province"), ("city", "市 city"), ("jurisdiction_status", "jurisdiction status"),
    ("report_year", "年度 report year"), ("published_on", "发布日期 published on"),
    ("doc_number", "文号 document number"), ("script", "script"), ("is_garbled", "garbled"),
    ("encoding", "encoding"), ("char_count", "characters"), ("source_file", "source file"),
    ("report_id", "report id"), ("sha256", "sha256"),
]


CSS = """
:root { --ink:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#f6f8fa; --accent:#1f6feb; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 14px/1.55 system-ui, -apple-system, "Segoe UI",
  "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
header { padding: 20px 32px 12px; background: var(--bg); border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 2px 0; color: var(--muted); }
nav { margin-top: 8px; } nav a { margin-right: 16px; }
main { padding: 8px 32px 40px; }
h2 { margin-top: 32px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
figure.card { margin: 0; padding: 12px 14px; border: 1px solid var(--line); border-radius: 8px; background: #fff;
  max-width: 100%; }
figure.card h3 { margin: 0 0 2px; font-size: 15px; }
figure.card figcaption { color: var(--muted); font-size: 12px; margin-bottom: 6px; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { font-size: 12px; fill: var(--ink); }
svg.chart text.tick { fill: var(--muted); font-size: 11px; }
svg.chart line.grid { stroke: #e5e9ee; }
svg.chart rect.bar.conflict { stroke: #b91c1c; stroke-width: 1.5; stroke-dasharray: 3 2; }
.legend span { display: inline-block; margin-right: 14px; font-size: 12px; color: var(--muted); }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px;
  vertical-align: -1px; }
table.facts { border-collapse: collapse; width: 100%; font-size: 13px; }
table.facts th, table.facts td { border-bottom: 1px solid var(--line); padding: 6px 8px; vertical-align: top;
  text-align: left; }
table.facts th { background: var(--bg); position: sticky; top: 0; }
table.facts td .num { font-variant-numeric: tabular-nums; white-space: nowrap; font-weight: 600; }
table.facts tr.has-conflict td:first-child { box-shadow: inset 3px 0 0 #dc2626; }
.sentence .ev { text-decoration: underline; text-decoration-color: #94a3b8; }
mark { background: #fde047; padding: 0 1px; border-radius: 2px; }
ul.conflicts { margin: 0; padding-left: 16px; } ul.conflicts q { color: var(--muted); }
section.report { margin: 28px 0; padding: 12px 18px; border: 1px solid var(--line); border-radius: 8px; }
section.report:target { outline: 3px solid var(--accent); }
section.report h3 { margin-top: 4px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: 13px; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; word-break: break-all; }
ol.toc { columns: 2; font-size: 13px; }
.note { color: var(--muted); font-size: 12px; }
code { font-size: 12px; color: var(--muted); }
@media print { header nav, .top { display: none; } section.report { break-before: page; border: none; }
  table.facts th { position: static; } }
"""


def render(data: dict[str, Any], *, warehouse: str = "", generated_at: str | None = None) -> str:
    facts, reports, indicators = data["facts"], data["reports"], data["indicators"]
    generated_at = generated_at or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    years = sorted({f["report_year"] for f in facts if f["report_year"] is not None}
                   | {r["report_year"] for r in reports if r["report_year"] is not None})
    year_colour = {y: YEAR_COLOURS[i % len(YEAR_COLOURS)] for i, y in enumerate(years)}
    by_indicator: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_report: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in facts:
        by_indicator[f["indicator_code"]].append(f)
        by_report[f["report_id"]].append(f)
    places = sorted({f["jurisdiction"] or "?" for f in facts} | {r["jurisdiction"] or "?" for r in reports})
    filters = " ".join(f"{k}={v}" for k, v in data.get("filters", {}).items() if v is not None)
    n_conflicts = sum(1 for f in facts if f.get("conflicts"))

    out = [
        "<!doctype html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        "<title>fazhi · 法治政府建设年度报告 report</title>",
        f"<style>{CSS}</style></head><body>",
        '<header id="top"><h1>法治政府建设年度报告 · fazhi report</h1>',
        f"<p>{len(reports)} reports · {len(facts)} facts · {len(places)} jurisdictions · "
        f"years {esc(', '.join(map(str, years)) or '—')} · {n_conflicts} facts with conflicting candidates"
        + (f" · filter: {esc(filters)}" if filters else "") + "</p>",
        f"<p>warehouse <code>{esc(warehouse)}</code> · generated {esc(generated_at)}</p>",
        '<nav><a href="#indicators">指标 Indicators</a><a href="#facts">全部数据 All facts</a>'
        '<a href="#reports">报告 Reports</a></nav></header><main>',
        '<section id="indicators"><h2>指标 Indicators across jurisdictions and years</h2>',
        '<p class="legend">' + "".join(
            f'<span><i style="background:{c}"></i>{esc(y)}</span>' for y, c in year_colour.items())
        + '<span>≥ at least · ≈ approx · ≤ at most · dashed outline: conflicting candidates</span></p>',
        '<div class="grid">',
    ]
    for ind in indicators:
        code = ind["indicator_code"]
        rows = by_indicator.get(code, [])
        out.append(
            f'<figure class="card" id="ind-{esc(code)}"><h3>{esc(ind.get("name_zh") or code)}</h3>'
            f'<figcaption>{esc(ind.get("name_en") or "")} · <code>{esc(code)}</code> · '
            f'unit {esc(ind.get("unit") or "")} · {len(rows)} value{"s" if len(rows) != 1 else ""}</figcaption>'
            f"{bar_chart(ind, rows, year_colour)}</figure>"
        )
    if not indicators:
        out.append('<p class="note">no facts in this selection</p>')
    out += ["</div></section>", '<section id="facts"><h2>全部数据 All facts, with evidence</h2>']
    ordered = sorted(facts, key=lambda f: (f["jurisdiction"] or "", f["report_year"] or 0,
                                            f["indicator_code"], f["report_id"]))
    out.append(facts_table(ordered))
    out.append("</section>")
    out.append('<section id="reports"><h2>报告 Reports</h2><ol class="toc">')
    for r in reports:
        out.append(f'<li><a href="#report-{esc(r["report_id"])}">{esc(r["jurisdiction"] or "?")} '
                   f'{esc(r["report_year"] or "")} · {esc(r["title"] or Path(r["source_file"] or "").name)}</a> '
                   f'<small>({len(by_report.get(r["report_id"], []))} facts)</small></li>')
    out.append("</ol>")
    for r in reports:
        rf = sorted(by_report.get(r["report_id"], []), key=lambda f: f["indicator_code"])
        meta = "".join(f"<dt>{esc(label)}</dt><dd>{esc(r.get(key))}</dd>"
                       for key, label in REPORT_FIELDS if r.get(key) not in (None, ""))
        out.append(
            f'<section class="report" id="report-{esc(r["report_id"])}">'
            f'<h3>{esc(r["title"] or Path(r["source_file"] or "").name)}</h3>'
            f'<dl class="meta">{meta}</dl><h4>{len(rf)} facts</h4>'
            + (facts_table(rf, with_place=False) if rf else '<p class="note">no facts extracted</p>')
            + '<p class="top"><a href="#top">↑ top</a></p></section>'
        )
    out.append("</section></main>")
    src = data.get("conflict_source")
    out.append(f'<footer><p class="note" style="padding:0 32px 24px">fazhi · conflicts from '
               f'{esc(src or "—")} · every evidence is the exact text of the report at the offsets shown</p></footer>')
    out.append("</body></html>")
    return "\n".join(out)


def write_report(
    serving: Path, out: Path, *, year: int | None = None, jurisdiction: str | None = None,
) -> dict[str, Any]:
    """Render the report of the serving warehouse into `out` (written atomically)."""
    if not serving.exists():
        raise FileNotFoundError(f"no warehouse at {serving}: run `fazhi run` or `fazhi build` first")
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
