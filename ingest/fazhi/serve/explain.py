"""`fazhi explain`: every value of a jurisdiction (and year, and indicator) with the sentence it
came from, the number in it highlighted, the source file and offsets, and the candidates that
lost (conflicts). The queries live in evidence.py (shared with `fazhi report`); this module
selects the facts and renders them: a rich table, plain text, or JSON.

YEAR is a four-digit report year (optional); JURISDICTION and INDICATOR match as evidence.py says.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from fazhi.messages import terminal_safe_data
from fazhi.paths import missing_warehouse

if TYPE_CHECKING:  # rich is imported only when a table is drawn
    from rich.console import Console

from fazhi.serve.evidence import (
    QUALIFIER_MARK,
    ExplainError,
    dicts,
    enrich,
    fact_sql,
    format_value,
    resolve_indicators,
    resolve_jurisdictions,
)


@dataclass(slots=True)
class Explanation:
    query: dict[str, Any]
    jurisdictions: list[dict[str, Any]]
    facts: list[dict[str, Any]] = field(default_factory=list)
    conflict_source: str = ""



def explain(db: Path, jurisdiction: str, year: int | None = None, indicator: str | None = None) -> Explanation:
    """The facts of a jurisdiction (and year, and indicator) with evidence sentences and conflicts."""
    if not db.exists():
        raise FileNotFoundError(missing_warehouse(db))
    con = duckdb.connect(str(db), read_only=True)
    try:
        places = resolve_jurisdictions(con, jurisdiction)
        codes = resolve_indicators(con, indicator) if indicator else None
        ids = [p["jurisdiction_id"] for p in places if p["jurisdiction_id"]]
        names = [p["name"] for p in places if not p["jurisdiction_id"]]
        where = ["(f.jurisdiction_id in (select unnest(?::varchar[])) "
                 "or (f.jurisdiction_id is null and r.jurisdiction_name in (select unnest(?::varchar[]))))"]
        params: list[Any] = [ids, names]
        if year is not None:
            where.append("f.report_year = ?")
            params.append(year)
        if codes is not None:
            where.append("f.indicator_code in (select unnest(?::varchar[]))")
            params.append(codes)
        facts = dicts(con.execute(
            fact_sql(con) + " where " + " and ".join(where)
            + " order by jurisdiction, f.report_year, f.indicator_code, f.report_id", params))
        label = "、".join(dict.fromkeys(p["name"] for p in places))
        if not facts:
            years = [r[0] for r in con.execute(
                "select distinct f.report_year from marts.fct_report_indicators f "
                "join marts.dim_report r using (report_id) "
                + "where " + where[0] + " order by 1", [ids, names]).fetchall()]
            scope = " ".join(str(x) for x in (year, indicator) if x is not None)
            if not years:
                raise ExplainError(f"no facts for {label} in the warehouse")
            raise ExplainError(f"no facts for {label} {scope}; years with facts: {', '.join(map(str, years))}")
        source = enrich(con, facts)
    finally:
        con.close()
    query = {"jurisdiction": jurisdiction, "year": year, "indicator": indicator, "indicator_codes": codes}
    return Explanation(query, places, facts, source)


def split_year_indicator(year: str | None, indicator: str | None) -> tuple[int | None, str | None]:
    """`explain 洛江区 调解` is `explain 洛江区 (any year) 调解`."""
    if year is not None and not re.fullmatch(r"(19|20)\d\d", year.strip()):
        if indicator is not None:
            raise ExplainError(f"YEAR must be a four-digit year, not {year!r}")
        return None, year
    return (int(year) if year is not None else None), indicator


def _sentence_text(f: dict[str, Any], highlight: bool):
    from rich.text import Text

    if not highlight:
        return Text(f["sentence_marked"])
    s0, s1 = f["highlight"]
    sentence = f["sentence"]
    t = Text("…" if f["clipped"][0] else "")
    t.append(sentence[:s0])
    t.append(sentence[s0:s1], style="bold black on yellow")
    t.append(sentence[s1:])
    t.append("…" if f["clipped"][1] else "")
    return t


def correction_note(f: dict[str, Any]) -> str:
    """For a corrected value: who changed what, beside the extracted figure and its evidence."""
    if f.get("provenance") != "corrected":
        return ""
    was = ("the extractor found none" if f.get("extracted_value") is None
           else f"extracted {format_value(f['extracted_value'], f.get('unit'))}, evidence below")
    return f"corrected by an analyst ({f.get('correction_id')}): {f.get('correction_reason')}; {was}"


def _conflicts_text(f: dict[str, Any]) -> str:
    lines = []
    for c in f["conflicts"]:
        line = f"{QUALIFIER_MARK.get(c.get('qualifier') or '', '')}{format_value(c['value'], c.get('unit'))}"
        if c.get("report_id") != f["report_id"] and c.get("source_file"):
            line += f" in {Path(c['source_file']).name}"
        if c.get("char_start") is not None:
            line += f" @{c['char_start']}-{c['char_end']}"
        if c.get("evidence"):
            line += f" «{c['evidence']}»"
        if c.get("role") == "chosen":
            line += " (chosen for the jurisdiction-year)"
        elif c.get("role") in ("corrected", "rejected"):
            line += f" ({c['role']} by an analyst)"
        lines.append(line)
    if not lines:
        return "flagged" if f.get("has_conflict") else "—"
    return "\n".join(lines)


def render(explanation: Explanation, console: Console, *, highlight: bool) -> None:
    """A rich table for a terminal, the number in black on yellow (without `highlight`: in [[…]]).
    On a terminal too narrow for the table every value gets its own two-column table."""
    from rich.table import Table
    from rich.text import Text

    facts = explanation.facts
    places = "、".join(dict.fromkeys(
        p["name"] + (f" ({p['adcode']})" if p.get("adcode") else "") for p in explanation.jurisdictions))
    q = explanation.query
    title = " ".join(str(x) for x in (places, q["year"], q["indicator"]) if x)
    title = f"{title}: {len(facts)} value{'s' if len(facts) != 1 else ''}"

    def value_cell(f):
        return (QUALIFIER_MARK.get(f["qualifier"] or "", "") + format_value(f["value"], f["unit"])
                + f"\n{f['qualifier'] or ''}" + (f"\n{correction_note(f)}" if correction_note(f) else ""))

    def source_cell(f):
        return (f"{Path(f['source_file']).name}{_page(f)}\nchars {f['char_start']}-{f['char_end']}\n"
                f"number {f['value_start']}-{f['value_end']}\nconfidence {f['confidence']:.2f}")

    # Rich measures a CJK sentence (no spaces) as one unbreakable word: give every column a width.
    widths = {"place": 12, "indicator": 26, "value": 14, "source": 26, "conflicts": 26}
    fixed = sum(widths.values()) + 3 * (len(widths) + 1) + 1
    if console.width - fixed >= 30:
        table = Table(title=title, show_lines=True)
        table.add_column("jurisdiction\nyear", width=widths["place"], overflow="fold")
        table.add_column("indicator", width=widths["indicator"], overflow="fold")
        table.add_column("value\nqualifier", width=widths["value"], justify="right", overflow="fold")
        table.add_column("evidence sentence (number marked)", width=console.width - fixed, overflow="fold")
        table.add_column("source, offsets", width=widths["source"], overflow="fold")
        table.add_column("conflicts", width=widths["conflicts"], overflow="fold")
        for f in facts:
            table.add_row(
                Text(f"{f['jurisdiction'] or '?'}\n{f['report_year'] or ''}"),
                Text(f"{f['indicator_name'] or ''}\n{f['indicator_code']}"),
                Text(value_cell(f)),
                _sentence_text(f, highlight),
                Text(source_cell(f)),
                Text(_conflicts_text(f)),
            )
        console.print(table)
    else:
        console.print(Text(title, style="bold"))
        label_w = 11
        for f in facts:
            table = Table(show_header=False, show_lines=False, box=None, padding=(0, 1))
            table.add_column(width=label_w, style="dim")
            table.add_column(width=max(console.width - label_w - 4, 20), overflow="fold")
            table.add_row("indicator", Text(f"{f['indicator_name'] or ''} ({f['indicator_code']})"))
            table.add_row("where", Text(f"{f['jurisdiction'] or '?'} {f['report_year'] or ''}"))
            table.add_row("value", Text(value_cell(f).replace("\n", " ")))
            table.add_row("evidence", _sentence_text(f, highlight))
            table.add_row("source", Text(source_cell(f).replace("\n", ", ")))
            table.add_row("conflicts", Text(_conflicts_text(f)))
            console.print(table)
            console.print()
    files = sorted({f["source_file"] for f in facts})
    console.print(Text(f"source files: {'; '.join(files)}"), soft_wrap=True)
    if explanation.conflict_source:
        console.print(Text(f"conflicts from {explanation.conflict_source}"), soft_wrap=True)


def for_terminal(explanation: Explanation) -> Explanation:
    """The explanation with every string shown safely on a terminal (messages.terminal_safe: one
    visible symbol per control character, so the highlight offsets stay right)."""
    return Explanation(terminal_safe_data(explanation.query), terminal_safe_data(explanation.jurisdictions),
                       terminal_safe_data(explanation.facts), explanation.conflict_source)


def render_plain(explanation: Explanation) -> str:
    """For a pipe or a log: one block per value, each field on one line, the number in [[…]]."""
    facts = explanation.facts
    places = "、".join(dict.fromkeys(
        p["name"] + (f" ({p['adcode']})" if p.get("adcode") else "") for p in explanation.jurisdictions))
    q = explanation.query
    head = " ".join(str(x) for x in (places, q["year"], q["indicator"]) if x)
    out = [f"{head}: {len(facts)} value{'s' if len(facts) != 1 else ''}", ""]
    for f in facts:
        shown = QUALIFIER_MARK.get(f["qualifier"] or "", "") + format_value(f["value"], f["unit"])
        out += [
            f"{f['indicator_name'] or f['indicator_code']} ({f['indicator_code']}) — "
            f"{f['jurisdiction'] or '?'} {f['report_year'] or ''}",
            f"  value:     {shown} ({f['qualifier']}, confidence {f['confidence']:.2f})",
            *([f"  corrected: {correction_note(f)}"] if correction_note(f) else []),
            f"  evidence:  {f['sentence_marked']}",
            f"  source:    {f['source_file']}{_page(f)} chars {f['char_start']}-{f['char_end']}, "
            f"number {f['value_start']}-{f['value_end']}",
            "  conflicts: " + _conflicts_text(f).replace("\n", "\n             "),
            "",
        ]
    if explanation.conflict_source:
        out.append(f"conflicts from {explanation.conflict_source}")
    return "\n".join(out)


def _page(fact: dict[str, Any]) -> str:
    """Where to look in a PDF, scan or Word file (its text is the one fazhi extracted)."""
    return f" page {fact['page']}" if fact.get("page") else ""


def to_json(explanation: Explanation) -> dict[str, Any]:
    keep = ["jurisdiction", "jurisdiction_id", "level", "province", "city", "report_year", "report_id",
            "source_file", "title", "issuer", "issuer_kind", "indicator_code", "indicator_name",
            "indicator_name_en", "domain", "value", "unit", "qualifier", "confidence", "evidence",
            "char_start", "char_end", "value_start", "value_end", "page", "text_source", "number", "sentence",
            "sentence_start", "sentence_end", "sentence_marked", "highlight", "has_conflict", "conflicts",
            "provenance", "correction_id", "correction_reason", "extracted_value"]
    return {
        "query": explanation.query,
        "jurisdictions": explanation.jurisdictions,
        "conflict_source": explanation.conflict_source or None,
        "count": len(explanation.facts),
        "facts": [{k: f.get(k) for k in keep} for f in explanation.facts],
    }
