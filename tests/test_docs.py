"""What a user reads matches the code: every FAZHI_* variable the project reads is in the README, and
the README's module map names every module of the package under its own stage."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_environment_variable_is_documented():
    used: set[str] = set()
    sources = [*ROOT.joinpath("ingest").rglob("*.py"), *ROOT.joinpath("scripts").glob("*.py"),
               *ROOT.joinpath("tests").glob("*.py"), ROOT / "profiles.yml", ROOT / "Makefile"]
    for path in sources:
        used |= set(re.findall(r"\bFAZHI_[A-Z0-9_]*[A-Z0-9]\b", path.read_text(encoding="utf-8")))
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(FAZHI_[A-Z0-9_]+)`", readme))
    assert used, "the scan found the variables"
    assert sorted(used - documented) == []


def _module_map() -> set[str]:
    """The modules the README's "How it works" tree names, as paths under ingest/fazhi/."""
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    tree = readme.split("## How it works", 1)[1].split("```", 2)[1]
    named, package = set(), ""
    for line in tree.splitlines():
        top = re.match(r"^  (\w+)/", line)
        if top:
            package = top.group(1) + "/"
        elif re.match(r"^  \w+\.py", line):
            package = ""
        elif re.match(r"^\S", line):
            package = None  # models/, seeds/: not the package
        if package is not None:
            named |= {package + name for name in re.findall(r"\b(\w+\.py)\b", line)}
    return named


def test_the_readme_module_map_names_every_module_where_it_lives():
    package = ROOT / "ingest" / "fazhi"
    modules = {str(p.relative_to(package)) for p in package.rglob("*.py") if p.name != "__init__.py"}
    named = _module_map()
    assert sorted(modules - named) == [], "modules missing from README's How it works"
    assert sorted(named - modules) == [], "README names modules that do not exist"


def test_dbt_builds_one_model_at_a_time_by_default():
    # two models at once share DuckDB's one memory cap: at 10k reports the search index's sort and
    # fct_report_indicators together ran out of memory ("failed to pin block") and nothing published
    profile = ROOT.joinpath("profiles.yml").read_text(encoding="utf-8")
    assert re.search(r"threads: \"\{\{ env_var\('FAZHI_DBT_THREADS', '1'\)", profile)
