"""Tables other than the standard template: labels matched to indicators by the prose lexicons.

A value cell takes the indicator its column header names, else its row label, else a header
spanning its column, else the table's title, within the table's domain (its title, else the
section heading it sits under). Scope:
  * a 合计/总计 row is the jurisdiction's total and the other rows are sub-units; a 合计 column is
    the total of its row and the other columns of that indicator are its parts;
  * a single row of numbers is the reporting body's own figure;
  * a row whose label itself names the indicator ("行政许可 | 12") is a total;
  * a table titled by a tier of sub-units (省直部门, 市州) holds sub-units only;
  * a column headed by another year, or by a change (同比, 增减), is another period.
Money columns are scaled by their header unit ((万元), (亿元)); share columns (比例) are never counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi.records import TableCell
from fazhi.tables.fact import TableFact
from fazhi.tables.grid import Block, is_total_label, kind
from fazhi.tables.labels import UNIT_IN_LABEL, label_words
from fazhi.tables.lexicon import Lexicon
from fazhi.tables.numbers import parse_number

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:年|$)")
_SCALE = {"万元": 10_000.0, "亿元": 100_000_000.0}
_MONEY = ("元", "万元", "亿元")
GENERIC_CONFIDENCE = 0.6  # below a prose figure with a total marker: a disagreeing prose total wins


@dataclass(slots=True)
class _Hit:
    code: str
    cue: str
    cell: TableCell
    rank: int  # 3 column header, 2 row label, 1 spanning header, 0 title


def interpret(block: Block, caption: TableCell | None, heading_domain: str | None, report_year: int | None,
              lex: Lexicon) -> list[TableFact]:
    """Facts of the value cells of one block of a table."""
    words = label_words()
    context = [*block.context, *([caption] if caption is not None else [])]
    table_domain = next((d for c in context for d in lex.domains(c.text)), None) or heading_domain
    tier = any(words.contains("tier", c.text) for c in context)
    label_cols = [k for k in range(block.columns)
                  if any(r[k] is not None and kind(r[k]) == "T" for r in block.rows)]
    labels = ["".join(r[k].text for k in label_cols if r[k] is not None) for r in block.rows]
    total_rows = {i for i, t in enumerate(labels) if t and is_total_label(t)}
    found: list[tuple[TableFact, int, int]] = []  # fact, row, rank of its cue
    for i, row in enumerate(block.rows):
        label = [row[k] for k in label_cols if row[k] is not None]
        for k in range(block.columns):
            cell, leaf = row[k], block.leaves[k]
            if k in label_cols or cell is None or kind(cell) != "N" or (leaf is not None and words.is_index(leaf.text)):
                continue
            parents = block.parents.get(k, [])
            hit = _best_hit(leaf, label, parents, context, table_domain, lex)
            number = parse_number(cell.text)
            if hit is None or number is None:
                continue
            unit = number.unit or _unit_of([*([leaf] if leaf else []), *parents[::-1], *context])
            if not _fits(hit.code, unit, leaf, lex):
                continue
            scope, reason = _scope(block, i, labels[i], total_rows, leaf, parents, hit, tier, report_year)
            named_by = leaf if leaf is not None and hit.rank < 2 else hit.cell
            measure = "元" if unit in _SCALE else unit or lex.measure_word(hit.code)
            found.append((TableFact(
                hit.code, number.value * _SCALE.get(unit, 1.0), measure, scope, reason,
                min(named_by.start, cell.start, *(c.start for c in label)), cell.end,
                cell.start + number.num_start, cell.start + number.num_end, GENERIC_CONFIDENCE, hit.cue,
            ), i, hit.rank))
    return _one_total_per_row(found)


def _unit_of(cells: list[TableCell]) -> str:
    for c in cells:
        m = UNIT_IN_LABEL.search(c.text)
        if m:
            return m.group(1)
    return ""


def _best_hit(leaf: TableCell | None, label: list[TableCell], parents: list[TableCell], context: list[TableCell],
              table_domain: str | None, lex: Lexicon) -> _Hit | None:
    sources = [(3, [leaf] if leaf else []), (2, label), (1, parents[::-1]), (0, context)]
    local_domain = next((d for _, cells in sources[:3] for c in cells for d in lex.domains(c.text)), None)
    for rank, cells in sources:
        best: _Hit | None = None
        for c in cells:
            for h in lex.hits(c.text):
                domain = lex.domain_of(h.code)
                if table_domain is not None and domain != table_domain:
                    continue  # 行政处罚 as a kind of reconsideration case is not an enforcement figure
                if table_domain is None and domain != local_domain and not lex.names_own_domain(h.cue, h.code):
                    continue
                if best is None or len(h.cue) > len(best.cue):
                    best = _Hit(h.code, h.cue, c, rank)
        if best is not None:
            return best
    return None


def _fits(code: str, unit: str, leaf: TableCell | None, lex: Lexicon) -> bool:
    catalog_unit = lex.catalog_unit(code)
    if catalog_unit == "percent":
        return unit == "%"
    if catalog_unit == "yuan":
        return unit in _MONEY
    if unit in _MONEY or unit == "%" or (leaf is not None and label_words().contains("share", leaf.text)):
        return False
    return not unit or lex.unit_fits(code, unit)


def _scope(block: Block, i: int, label: str, total_rows: set[int], leaf: TableCell | None,
           parents: list[TableCell], hit: _Hit, tier: bool, report_year: int | None) -> tuple[str, str]:
    words = label_words()
    heads = " ".join(c.text for c in [*([leaf] if leaf else []), *parents])
    years = [int(y) for y in _YEAR.findall(heads)]
    if years and report_year and years[-1] != report_year:
        return "other_period", f"column {years[-1]}"
    if words.contains("change", heads):
        return "other_period", "change column"
    if tier:
        return "subunit", "table of a tier of sub-units"
    if label:
        if words.starts("subtotal", label):
            return "subunit", "小计 row"
        if i in total_rows:
            return "total", "合计 row"
        if total_rows:
            return "subunit", "row of a sub-unit"
        if hit.rank == 2:
            return "total", "row names the indicator"
        return "subunit", "row of a sub-unit"
    if len(block.rows) > 1:
        return "other", "one of several rows"
    if leaf is not None and is_total_label(leaf.text):
        return "total", "合计 column"
    return "total", ""


def _one_total_per_row(found: list[tuple[TableFact, int, int]]) -> list[TableFact]:
    """Several columns of one row naming one indicator: the 合计 column is the total and the
    others its parts; without one, the column whose own header names it; else none is."""
    groups: dict[tuple[int, str], list[tuple[TableFact, int]]] = {}
    for fact, row, rank in found:
        groups.setdefault((row, fact.indicator_code), []).append((fact, rank))
    out: list[TableFact] = []
    for items in groups.values():
        totals = [f for f, _ in items if f.scope == "total"]
        if len(totals) <= 1:
            out.extend(f for f, _ in items)
            continue
        marked = [f for f in totals if f.scope_reason == "合计 column"]
        own = [f for f, r in items if f.scope == "total" and r == 3]
        winner = marked[0] if len(marked) == 1 else own[0] if len(own) == 1 else None
        out.extend(f if f.scope != "total" or f is winner else f.rescoped("other", "part of a total")
                   for f, _ in items)
    return out
