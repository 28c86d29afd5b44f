"""The rules are data: every seed must load in Python and as a dbt seed."""
from __future__ import annotations

import csv

import pytest
from conftest import ROOT

from fazhi.rules import load_catalog

SEEDS = sorted((ROOT / "seeds").glob("*.csv"))
# DuckDB keywords that broke a seed load once ("window")
RESERVED = {"window", "order", "group", "select", "from", "where", "table", "default", "end"}


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_every_row_has_as_many_fields_as_the_header(path):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    bad = [(i + 1, row) for i, row in enumerate(rows) if len(row) != len(header)]
    assert not bad, f"{path.name}: rows with a different field count (quote notes with commas): {bad[:3]}"
    assert not RESERVED & {h.lower() for h in header}, f"{path.name}: a column name dbt cannot create"


def test_the_catalog_loads_and_every_extra_cue_names_a_known_indicator():
    catalog = load_catalog()
    assert len(catalog.indicators) >= 54
    assert all(codes for codes in catalog.cue_index.values())
    for code, _unit in catalog.zero_phrases.values():
        assert code in catalog.indicators


def test_cues_are_matched_in_simplified_script():
    catalog = load_catalog()
    assert "受理矛盾糾紛" not in catalog.cue_index
    assert "受理矛盾纠纷" in catalog.cue_index
