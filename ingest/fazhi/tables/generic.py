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

from fazhi.records import TableCell
from fazhi.tables.fact import TableFact
from fazhi.tables.grid import Block, is_total_label, kind
from fazhi.tables.labels import UNIT_IN_LABEL, label_words
from fazhi.tables.lexicon import Lexicon
from fazhi.tables.numbers import parse_number

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:年|$)")
_SCALE = {"万元": 10_000.0, "亿元": 100_000_000.0}
GENERIC_CONFIDENCE = 0.6  # below a prose figure with a total marker: a disagreeing prose total wins


def interpret(block: Block, caption: TableCell | None, heading_domain: str | None, report_year: int | None,
              lex: Lexicon) -> list[TableFact]:
    """Facts of the value cells of one block of a table."""
    words = label_words()
    context = [*reversed(block.context), *([caption] if caption is not None else [])]  # nearest first
    table_domain = next((d for c in context for d in lex.domains(c.text)), None) or heading_domain
    tier = any(words.contains("tier", c.text) for c in context)
    label_cols = [k for k in range(block.columns)
                  if any(r[k] is not None and kind(r[k]) == "T" for r in block.rows)]
    labels = ["".join(r[k].text for k in label_cols if r[k] is not None) for r in block.rows]
    total_rows = {i for i, t in enumerate(labels) if t and is_total_label(t)}
    found: list[tuple[TableFact, int, int, bool]] = []  # fact, row, column, its header has words
    for i, row in enumerate(block.rows):
        label = [row[k] for k in label_cols if row[k] is not None]
        for k in range(block.columns):
            cell, leaf = row[k], block.leaves[k]
            number = parse_number(cell.text) if cell is not None else None
            if k in label_cols or number is None or (leaf is not None and words.is_index(leaf.text)):
                continue
            parents = block.parents.get(k, [])
            unit = number.unit or _unit_of([*([leaf] if leaf else []), *parents[::-1], *context])
            if unit != "%" and leaf is not None and words.contains("share", leaf.text):
                continue  # a share of a total (比例) is never a count
            measure = "元" if unit in _SCALE else unit
            reading = lex.read([[leaf] if leaf else [], label, parents[::-1], context], table_domain, measure,
                               number.value)
            if reading is None:
                continue
            scope, reason = _scope(block, i, labels[i], total_rows, leaf, parents, reading.level, tier, report_year)
            named_by = leaf if leaf is not None and reading.level > 1 else reading.cell
            found.append((TableFact(
                reading.code, number.value * _SCALE.get(unit, 1.0), measure or lex.measure_word(reading.code),
                scope, reason, min(named_by.start, cell.start, *(c.start for c in label)), cell.end,
                cell.start + number.num_start, cell.start + number.num_end, GENERIC_CONFIDENCE, reading.words,
            ), i, k, leaf is not None and bool(lex.tokens(leaf.text))))
    return _one_total_per_row(found)


def _unit_of(cells: list[TableCell]) -> str:
    for c in cells:
        m = UNIT_IN_LABEL.search(c.text)
        if m:
            return m.group(1)
    return ""


def _scope(block: Block, i: int, label: str, total_rows: set[int], leaf: TableCell | None,
           parents: list[TableCell], level: int, tier: bool, report_year: int | None) -> tuple[str, str]:
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
        if level == 1:
            return "total", "row names the indicator"
        return "subunit", "row of a sub-unit"
    if len(block.rows) > 1:
        return "other", "one of several rows"
    if leaf is not None and is_total_label(leaf.text):
        return "total", "合计 column"
    return "total", ""


def _one_total_per_row(found: list[tuple[TableFact, int, int, bool]]) -> list[TableFact]:
    """Several columns of one row naming one indicator: the 合计 column is the total and the
    others its parts; without one, the first column whose own header has a word of the lexicon
    (a flow: 申请 -> 受理 -> 许可, the applications came in first); else none is."""
    groups: dict[tuple[int, str], list[tuple[TableFact, int, bool]]] = {}
    for fact, row, col, worded in found:
        groups.setdefault((row, fact.indicator_code), []).append((fact, col, worded))
    out: list[TableFact] = []
    for items in groups.values():
        totals = [(f, col, worded) for f, col, worded in items if f.scope == "total"]
        if len(totals) <= 1:
            out.extend(f for f, _, _ in items)
            continue
        marked = [f for f, _, _ in totals if f.scope_reason == "合计 column"]
        worded = sorted((col, f) for f, col, w in totals if w)
        winner = marked[0] if len(marked) == 1 else worded[0][1] if worded and not marked else None
        out.extend(f if f.scope != "total" or f is winner else f.rescoped("other", "part of a total")
                   for f, _, _ in items)
    return out
