"""The raw schema: the one source of the tables ingest lands into (schema `raw`).

Each table is a list of columns with its DuckDB type and, for columns that ingest fills, its
Arrow type; the DDL (`SCHEMA_SQL`, `columns_sql`) and the Arrow schemas of the landing batches
(`arrow_schema`) are derived from it. dbt reads these tables as sources
(models/staging/raw/_raw__sources.yml); a test checks the two agree.

raw.reports and raw.indicator_candidates carry no PRIMARY KEY: DuckDB keeps an ART index in
memory and rewrites it at every checkpoint, which made landing a batch 3-4x slower by 100,000
reports (O(N^2) in all) and memory grow with the table. Uniqueness holds by construction: a
report is landed only when its sha256 is not yet landed by this extractor version, a stale
version is deleted in the same transaction, and the dbt tests check report_id and candidate_id
are unique. Warehouses created with the keys are migrated once (land._drop_primary_keys).
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

__all__ = [
    "ATTEMPTS", "CANDIDATES", "CORRECTIONS", "PLACES", "REPORTS", "REPORT_SENTENCES", "SCHEMA_SQL", "TABLES", "Column", "Table",
]

_STR, _INT, _FLOAT, _BOOL, _TS = pa.string(), pa.int32(), pa.float64(), pa.bool_(), pa.timestamp("us")
_BIGINT = pa.int64()


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    sql: str  # DuckDB type and constraints
    arrow: pa.DataType | None  # type in a landing batch; None: filled by DuckDB (a sequence)


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]

    @property
    def qualified(self) -> str:
        return f"raw.{self.name}"

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def columns_sql(self) -> str:
        return ",\n    ".join(f"{c.name} {c.sql}" for c in self.columns)

    def create_sql(self) -> str:
        return f"create table if not exists {self.qualified} (\n    {self.columns_sql()}\n);"

    def arrow_schema(self) -> pa.Schema:
        """The Arrow schema of a landing batch (columns DuckDB fills itself left out)."""
        return pa.schema([(c.name, c.arrow) for c in self.columns if c.arrow is not None])


def _table(name: str, *columns: tuple[str, str, pa.DataType | None]) -> Table:
    return Table(name, tuple(Column(*c) for c in columns))


REPORTS = _table(
    "reports",
    ("report_id", "varchar not null", _STR),
    ("sha256", "varchar not null", _STR),
    ("source_file", "varchar not null", _STR),
    ("original_text", "varchar not null", _STR),
    ("encoding", "varchar", _STR),
    ("source_format", "varchar", _STR),
    ("text_source", "varchar", _STR),  # text | html | pdf_text | pdf_ocr | image_ocr | docx | doc
    ("page_count", "integer", _INT),
    ("unread_pages", "integer[]", pa.list_(_INT)),  # pages on which no text could be read
    ("char_count", "integer", _INT),
    ("title", "varchar", _STR),
    ("issuer", "varchar", _STR),
    ("issuer_kind", "varchar", _STR),
    ("issuer_basis", "varchar", _STR),
    ("source_url", "varchar", _STR),
    ("doc_number", "varchar", _STR),
    ("index_number", "varchar", _STR),
    ("published_on", "date", _STR),  # ISO date string, cast on insert
    ("report_year", "integer", _INT),
    ("script", "varchar", _STR),
    ("is_garbled", "boolean", _BOOL),
    ("garbled_spans", "varchar", _STR),
    ("jurisdiction_id", "varchar", _STR),
    ("jurisdiction_name", "varchar", _STR),
    ("jurisdiction_level", "varchar", _STR),
    ("jurisdiction_status", "varchar", _STR),
    ("jurisdiction_method", "varchar", _STR),
    ("jurisdiction_candidates", "varchar[]", pa.list_(_STR)),
    ("jurisdiction_province", "varchar", _STR),  # known also while the county stays ambiguous
    ("jurisdiction_city", "varchar", _STR),
    ("extractor_version", "varchar", _STR),
    ("landed_at", "timestamp", _TS),
)

CANDIDATES = _table(
    "indicator_candidates",
    ("report_id", "varchar not null", _STR),
    ("candidate_seq", "integer not null", _INT),
    ("indicator_code", "varchar not null", _STR),
    ("value", "double", _FLOAT),
    ("unit", "varchar", _STR),
    ("qualifier", "varchar", _STR),
    ("scope", "varchar", _STR),
    ("scope_reason", "varchar", _STR),
    ("evidence", "varchar", _STR),
    ("char_start", "integer", _INT),
    ("char_end", "integer", _INT),
    ("value_start", "integer", _INT),
    ("value_end", "integer", _INT),
    ("confidence", "double", _FLOAT),
    ("cue", "varchar", _STR),
    ("section", "varchar", _STR),
    ("source", "varchar", _STR),  # prose | table
    ("template_version", "varchar", _STR),  # 2019 | 2021 for a cell of the standard disclosure template
    ("page", "integer", _INT),
)

ATTEMPTS = _table(
    "ingest_attempts",
    ("source_file", "varchar not null", _STR),
    ("sha256", "varchar", _STR),
    ("status", "varchar not null", _STR),
    ("reason", "varchar", _STR),
    ("report_id", "varchar", _STR),
    ("attempted_at", "timestamp not null", _TS),
    ("attempt_seq", "bigint not null", None),  # nextval('raw.attempt_seq')
)

PLACES = _table(
    "places",
    ("jurisdiction_id", "varchar primary key", _STR),
    ("name", "varchar", _STR),
    ("level", "varchar", _STR),
    ("adcode", "varchar", _STR),
    ("parent_id", "varchar", _STR),
    ("province", "varchar", _STR),
    ("city", "varchar", _STR),
    ("first_year", "integer", _INT),
    ("last_year", "integer", _INT),
    ("origin", "varchar", _STR),
)

# One row per sentence of a report (fazhi.search.sentences): offsets into the original text, the
# normalised view (simplified, half-width) and the full-text index terms (space-separated).
REPORT_SENTENCES = _table(
    "report_sentences",
    ("report_id", "varchar not null", _STR),
    ("report_key", "bigint not null", _BIGINT),
    ("sentence_seq", "integer not null", _INT),
    ("char_start", "integer not null", _INT),
    ("char_end", "integer not null", _INT),
    ("search_text", "varchar not null", _STR),
    ("index_terms", "varchar not null", _STR),
)

# The analysts' corrections file (fazhi.warehouse.corrections), loaded whole by every build.
CORRECTIONS = _table(
    "corrections",
    ("correction_id", "varchar not null", _STR),
    ("created_at", "timestamp not null", _TS),
    ("sha256", "varchar not null", _STR),
    ("report_id", "varchar", _STR),
    ("source_file", "varchar", _STR),
    ("indicator_code", "varchar not null", _STR),
    ("action", "varchar not null", _STR),
    ("value", "double", _FLOAT),
    ("qualifier", "varchar", _STR),
    ("reason", "varchar not null", _STR),
)

TABLES = (REPORTS, CANDIDATES, ATTEMPTS, PLACES, REPORT_SENTENCES, CORRECTIONS)

SCHEMA_SQL = "\n".join([
    "create schema if not exists raw;",
    *(t.create_sql() for t in TABLES),
    "create sequence if not exists raw.attempt_seq;",
])
