"""The rules are data: every seed must load in Python and as a dbt seed."""
from __future__ import annotations

import csv
import shutil

import pytest
from conftest import ROOT

from fazhi.rules import load_catalog, load_grammar

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


def test_the_catalog_and_the_grammar_load_and_agree():
    catalog = load_catalog()
    grammar = load_grammar()
    assert len(catalog.indicators) >= 54
    assert set(grammar.frames) == set(catalog.indicators), "every indicator has a frame"
    for frame in grammar.frames.values():
        named = {("action", c) for c in frame.actions} | {("object", c) for c in frame.objects}
        assert named & grammar.anchors, f"{frame.code}: no word can name it"


def test_lexicon_words_are_matched_in_simplified_script(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    with (seeds / "lexicon.csv").open("a", encoding="utf-8") as handle:
        handle.write("調處糾紛,object,dispute,mediation,traditional script\n")
    words = load_grammar(seeds).words
    assert "调处纠纷" in words and "調處糾紛" not in words


@pytest.mark.parametrize("row, message", [
    ("双随机检查,object,spot_check,enforcement,", "undeclared class"),
    ("纠纷,object,dispute,mediation,", "listed twice"),
    ("检查组,team,,enforcement,", "unknown role"),
])
def test_a_broken_lexicon_row_is_refused_with_its_word(tmp_path, row, message):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    with (seeds / "lexicon.csv").open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    with pytest.raises(ValueError, match=message):
        load_grammar(seeds)


def test_a_frame_naming_an_unknown_indicator_is_refused(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    with (seeds / "indicator_frames.csv").open("a", encoding="utf-8") as handle:
        handle.write("mediation_cases_lost,object,dispute,\n")
    with pytest.raises(ValueError, match="unknown indicator"):
        load_grammar(seeds)
