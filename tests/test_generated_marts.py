"""The indicator catalog drives the marts: the generated domain models, fct_jurisdiction_year and
their YAML match seeds/indicators.csv, and export partitioning is what the models declare."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

from fazhi.warehouse import generate
from fazhi.warehouse.export import declared_partitions, partition_columns

ROOT = Path(__file__).resolve().parents[1]


def test_the_generated_models_match_the_catalog():
    stale = generate.stale(ROOT)
    assert not stale, f"run `python -m fazhi.warehouse.generate`; stale: {stale}"


def _project_copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "seeds", project / "seeds")
    shutil.copytree(ROOT / "models", project / "models")
    return project


def _edit_catalog(project: Path, code: str, **changes: str) -> None:
    path = project / "seeds" / "indicators.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["code"] == code:
            row.update(changes)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_catalog_change_makes_the_generated_files_stale_until_regenerated(tmp_path):
    project = _project_copy(tmp_path)
    _edit_catalog(project, "legal_opinions", mart="legal_aid", is_main="true")
    stale = {p.as_posix() for p in generate.stale(project)}
    assert {"models/marts/domains/fct_legal_aid.sql", "models/marts/domains/_domains__models.yml",
            "models/marts/fct_jurisdiction_year.sql", "models/marts/_fct_jurisdiction_year__models.yml"} <= stale
    generate.write(project)
    assert generate.stale(project) == []
    assert "'legal_opinions'" in (project / "models/marts/domains/fct_legal_aid.sql").read_text(encoding="utf-8")
    assert "as legal_opinions" in (project / "models/marts/fct_jurisdiction_year.sql").read_text(encoding="utf-8")


def test_a_mart_the_catalog_no_longer_names_is_removed(tmp_path):
    project = _project_copy(tmp_path)
    for code in ("petitions_received", "petitions_completion_rate"):
        _edit_catalog(project, code, mart="")
    marts = project / "seeds" / "marts.csv"
    marts.write_text("".join(line for line in marts.read_text(encoding="utf-8").splitlines(keepends=True)
                             if not line.startswith("petitions,")), encoding="utf-8")
    assert Path("models/marts/domains/fct_petitions.sql") in generate.stale(project)
    generate.write(project)
    assert not (project / "models/marts/domains/fct_petitions.sql").exists()
    assert "fct_petitions" not in (project / "models/marts/domains/_domains__models.yml").read_text(encoding="utf-8")


def test_rates_are_recomputed_and_parts_tested_as_the_catalog_says():
    indicators, _ = generate.load(ROOT / "seeds")
    by_code = {i.code: i for i in indicators}
    mediation = (ROOT / "models/marts/domains/fct_mediation.sql").read_text(encoding="utf-8")
    assert "recomputed_rates=[\n        'mediation_success_rate'," in mediation
    yaml_text = (ROOT / "models/marts/domains/_domains__models.yml").read_text(encoding="utf-8")
    for ind in indicators:
        if ind.part_of and ind.mart:
            assert f"ceiling_column: {ind.part_of}" in yaml_text, ind.code
            assert by_code[ind.part_of].mart == ind.mart, "a part and its whole share a mart"


def test_export_partitioning_is_declared_by_the_models_not_their_names():
    declared = declared_partitions(ROOT)
    assert declared["fct_report_indicators"] == ["report_year"]
    assert declared["fct_mediation"] == ["report_year"]
    assert "dim_report" not in declared
    with_year = [{"name": "jurisdiction_id"}, {"name": "report_year"}]
    assert partition_columns("fct_mediation", with_year, declared) == ["report_year"]
    assert partition_columns("fct_not_declared", with_year, declared) == []
    assert partition_columns("fct_mediation", [{"name": "jurisdiction_id"}], declared) == []
