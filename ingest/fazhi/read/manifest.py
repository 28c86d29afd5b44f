"""An ingest manifest: the web page each report file was taken from (`fazhi ingest --manifest`).

A CSV with a header row holding `file` and `url` (any other columns are ignored). `file` is a
path as given to ingest, or relative to the manifest's folder, or a bare file name (used only
when one manifest row has it). Users who scraped reports usually have this list; the URL is kept
as `dim_report.source_url` and is one more piece of evidence for the jurisdiction.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path


class ManifestError(ValueError):
    """The manifest cannot be used (missing, not a CSV with file and url columns)."""


@dataclass(frozen=True, slots=True)
class Manifest:
    by_path: dict[str, str]  # absolute normalised path -> url
    by_name: dict[str, str | None]  # file name -> url (None when two rows share the name)
    rows: int

    def url_for(self, path: str | Path) -> str | None:
        """The URL the manifest gives for a file being ingested, or None."""
        key = os.path.normpath(os.path.abspath(path))
        if key in self.by_path:
            return self.by_path[key]
        return self.by_name.get(os.path.basename(key))


def read_manifest(path: str | Path) -> Manifest:
    """Read a manifest; ManifestError with a one-line reason when it cannot be used."""
    path = Path(path)
    if not path.is_file():
        raise ManifestError(f"manifest not found: {path}")
    by_path: dict[str, str] = {}
    by_name: dict[str, str | None] = {}
    rows = 0
    base = path.resolve().parent
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
            if "file" not in fields or "url" not in fields:
                raise ManifestError(f"manifest {path} needs a header with 'file' and 'url' columns")
            for row in reader:
                file, url = (row.get(fields["file"]) or "").strip(), (row.get(fields["url"]) or "").strip()
                if not file or not url:
                    continue
                rows += 1
                for candidate in {file, str(base / file)}:
                    by_path[os.path.normpath(os.path.abspath(candidate))] = url
                name = os.path.basename(file)
                by_name[name] = url if by_name.get(name, url) == url else None
    except UnicodeDecodeError as exc:
        raise ManifestError(f"manifest {path} is not UTF-8 text: {exc.reason}") from exc
    except csv.Error as exc:
        raise ManifestError(f"manifest {path} is not a readable CSV: {exc}") from exc
    return Manifest(by_path, by_name, rows)
