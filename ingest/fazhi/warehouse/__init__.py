"""Stages "land", "dbt" and export: the DuckDB warehouse.

schema.py  the raw schema (DDL and Arrow schemas derived from one list of columns)
land.py    processed reports -> raw.*, one transaction per batch
build.py   dbt build on the working copy, then the atomic publish
export.py  marts -> Parquet / CSV with a manifest
"""
