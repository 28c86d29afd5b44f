"""The rules are data: every seed must load in Python and as a dbt seed."""
from __future__ import annotations

import csv
import shutil
from collections import Counter

import pytest
import yaml
from conftest import ROOT

from fazhi.records import QUALIFIERS, SCOPES
from fazhi.rules import load_catalog, load_grammar, read_seed

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
    # every indicator has a frame, or is a cell of the standard disclosure template only (named by
    # seeds/disclosure_template.csv, not by words of a sentence)
    template_cells = {r["indicator_code"] for r in read_seed("disclosure_template.csv") if r["indicator_code"]}
    assert set(grammar.frames) <= set(catalog.indicators)
    assert set(catalog.indicators) - set(grammar.frames) <= template_cells, "an indicator without a frame"
    for frame in grammar.frames.values():
        named = {("action", c) for c in frame.actions} | {("object", c) for c in frame.objects}
        assert named & grammar.anchors, f"{frame.code}: no word can name it"


def seeds_with(tmp_path, seed: str, row: str):
    """A copy of the project's seeds with one row appended to `seed`."""
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    with (seeds / seed).open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    return seeds


def test_lexicon_words_are_matched_in_simplified_script(tmp_path):
    words = load_grammar(seeds_with(tmp_path, "lexicon.csv", "調處糾紛,object,dispute,mediation,traditional script")).words
    assert "调处纠纷" in words and "調處糾紛" not in words


@pytest.mark.parametrize("row, message", [
    ("双随机检查,object,spot_check,enforcement,", "undeclared class"),
    ("纠纷,object,dispute,mediation,", "listed twice"),
    ("检查组,team,,enforcement,", "unknown role"),
])
def test_a_broken_lexicon_row_is_refused_with_its_word(tmp_path, row, message):
    with pytest.raises(ValueError, match=message):
        load_grammar(seeds_with(tmp_path, "lexicon.csv", row))


def test_a_frame_naming_an_unknown_indicator_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown indicator"):
        load_grammar(seeds_with(tmp_path, "indicator_frames.csv", "mediation_cases_lost,object,dispute,"))


def _declared_grains() -> dict[str, list[str]]:
    """seed -> grain columns, as seeds/_seeds.yml declares them (unique_combination, or unique)."""
    doc = yaml.safe_load((ROOT / "seeds" / "_seeds.yml").read_text(encoding="utf-8"))
    grains: dict[str, list[str]] = {}
    for seed in doc["seeds"]:
        for test in seed.get("data_tests") or []:
            if isinstance(test, dict) and "unique_combination" in test:
                grains[seed["name"]] = test["unique_combination"]["arguments"]["columns"]
        for column in seed.get("columns") or []:
            if "unique" in (column.get("data_tests") or []):
                grains[seed["name"]] = [column["name"]]
    return grains


def test_every_seed_declares_its_grain_and_holds_it():
    """The grain tests run in dbt build (the slow lane); this checks the same in a moment."""
    grains = _declared_grains()
    assert sorted(grains) == sorted(p.stem for p in SEEDS), "a seed without a grain test in seeds/_seeds.yml"
    for path in SEEDS:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        keys = [tuple(row[c] for c in grains[path.stem]) for row in rows]
        repeated = sorted(k for k, n in Counter(keys).items() if n > 1)
        assert not repeated, f"{path.name}: rows repeat the grain {grains[path.stem]}: {repeated[:3]}"


def test_no_list_in_a_cell_of_the_place_and_unit_seeds():
    """Long format: one value a row."""
    for name in ("jurisdiction_aliases", "jurisdiction_extra", "units", "qualifiers", "money_cues", "marts",
                 "unit_compatibility", "lexicon", "grammar_classes", "indicator_frames", "scope_cues", "indicators",
                 "organ_heads", "organ_duties"):
        with open(ROOT / "seeds" / f"{name}.csv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                lists = [k for k, v in row.items() if k not in ("notes", "source") and ";" in v]
                assert not lists, f"{name}.csv: ';'-joined list in {lists}: {row}"


def test_the_seeds_use_the_closed_vocabularies_of_the_records():
    with open(ROOT / "seeds" / "qualifiers.csv", encoding="utf-8", newline="") as handle:
        assert {row["qualifier"] for row in csv.DictReader(handle)} <= set(QUALIFIERS)
    with open(ROOT / "seeds" / "scope_cues.csv", encoding="utf-8", newline="") as handle:
        # "year" confirms the period and decides nothing else (see extract/attribute.py)
        assert {row["scope"] for row in csv.DictReader(handle)} <= {*SCOPES, "year"}


def test_a_numeral_guard_of_an_unknown_context_is_refused(tmp_path):
    from fazhi.extract.quantities import load_rules

    with pytest.raises(ValueError, match="unknown context"):
        load_rules(seeds_with(tmp_path, "numeral_guards.csv", "after_two,件事,,a typo of a context"))


@pytest.mark.parametrize("seed, row, message", [
    ("organ_duties.csv", "信访,petition,a typo of the domain", "unknown domain"),
    ("organ_heads.csv", "面子,not_head,ends with no head word", "no head"),
    ("organ_heads.csv", "署,chief,a typo of the role", "unknown role"),
])
def test_a_broken_organ_row_is_refused_with_its_word(tmp_path, seed, row, message):
    from fazhi.rules import load_organs

    with pytest.raises(ValueError, match=message):
        load_organs(seeds_with(tmp_path, seed, row))


def test_a_place_relation_of_an_unknown_kind_is_refused_and_traditional_words_are_simplified(tmp_path):
    from fazhi.rules import load_place_relations

    with pytest.raises(ValueError, match="unknown relation"):
        load_place_relations(seeds_with(tmp_path / "a", "place_relations.csv", "赴,abroad,a typo of the relation"))
    words = load_place_relations(seeds_with(tmp_path / "b", "place_relations.csv", "參觀學習,foreign,traditional script"))
    assert "参观学习" in words["foreign"]
