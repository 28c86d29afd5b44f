"""Export the marts for analysts: Parquet (zstd) or CSV with a BOM for Excel."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb

PARTITIONED = {"fct_report_indicators", "fct_jurisdiction_year"}


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
    ).fetchall()
    return [r[0] for r in rows]


def export(serving: Path, out: Path, fmt: str = "parquet") -> dict[str, int]:
    """Write every mart to `out`; returns table -> row count. Reads the serving file read-only."""
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown format {fmt!r}: use parquet or csv")
    if not serving.exists():
        raise FileNotFoundError(f"no warehouse at {serving}: run `fazhi run` or `fazhi build` first")
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(serving), read_only=True)
    counts: dict[str, int] = {}
    schema: dict[str, list[dict[str, str]]] = {}
    try:
        for table in mart_tables(con):
            counts[table] = con.execute(f"select count(*) from marts.{table}").fetchone()[0]
            schema[table] = [
                {"name": n, "type": t}
                for n, t in con.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
            ]
            target = out / (table if fmt == "parquet" else f"{table}.csv")
            if fmt == "parquet":
                _clear(target)
                if table in PARTITIONED:
                    con.execute(
                        f"copy marts.{table} to '{target}' "
                        "(format parquet, compression zstd, partition_by (report_year), overwrite_or_ignore)"
                    )
                else:
                    target = out / f"{table}.parquet"
                    con.execute(f"copy marts.{table} to '{target}' (format parquet, compression zstd)")
            else:
                _write_csv_with_bom(con, table, target)
    finally:
        con.close()
    manifest = {"format": fmt, "tables": {t: {"rows": counts[t], "columns": schema[t]} for t in counts}}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return counts


def _clear(target: Path) -> None:
    import shutil

    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()


def _write_csv_with_bom(con: duckdb.DuckDBPyConnection, table: str, target: Path) -> None:
    """UTF-8 with a BOM so Excel shows Chinese correctly."""
    tmp = target.with_suffix(".csv.tmp")
    con.execute(f"copy marts.{table} to '{tmp}' (format csv, header true)")
    with open(target, "wb") as dst, open(tmp, "rb") as src:
        dst.write(b"\xef\xbb\xbf")
        while chunk := src.read(1 << 20):
            dst.write(chunk)
    tmp.unlink()
