"""The rules come from one seeds folder, and only a change of rule (or of the extractor's
version) re-extracts landed reports."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fazhi import paths, pipeline
from fazhi.extract.quantities import find_quantities, load_rules
from fazhi.rules import read_seed, rules_fingerprint, seeds_dir

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def other_project(tmp_path, monkeypatch):
    """A copy of the project's seeds under another project folder, named by FAZHI_PROJECT_DIR."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "seeds", project / "seeds")
    with (project / "seeds" / "units.csv").open("a", encoding="utf-8") as handle:
        handle.write("艘,item,boats\n")
    monkeypatch.delenv("FAZHI_SEEDS_DIR", raising=False)
    monkeypatch.setenv("FAZHI_PROJECT_DIR", str(project))
    paths.project_dir.cache_clear()
    yield project
    paths.project_dir.cache_clear()


def test_every_rule_is_read_from_the_project_that_FAZHI_PROJECT_DIR_names(other_project):
    assert seeds_dir() == other_project / "seeds"
    assert any(row["measure_word"] == "艘" for row in read_seed("units.csv"))
    rules = load_rules()  # the quantity reader follows the same lookup as every other rule
    assert rules.seeds_dir == (other_project / "seeds").resolve()
    assert [(q.value, q.unit) for q in find_quantities("查扣涉渔船舶243艘", rules)] == [(243, "艘")]


def test_FAZHI_SEEDS_DIR_wins_over_the_project(other_project, tmp_path, monkeypatch):
    seeds = tmp_path / "just-seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    monkeypatch.setenv("FAZHI_SEEDS_DIR", str(seeds))
    assert seeds_dir() == seeds
    assert load_rules().seeds_dir == seeds.resolve()


def test_the_rules_fingerprint_follows_the_content_of_the_seeds(tmp_path):
    copy = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", copy)
    assert rules_fingerprint(copy) == rules_fingerprint(ROOT / "seeds")  # content, not place or time
    (copy / "units.csv").touch()
    assert rules_fingerprint(copy) == rules_fingerprint(ROOT / "seeds")
    with (copy / "money_cues.csv").open("a", encoding="utf-8") as handle:
        handle.write("罚没款,a new money word\n")
    assert rules_fingerprint(copy) != rules_fingerprint(ROOT / "seeds")


def test_the_extractor_version_is_the_code_version_and_the_rules_fingerprint():
    version = pipeline.extractor_version()
    assert version.startswith(pipeline.EXTRACTOR_VERSION + "-")
    assert version.endswith(rules_fingerprint()[:12])
