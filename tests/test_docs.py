"""What a user reads matches the code: every FAZHI_* variable the project reads is in the README."""
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
