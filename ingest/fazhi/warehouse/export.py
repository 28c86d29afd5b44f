"""Export the marts for analysts: Parquet (zstd) or CSV with a BOM for Excel.

Parquet: one file per table (`dim_report.parquet`, …); a mart whose model declares
`meta: {export: {partition_by: [report_year]}}` in its YAML (the fact tables) is hive-partitioned
by those columns (`fct_report_indicators/report_year=2024/data_0.parquet`). CSV: one `<mart>.csv` per mart,
UTF-8 with a byte-order mark so Excel shows Chinese correctly. Both write `manifest.json`:
the columns and types of every table and its row count.

Each format has its own folder (default warehouse/export/ for Parquet, warehouse/export-csv/), and an
export replaces that folder whole: everything is written into a hidden sibling, then swapped in
(swap.py), so a reader never sees two versions mixed and a killed export leaves the previous one
intact; its temporary is removed by the next export. A folder that is neither empty nor a fazhi
export is never replaced.

CSV cells are data, not formulas: a text cell starting with = + - @ (or TAB, CR) is prefixed with
a single quote, which Excel and LibreOffice show as text (OWASP's advice); `csv_raw` keeps the
text as it is. Numbers are never touched (a negative value stays a number).
"""
from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import yaml

from fazhi.messages import describe_io_failure
from fazhi.paths import missing_warehouse, project_dir
from fazhi.warehouse.swap import clean_stale_temporaries, replace_folder, temporary_sibling

FORMATS = ("parquet", "csv")
BOM = b"\xef\xbb\xbf"
MANIFEST = "manifest.json"
CSV_FORMULA_PREFIX = "'"


class ExportFailed(RuntimeError):
    """The export could not be written (or the warehouse not read); one line, the real cause."""


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


def csv_guard_sql(column: str) -> str:
    """The text column as a select item, with a leading ' when it starts like a formula."""
    quoted = '"' + column.replace('"', '""') + '"'
    prefix = "'" + CSV_FORMULA_PREFIX.replace("'", "''") + "'"
    return (f"case when left({quoted}, 1) in ('=', '+', '-', '@', chr(9), chr(13)) "
            f"then {prefix} || {quoted} else {quoted} end as {quoted}")


def export(serving: Path, out: Path, fmt: str = "parquet", *, csv_raw: bool = False) -> dict[str, int]:
    """Replace folder `out` with every mart; returns table -> row count. Reads the serving file
    read-only."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use parquet or csv")
    if not serving.exists():
        raise FileNotFoundError(missing_warehouse(serving))
    _check_replaceable(out)
    try:
        con = duckdb.connect(str(serving), read_only=True)
    except duckdb.Error as exc:
        raise ExportFailed(f"cannot open the warehouse {serving}: {exc}") from exc
    try:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            clean_stale_temporaries(out)
            tmp = temporary_sibling(out)
        except OSError as exc:
            raise ExportFailed(describe_io_failure(exc, out.parent) or f"cannot write {out}: {exc}") from exc
        try:
            counts, tables = _write_all(con, tmp, fmt, csv_raw)
            manifest = {
                "format": fmt,
                "compression": "zstd" if fmt == "parquet" else None,
                "csv_formula_guard": None if fmt != "csv" else (None if csv_raw else CSV_FORMULA_PREFIX),
                "warehouse": str(serving),
                "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "tables": tables,
            }
            (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            replace_folder(tmp, out)
        except (OSError, duckdb.IOException) as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise ExportFailed(
                (describe_io_failure(exc, tmp) or f"cannot write the export to {out}: {exc}")
                + f"; the previous export in {out} is unchanged") from exc
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        con.close()
    _remove_old_layout(out)
    return counts


def _write_all(con: duckdb.DuckDBPyConnection, folder: Path, fmt: str, csv_raw: bool) -> tuple[dict, dict]:
    counts: dict[str, int] = {}
    tables: dict[str, dict] = {}
    declared = declared_partitions()
    for table in mart_tables(con):
        columns = _columns(con, table)
        counts[table] = con.execute(f'select count(*) from marts."{table}"').fetchone()[0]
        entry: dict = {"rows": counts[table], "columns": columns}
        partitions = partition_columns(table, columns, declared)
        if fmt == "parquet" and partitions:
            target = folder / table
            con.execute(f'copy marts."{table}" to {_sql_path(target)} (format parquet, compression zstd, '
                        f"partition_by ({', '.join(partitions)}), overwrite_or_ignore)")
            target.mkdir(exist_ok=True)  # an empty table writes no partition
            entry |= {"path": f"{table}/", "partition_by": partitions, "glob": f"{table}/**/*.parquet"}
        elif fmt == "parquet":
            con.execute(f'copy marts."{table}" to {_sql_path(folder / f"{table}.parquet")} '
                        "(format parquet, compression zstd)")
            entry |= {"path": f"{table}.parquet"}
        else:
            _write_csv_with_bom(con, table, columns, folder / f"{table}.csv", csv_raw)
            entry |= {"path": f"{table}.csv", "encoding": "utf-8-sig"}
        tables[table] = entry
    return counts, tables


def _write_csv_with_bom(con: duckdb.DuckDBPyConnection, table: str, columns: list[dict[str, str]],
                        target: Path, csv_raw: bool) -> None:
    """UTF-8 with a BOM so Excel shows Chinese correctly (DuckDB quotes fields as RFC 4180 wants)."""
    raw = target.with_name(target.name + ".raw")
    items = ", ".join(
        csv_guard_sql(c["name"]) if c["type"] == "VARCHAR" and not csv_raw else '"' + c["name"].replace('"', '""') + '"'
        for c in columns)
    con.execute(f'copy (select {items} from marts."{table}") to {_sql_path(raw)} (format csv, header true)')
    with open(target, "wb") as dst, open(raw, "rb") as src:
        dst.write(BOM)
        shutil.copyfileobj(src, dst, 1 << 20)
    raw.unlink()


def _check_replaceable(out: Path) -> None:
    """An export replaces its folder: only an empty folder or an earlier fazhi export."""
    if out.is_file():
        raise ExportFailed(f"{out} is a file; give --out a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise ExportFailed(f"{out} is not empty and holds no fazhi export ({MANIFEST}); an export replaces "
                           "its folder whole: give --out a new or empty folder")


def _remove_old_layout(out: Path) -> None:
    """Exports used to share warehouse/export/ between formats; once the format has its own
    folder, the old files listed by the old manifest (and the manifest) go, so nobody reads them."""
    parent = out.parent
    old_manifest = parent / MANIFEST
    if out.name not in FORMATS or not old_manifest.is_file():
        return
    try:
        old = json.loads(old_manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    for entry in (old.get("tables") or {}).values():
        name = str(entry.get("path", "")).rstrip("/")
        target = parent / name
        if not name or "/" in name or name in FORMATS or target.parent != parent:
            continue
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)
    old_manifest.unlink(missing_ok=True)
