"""Export the marts for analysts: Parquet (zstd) or CSV with a BOM for Excel.

Parquet: one file per table (`dim_report.parquet`, …); a mart whose model declares
`meta: {export: {partition_by: [report_year]}}` in its YAML (the fact tables) is hive-partitioned
by those columns (`fct_report_indicators/report_year=2024/data_0.parquet`). CSV: one `<mart>.csv` per mart,
UTF-8 with a byte-order mark so Excel shows Chinese correctly. Both write `manifest.json`:
the columns and types of every table and its row count.

Each table is written under a temporary name and then renamed into place, so a notebook reading
the folder never sees a half-written file.
"""
from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import yaml

from fazhi.paths import project_dir

FORMATS = ("parquet", "csv")
BOM = b"\xef\xbb\xbf"


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
    ).fetchall()
    return [r[0] for r in rows]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[dict[str, str]]:
    return [
        {"name": n, "type": t}
        for n, t in con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
    ]


def declared_partitions(project: Path | None = None) -> dict[str, list[str]]:
    """model -> partition columns, from `config.meta.export.partition_by` in the models' YAML."""
    out: dict[str, list[str]] = {}
    for path in sorted(((project or project_dir()) / "models").rglob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in doc.get("models") or []:
            meta = (model.get("config") or {}).get("meta") or model.get("meta") or {}
            columns = (meta.get("export") or {}).get("partition_by")
            if columns:
                out[model["name"]] = list(columns)
    return out


def partition_columns(table: str, columns: list[dict[str, str]], declared: dict[str, list[str]]) -> list[str]:
    """The declared partition columns of `table` that it has (an older warehouse may lack one)."""
    have = {c["name"] for c in columns}
    wanted = declared.get(table, [])
    return wanted if wanted and all(c in have for c in wanted) else []


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export(serving: Path, out: Path, fmt: str = "parquet") -> dict[str, int]:
    """Write every mart to `out`; returns table -> row count. Reads the serving file read-only."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use parquet or csv")
    if not serving.exists():
        raise FileNotFoundError(f"no warehouse at {serving}: run `fazhi run` or `fazhi build` first")
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(serving), read_only=True)
    counts: dict[str, int] = {}
    tables: dict[str, dict] = {}
    declared = declared_partitions()
    try:
        for table in mart_tables(con):
            columns = _columns(con, table)
            counts[table] = con.execute(f'select count(*) from marts."{table}"').fetchone()[0]
            entry: dict = {"rows": counts[table], "columns": columns}
            partitions = partition_columns(table, columns, declared)
            if fmt == "parquet":
                if partitions:
                    target = out / table
                    tmp = out / f".{table}.tmp"
                    _clear(tmp)
                    con.execute(
                        f'copy marts."{table}" to {_sql_path(tmp)} (format parquet, compression zstd, '
                        f"partition_by ({', '.join(partitions)}), overwrite_or_ignore)"
                    )
                    if not tmp.exists():  # an empty table writes no partition
                        tmp.mkdir()
                    entry |= {"path": f"{table}/", "partition_by": partitions,
                              "glob": f"{table}/**/*.parquet"}
                else:
                    target = out / f"{table}.parquet"
                    tmp = out / f".{table}.parquet.tmp"
                    con.execute(f'copy marts."{table}" to {_sql_path(tmp)} (format parquet, compression zstd)')
                    entry |= {"path": target.name}
            else:
                target = out / f"{table}.csv"
                tmp = out / f".{table}.csv.tmp"
                _write_csv_with_bom(con, table, tmp)
                entry |= {"path": target.name, "encoding": "utf-8-sig"}
            _swap(tmp, target)
            tables[table] = entry
    finally:
        con.close()
    manifest = {
        "format": fmt,
        "compression": "zstd" if fmt == "parquet" else None,
        "warehouse": str(serving),
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tables": tables,
    }
    tmp_manifest = out / ".manifest.json.tmp"
    tmp_manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp_manifest, out / "manifest.json")
    return counts


def _clear(target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()


def _swap(tmp: Path, target: Path) -> None:
    """Put `tmp` in place of `target`: a rename for a file; for a folder, old aside, new in, old out."""
    if tmp.is_dir():
        old = target.with_name(f".{target.name}.old")
        _clear(old)
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
        _clear(old)
    else:
        if target.is_dir():
            _clear(target)
        os.replace(tmp, target)


def _write_csv_with_bom(con: duckdb.DuckDBPyConnection, table: str, target: Path) -> None:
    """UTF-8 with a BOM so Excel shows Chinese correctly (DuckDB quotes fields as RFC 4180 wants)."""
    raw = target.with_name(target.name + ".raw")
    con.execute(f'copy marts."{table}" to {_sql_path(raw)} (format csv, header true)')
    with open(target, "wb") as dst, open(raw, "rb") as src:
        dst.write(BOM)
        shutil.copyfileobj(src, dst, 1 << 20)
    raw.unlink()
