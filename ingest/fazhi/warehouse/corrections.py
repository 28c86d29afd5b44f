"""Analysts' corrections: kept in a file beside the warehouse, applied by every build.

The file is the analyst's, not the warehouse's: `<warehouse>.corrections.csv` next to the
serving file (`warehouse/fazhi.corrections.csv`), or `$FAZHI_CORRECTIONS` / `--corrections`.
One row per correction ever made, never rewritten in place and never pruned: the last row for a
report and indicator is the one in force, earlier ones are listed as superseded.

A correction is keyed by the report's content hash (sha256 of its bytes), not by its path or
row id, so it survives a moved file, a re-extraction (a new extractor version) and a rebuild
from scratch; a correction for a file not ingested yet waits (pending) until the file lands.
`fazhi build` loads the file into raw.corrections before dbt runs; the models apply it
(int_candidates_corrected).
"""
from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import os
import re
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa

from fazhi.warehouse.schema import CORRECTIONS

__all__ = [
    "Action", "Correction", "CorrectionError", "Source", "append", "corrections_path", "file_sha256", "load_into",
    "new", "read", "resolve_source", "statuses",
]

Action = Literal["set", "reject"]
QUALIFIERS = ("exact", "approx", "at_least", "at_most")
FIELDS = CORRECTIONS.names
_SHA256 = re.compile(r"[0-9a-f]{64}")
_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?\s*[%％]?")
_MAGNITUDE = {"": 1, "千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12}


class CorrectionError(ValueError):
    """A correction that cannot be made or a file that cannot be read; one line, for stderr."""


@dataclass(slots=True)
class Correction:
    correction_id: str
    created_at: str  # ISO 8601, UTC
    sha256: str
    report_id: str  # as known when the correction was made (for people; the key is sha256)
    source_file: str
    indicator_code: str
    action: Action
    value: float | None
    qualifier: str | None
    reason: str


def corrections_path(serving: Path, override: Path | None = None) -> Path:
    """--corrections, else $FAZHI_CORRECTIONS, else <serving stem>.corrections.csv beside it."""
    if override is not None:
        return override.expanduser().resolve()
    env = os.environ.get("FAZHI_CORRECTIONS")
    if env:
        return Path(env).expanduser().resolve()
    return serving.with_name(serving.stem + ".corrections.csv")


def read(path: Path) -> list[Correction]:
    """Every correction in the file, in order (none when the file does not exist)."""
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [f for f in FIELDS if f not in (reader.fieldnames or [])]
        if missing:
            raise CorrectionError(f"{path}: not a corrections file (missing columns: {', '.join(missing)})")
        out = []
        for line, row in enumerate(reader, start=2):
            try:
                out.append(_parse(row))
            except (ValueError, KeyError) as exc:
                raise CorrectionError(f"{path}, line {line}: {exc}") from exc
    return out


def _parse(row: dict[str, str]) -> Correction:
    action = row["action"].strip()
    if action not in ("set", "reject"):
        raise ValueError(f"action must be set or reject, not {action!r}")
    sha = row["sha256"].strip().lower()
    if not _SHA256.fullmatch(sha):
        raise ValueError(f"sha256 must be 64 hex digits, not {sha!r}")
    value = row["value"].strip()
    qualifier = row["qualifier"].strip() or None
    if qualifier is not None and qualifier not in QUALIFIERS:
        raise ValueError(f"qualifier must be one of {', '.join(QUALIFIERS)}")
    if not row["reason"].strip():
        raise ValueError("a correction needs a reason")
    datetime.fromisoformat(row["created_at"].strip())
    return Correction(
        correction_id=row["correction_id"].strip(), created_at=row["created_at"].strip(), sha256=sha,
        report_id=row["report_id"].strip(), source_file=row["source_file"],
        indicator_code=row["indicator_code"].strip(), action=action,  # type: ignore[arg-type]
        value=float(value) if value else None, qualifier=qualifier, reason=row["reason"].strip(),
    )


def new(sha256: str, report_id: str, source_file: str, indicator_code: str, action: Action,
        value: float | None, qualifier: str | None, reason: str) -> Correction:
    now = datetime.now(timezone.utc)
    return Correction(
        correction_id=f"{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}", created_at=now.isoformat(timespec="microseconds"),
        sha256=sha256, report_id=report_id, source_file=source_file, indicator_code=indicator_code,
        action=action, value=value if action == "set" else None,
        qualifier=(qualifier or "exact") if action == "set" else None, reason=reason.strip(),
    )


def append(path: Path, correction: Correction) -> None:
    """Add one correction. The file is rewritten whole under a temporary name and renamed into
    place (fsynced), so a crash leaves the old file or the new one, never half a row; an exclusive
    lock on a sibling file (`.<name>.lock`) makes two analysts' corrections at the same moment
    both land, instead of the second rewrite dropping the first's row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # released when the file closes
        _rewrite_with(path, correction)


def _rewrite_with(path: Path, correction: Correction) -> None:
    existing = path.read_bytes() if path.exists() else b""
    if existing:
        read(path)  # refuse to append to a file that is not a corrections file
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    if not existing:
        writer.writeheader()
    writer.writerow({k: ("" if v is None else (repr(v) if isinstance(v, float) else v))
                     for k, v in asdict(correction).items()})
    data = existing + (b"" if not existing or existing.endswith(b"\n") else b"\n") + buffer.getvalue().encode()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def load_into(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Replace raw.corrections with the file's rows, in one transaction; returns the count."""
    rows = read(path)
    schema = CORRECTIONS.arrow_schema()
    columns = {f.name: [getattr(c, f.name) for c in rows] for f in schema}
    columns["created_at"] = [datetime.fromisoformat(c.created_at).astimezone(timezone.utc).replace(tzinfo=None)
                             for c in rows]
    table = pa.Table.from_pydict({f.name: pa.array(columns[f.name], f.type) for f in schema}, schema=schema)
    con.execute("begin")
    try:
        con.execute("delete from raw.corrections")
        con.register("file_corrections", table)
        con.execute("insert into raw.corrections by name select * from file_corrections")
        con.unregister("file_corrections")
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
    return len(rows)


@dataclass(slots=True)
class Source:
    sha256: str
    report_id: str
    source_file: str
    landed: bool


def resolve_source(con: duckdb.DuckDBPyConnection | None, source: str) -> Source:
    """The one report SOURCE names: a report_id or sha256 in the warehouse, the path of a file
    (landed or not: its bytes are hashed), or a file name or path that one landed report came
    from. Raises CorrectionError with the candidates when it names none or several."""
    reports = [] if con is None else con.execute(
        "select sha256, report_id, source_file from marts.dim_report").fetchall()
    by_sha = {sha: (sha, rid, src) for sha, rid, src in reports}
    for sha, rid, src in reports:
        if source in (rid, sha):
            return Source(sha, rid, src, True)
    path = Path(source).expanduser()
    if path.is_file():
        sha = file_sha256(path)
        if sha in by_sha:
            _, rid, src = by_sha[sha]
            return Source(sha, rid, src, True)
        return Source(sha, "", str(path.resolve()), False)
    wanted = source.replace("\\", "/")
    matches = [r for r in reports if r[2].replace("\\", "/") == wanted]
    if not matches:
        matches = [r for r in reports if r[2].replace("\\", "/").endswith("/" + wanted.lstrip("/"))
                   or Path(r[2]).name == wanted]
    if len(matches) == 1:
        sha, rid, src = matches[0]
        return Source(sha, rid, src, True)
    if matches:
        names = "; ".join(f"{rid} ({src})" for _, rid, src in matches[:5])
        raise CorrectionError(f"{source!r} names {len(matches)} reports: {names}; give a report_id")
    raise CorrectionError(f"no report is {source!r}: give a report_id (marts.dim_report), or the path "
                          "of the report file (one not ingested yet is fine: the correction waits for it)")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def statuses(corrections: list[Correction], con: duckdb.DuckDBPyConnection | None) -> list[dict]:
    """Each correction with its status: applied (in force in the published warehouse), pending
    (its report is not in the warehouse, or the warehouse was built before it was made) or
    superseded (a later correction of the same report and indicator is in force)."""
    landed: dict[str, tuple[str, str]] = {}
    built: set[str] = set()
    if con is not None:
        landed = {sha: (rid, src) for sha, rid, src in con.execute(
            "select sha256, report_id, source_file from marts.dim_report").fetchall()}
        built = {r[0] for r in con.execute("select correction_id from raw.corrections").fetchall()} \
            if _has_table(con, "raw", "corrections") else set()
    latest = {(c.sha256, c.indicator_code): c.correction_id for c in corrections}
    out = []
    for c in corrections:
        row = asdict(c)
        if latest[(c.sha256, c.indicator_code)] != c.correction_id:
            row["status"], row["why"] = "superseded", "a later correction of this report and indicator is in force"
        elif c.sha256 not in landed:
            row["status"], row["why"] = "pending", "the report is not in the warehouse (applied when it lands)"
        elif c.correction_id not in built:
            row["status"], row["why"] = "pending", "made after the last build (applied by the next `fazhi build`)"
        else:
            row["status"], row["why"] = "applied", ""
        if c.sha256 in landed:
            row["report_id"], row["source_file"] = landed[c.sha256]
        out.append(row)
    return out


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                       [schema, table]).fetchone()[0] > 0


def _serving_con(serving: Path) -> duckdb.DuckDBPyConnection | None:
    return duckdb.connect(str(serving), read_only=True) if serving.exists() else None


def _value(text: str | None, indicator: object) -> float:
    """VALUE as a number: 1661, 1,661, 99.5 (or 99.5%), 5484.12万 (a magnitude word multiplies)."""
    if text is None or not text.strip():
        raise CorrectionError("give the right VALUE, or --reject to take the figure out")
    m = _NUMBER.fullmatch(text.strip().replace(",", "").replace("，", ""))
    if not m:
        raise CorrectionError(f"VALUE {text!r} is not a number (e.g. 1661, 99.5, 5484.12万)")
    value = float(m.group(1)) * _MAGNITUDE[m.group(2) or ""]
    if value != value or value < 0 or value > 1e13:
        raise CorrectionError(f"VALUE {text!r} is out of range (0 to 1e13)")
    if getattr(indicator, "kind", "") == "rate" and value > 100:
        raise CorrectionError(f"{indicator.code} is a rate in percent: {value:g} is over 100")  # type: ignore[attr-defined]
    return value


def correct(serving: Path, source: str, indicator_code: str, value: str | None, *, reason: str,
            reject: bool = False, qualifier: str = "exact",
            corrections: Path | None = None) -> tuple[Correction, Path, Source]:
    """Check and append one correction (see `fazhi correct`); returns it, the file and the report."""
    from fazhi.rules import load_catalog

    if not reason.strip():
        raise CorrectionError("--reason is required: say what the report states, and where")
    indicators = load_catalog().indicators
    if indicator_code not in indicators:
        import difflib

        close = difflib.get_close_matches(indicator_code, list(indicators), n=3, cutoff=0.5)
        raise CorrectionError(f"unknown indicator {indicator_code!r}" + (f"; close: {', '.join(close)}" if close else "")
                              + " (see marts.dim_indicator)")
    if reject and value is not None:
        raise CorrectionError("--reject takes no VALUE")
    if qualifier not in QUALIFIERS:
        raise CorrectionError(f"--qualifier must be one of {', '.join(QUALIFIERS)}")
    number = None if reject else _value(value, indicators[indicator_code])
    con = _serving_con(serving)
    try:
        found = resolve_source(con, source)
    finally:
        if con is not None:
            con.close()
    path = corrections_path(serving, corrections)
    made = new(found.sha256, found.report_id, found.source_file, indicator_code,
               "reject" if reject else "set", number, qualifier, reason)
    append(path, made)
    return made, path, found


def listing(serving: Path, corrections: Path | None = None) -> tuple[Path, list[dict]]:
    """The corrections file and every correction in it with its status."""
    path = corrections_path(serving, corrections)
    con = _serving_con(serving)
    try:
        return path, statuses(read(path), con)
    finally:
        if con is not None:
            con.close()


def score(serving: Path) -> dict:
    """The extractor scored against the corrections in force (labelled data): a `set` is the
    right figure of a report and indicator, a `reject` says the report states none. Compared with
    what the extractor chooses today (int_candidates_ranked, before corrections):
    agreed (same value), wrong_value, missed (nothing extracted), false_positive (a rejected
    figure still extracted), fixed (a rejected figure no longer extracted). Precision and recall
    over these labels only."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        rows = con.execute("""
            select c.action, c.value, e.value as extracted
            from intermediate.int_corrections_current as c
            left join intermediate.int_candidates_ranked as e
                on e.report_id = c.report_id and e.indicator_code = c.indicator_code and e.candidate_rank = 1
        """).fetchall()
    finally:
        con.close()
    counts = dict.fromkeys(("agreed", "wrong_value", "missed", "false_positive", "fixed"), 0)
    for action, value, extracted in rows:
        if action == "reject":
            counts["false_positive" if extracted is not None else "fixed"] += 1
        elif extracted is None:
            counts["missed"] += 1
        else:
            counts["agreed" if abs(extracted - value) <= max(1e-6 * abs(value), 1e-9) else "wrong_value"] += 1
    emitted = counts["agreed"] + counts["wrong_value"] + counts["false_positive"]
    expected = counts["agreed"] + counts["wrong_value"] + counts["missed"]
    return {"labels": len(rows), **counts,
            "precision": round(counts["agreed"] / emitted, 3) if emitted else None,
            "recall": round(counts["agreed"] / expected, 3) if expected else None}
