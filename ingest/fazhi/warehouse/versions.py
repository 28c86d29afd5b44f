"""Report identity and versions: which report each source holds now.

A report's *source* is where it comes from: the URL of a manifest row when there is one, else the
file's real path (`source_key`; `source_file` stays the path as given). Its *content* is the sha256
of the bytes (`report_id` = its first 16 hex digits) and `text_sha256`, the hash of the decoded
text, so the same report as UTF-8 and as GBK is one report.

The ingest's parent (holding the writer lock, so nobody else changes the warehouse meanwhile)
loads every source's current report and every report's sources once, then decides each file in
input order:

* same bytes as a current report: `landed` again (unchanged) when it is that report's source,
  else `duplicate` of the file that landed it;
* same text as a current report (another encoding): `duplicate`, the reason says so;
* new content: a new report. The report its source held before loses that source; a report no
  source holds any more is *retired*: moved to raw.report_history (change = superseded, with the
  id that replaced it) in the same transaction that lands its successor, its candidates and sentences
  dropped (the kept text can be re-extracted). A report that another source still holds stays current
  and takes that source's name.

A source that turns unreadable (quarantined) keeps its last good version; `fazhi remove SOURCE`
takes a report out (change = removed). raw.reports thus holds current versions only.
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

__all__ = ["Changes", "Versions", "apply_changes", "resolve_source", "source_key"]


def source_key(path: str, url: str | None = None) -> str:
    """The identity of a source: its URL when a manifest gives one, else the real path."""
    if url:
        return url
    real = os.path.realpath(path)
    try:  # a file name that is not UTF-8 (GBK bytes from a Windows zip): its bytes, escaped
        real.encode("utf-8")
        return real
    except UnicodeEncodeError:
        return os.fsencode(real).decode("utf-8", errors="backslashreplace")


@dataclass(slots=True)
class Changes:
    """What a landing batch does to earlier versions (applied in its transaction)."""

    retire: list[tuple[str, str, str | None]] = field(default_factory=list)  # (report_id, change, superseded_by)
    rename: dict[str, tuple[str, str]] = field(default_factory=dict)  # report_id -> (source_key, source_file)

    def __bool__(self) -> bool:
        return bool(self.retire or self.rename)


def apply_changes(con: duckdb.DuckDBPyConnection, changes: Changes) -> None:
    """Move retired reports to raw.report_history and rename reports whose source moved.
    Runs inside the caller's transaction."""
    if changes.retire:
        con.execute("create or replace temp table retiring (report_id varchar, change varchar, superseded_by varchar)")
        con.executemany("insert into retiring values (?, ?, ?)", changes.retire)
        con.execute(
            "insert into raw.report_history by name "
            "select r.*, current_timestamp::timestamp as retired_at, t.change, t.superseded_by "
            "from raw.reports r join retiring t using (report_id)")
        con.execute("delete from raw.indicator_candidates where report_id in (select report_id from retiring)")
        con.execute("delete from raw.report_sentences where report_id in (select report_id from retiring)")
        con.execute("delete from raw.reports where report_id in (select report_id from retiring)")
        con.execute("drop table retiring")
    for report_id, (key, file) in changes.rename.items():
        con.execute("update raw.reports set source_key = ?, source_file = ? where report_id = ?", [key, file, report_id])


def _legacy_key(source_file: str) -> str:
    # rows landed before source keys existed: the path as given, resolved from here
    return source_key(source_file) if not source_file.startswith(("http://", "https://")) else source_file


class Versions:
    """The current report of every source and the sources of every report, kept up to date as a
    run decides its files; `take_changes()` hands the retirements to the next landing batch."""

    def __init__(self, con: duckdb.DuckDBPyConnection, extractor_version: str):
        self.file_of: dict[str, str] = {}  # report_id -> source_file shown for it
        self.key_of: dict[str, str] = {}  # report_id -> source_key of the file that landed it
        self.text_of: dict[str, str] = {}  # report_id -> text_sha256
        self.by_text: dict[str, str] = {}  # text_sha256 -> report_id
        self.known: dict[str, str] = {}  # sha256 -> report_id (current, by this extractor version)
        self.sha_of: dict[str, str] = {}  # report_id -> sha256
        self.stale: set[str] = set()  # report ids landed by another extractor version
        for rid, sha, text_sha, file, key, version in con.execute(
                "select report_id, sha256, text_sha256, source_file, source_key, extractor_version "
                "from raw.reports").fetchall():
            self.file_of[rid] = file
            self.key_of[rid] = key or _legacy_key(file)
            self.sha_of[rid] = sha
            if text_sha:
                self.text_of[rid] = text_sha
                self.by_text.setdefault(text_sha, rid)
            if version == extractor_version:
                self.known[sha] = rid
            else:
                self.stale.add(rid)
        self.report_of: dict[str, str] = {}  # source_key -> report_id
        self.sources: dict[str, dict[str, str]] = defaultdict(dict)  # report_id -> {source_key: source_file}
        rows = con.execute(
            "select source_key, source_file, status, report_id from raw.ingest_attempts "
            "where status in ('landed', 'duplicate', 'removed') "
            "qualify row_number() over (partition by coalesce(source_key, source_file) order by attempt_seq desc) = 1"
        ).fetchall()
        self.landed_keys: set[str] = set()  # sources whose report was landed from them (not duplicates)
        for key, file, status, rid in rows:
            key = key or _legacy_key(file)
            if status != "removed" and rid in self.file_of:
                self.report_of[key] = rid
                self.sources[rid][key] = file
                if status == "landed":
                    self.landed_keys.add(key)
        self.seen: dict[str, str] = {}  # sha256 -> source_file landed earlier in this run
        self.seen_text: dict[str, tuple[str, str]] = {}  # text_sha256 -> (report_id, source_file), this run
        self._changes = Changes()

    # -- deciding one file -------------------------------------------------------------

    def landed_from(self, key: str, report_id: str) -> bool:
        """True when the report was landed from this source, now or the last time the source was
        ingested (its other sources are duplicates, and stay so)."""
        if self.report_of.get(key) == report_id:
            return key in self.landed_keys
        return self.key_of.get(report_id) == key

    def duplicate_of_text(self, text_sha: str, report_id: str) -> tuple[str, str] | None:
        """(report_id, file) of another current report with the same text, if any."""
        if text_sha in self.seen_text and self.seen_text[text_sha][0] != report_id:
            return self.seen_text[text_sha]
        other = self.by_text.get(text_sha)
        if other is not None and other != report_id:
            return other, self.file_of[other]
        return None

    def landing(self, report_id: str, sha: str, text_sha: str | None, key: str, file: str) -> None:
        """A new report (or a re-extraction) lands in this run, from source `key`."""
        self.seen[sha] = file
        self.key_of[report_id] = key
        self.known[sha] = report_id
        self.sha_of[report_id] = sha
        self.file_of.setdefault(report_id, file)
        if text_sha:
            self.seen_text[text_sha] = (report_id, file)
            self.by_text.setdefault(text_sha, report_id)
            self.text_of[report_id] = text_sha

    def point(self, key: str, file: str, report_id: str, status: str) -> None:
        """Source `key` now holds `report_id` (landed from it, or as a duplicate): the report it
        held before may be retired."""
        before = self.report_of.get(key)
        if before is not None and before != report_id:
            self._detach(key, before, report_id, "superseded")
        self.report_of[key] = report_id
        self.sources[report_id][key] = file
        if status == "landed":
            self.landed_keys.add(key)
        else:
            self.landed_keys.discard(key)

    def remove(self, report_id: str) -> list[tuple[str, str]]:
        """Take a report out: its (source_key, source_file) pairs, for their `removed` rows."""
        held = list(self.sources.get(report_id, {}).items())
        for key, _ in held:
            self.report_of.pop(key, None)
            self.landed_keys.discard(key)
        self.sources.pop(report_id, None)
        self._retire(report_id, "removed", None)
        return held

    def take_changes(self) -> Changes:
        changes, self._changes = self._changes, Changes()
        return changes

    def _detach(self, key: str, report_id: str, successor: str, change: str) -> None:
        held = self.sources.get(report_id, {})
        file = held.pop(key, None)
        if held:
            if self.file_of.get(report_id) == file:  # its name was this source's: take another one's
                other_key, other_file = next(iter(held.items()))
                self.file_of[report_id], self.key_of[report_id] = other_file, other_key
                self._changes.rename[report_id] = (other_key, other_file)
            return
        self._retire(report_id, change, successor)

    def _retire(self, report_id: str, change: str, successor: str | None) -> None:
        self._changes.retire.append((report_id, change, successor))
        self._changes.rename.pop(report_id, None)
        self.file_of.pop(report_id, None)
        self.key_of.pop(report_id, None)
        sha = self.sha_of.pop(report_id, None)
        if sha is not None and self.known.get(sha) == report_id:
            del self.known[sha]
        text_sha = self.text_of.pop(report_id, None)
        if text_sha and self.by_text.get(text_sha) == report_id:
            del self.by_text[text_sha]
        self.sources.pop(report_id, None)


def resolve_source(con: duckdb.DuckDBPyConnection, given: str) -> list[tuple[str, str]]:
    """Current reports that SOURCE names: a report_id, a URL or path (the file may be gone), the
    path as it was given to ingest, or a file name. [(report_id, source_file)], maybe several."""
    key = source_key(given, given if given.startswith(("http://", "https://")) else None)
    rows = con.execute(
        "select distinct r.report_id, r.source_file from raw.reports r "
        "left join raw.ingest_attempts a on a.report_id = r.report_id and a.status in ('landed', 'duplicate') "
        "where r.report_id = ? or r.source_key = ? or r.source_file = ? "
        "or a.source_key = ? or a.source_file = ? order by 1",
        [given, key, given, key, given]).fetchall()
    if rows or "/" in given or os.sep in given:
        return rows
    return con.execute(  # a bare file name: every current report whose file has that name
        "select report_id, source_file from raw.reports where regexp_extract(source_file, '[^/\\\\]*$') = ? "
        "order by 1", [given]).fetchall()
