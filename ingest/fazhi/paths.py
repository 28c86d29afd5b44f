"""Where things live: the project (dbt + seeds), the sample reports, the warehouse."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SAMPLES_DIR = PACKAGE_DIR / "samples"


@lru_cache(maxsize=1)
def project_dir() -> Path:
    """The folder holding dbt_project.yml and seeds/ (FAZHI_PROJECT_DIR overrides)."""
    env = os.environ.get("FAZHI_PROJECT_DIR")
    if env:
        return Path(env).resolve()
    for parent in PACKAGE_DIR.parents:
        if (parent / "dbt_project.yml").is_file():
            return parent
    raise RuntimeError(
        "cannot find the fazhi project (dbt_project.yml); install with `pip install -e .` "
        "from a checkout or set FAZHI_PROJECT_DIR"
    )


def seeds_dir() -> Path:
    env = os.environ.get("FAZHI_SEEDS_DIR")
    return Path(env) if env else project_dir() / "seeds"


def default_db() -> Path:
    """FAZHI_DB, else warehouse/fazhi.duckdb in the project."""
    env = os.environ.get("FAZHI_DB")
    return Path(env) if env else project_dir() / "warehouse" / "fazhi.duckdb"


def work_db(serving: Path) -> Path:
    """The working database a build writes into before it replaces the serving file."""
    return serving.with_name(serving.stem + ".work" + serving.suffix)


def demo_db() -> Path:
    """Where `fazhi run` with no PATH builds the bundled samples: never the user's warehouse."""
    return project_dir() / "warehouse" / "demo.duckdb"


def missing_warehouse(serving: Path) -> str:
    """Why a reading command found nothing at `serving`; names the demo warehouse when that is
    what `fazhi run` without PATH built (a new user's first `fazhi explain` after `make run`)."""
    message = f"no warehouse at {serving}: run `fazhi run PATH` or `fazhi build` first"
    demo = demo_db()
    if serving.resolve() != demo.resolve() and demo.exists():
        message += f" (the demo of the bundled samples is at {demo}: --db {demo})"
    return message


def default_export_dir(serving: Path, fmt: str = "parquet") -> Path:
    """One folder per format (an export replaces its folder whole). Parquet keeps the contract's
    default, warehouse/export/ for warehouse/fazhi.duckdb; CSV goes beside it, warehouse/export-csv/.
    Any other warehouse file gets <stem>-export/ (and <stem>-export-csv/), so two warehouses in one
    folder (the demo and yours) never share an export."""
    base = "export" if serving.stem == "fazhi" else f"{serving.stem}-export"
    return serving.parent / (base if fmt == "parquet" else f"{base}-{fmt}")
