"""The formats the readers take: the one list of supported file extensions.

`fazhi ingest` reads a file only when its extension is in SUPPORTED_EXTENSIONS, or when it has
none (content decides: scraped pages are often saved without one). Any other file is
quarantined with `unsupported_reason`, so a `.md` note or a `.csv` table in a folder of reports
never lands as a report. A reader that learns a format adds its extensions here.
"""
from __future__ import annotations

import os
import re

__all__ = [
    "DOCUMENT_FORMATS", "FORMAT_NAMES", "HTML_EXTENSIONS", "SUPPORTED_EXTENSIONS", "TEXT_EXTENSIONS",
    "extension", "unsupported_reason",
]

TEXT_EXTENSIONS = frozenset({".txt", ".text"})
# web pages as saved from government sites, whatever the server's page technology
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml", ".shtm", ".asp", ".aspx", ".jsp", ".php"})
# documents and scans the readers of document.py take (told apart by content; the name is a promise)
DOCUMENT_FORMATS = {".pdf": "PDF", ".docx": "DOCX file", ".doc": "Word file", ".wps": "WPS file",
                    ".png": "PNG image", ".jpg": "JPEG image", ".jpeg": "JPEG image",
                    ".tif": "TIFF image", ".tiff": "TIFF image", ".bmp": "BMP image",
                    ".gif": "GIF image", ".webp": "WebP image"}
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | frozenset(DOCUMENT_FORMATS)

# binary formats decode refuses by extension (a file that reaches it under such a name is not what
# its name says, or no reader takes the format), by name
FORMAT_NAMES = {
    ".pdf": "PDF document", ".doc": "Word document", ".docx": "Word document",
    ".wps": "WPS document", ".odt": "OpenDocument text", ".rtf": "RTF document",
    ".xls": "spreadsheet", ".xlsx": "spreadsheet", ".et": "spreadsheet",
    ".ods": "spreadsheet", ".ppt": "presentation", ".pptx": "presentation",
    ".ofd": "OFD document", ".zip": "ZIP archive", ".rar": "RAR archive",
    ".7z": "7z archive", ".gz": "gzip archive", ".png": "PNG image",
    ".jpg": "JPEG image", ".jpeg": "JPEG image", ".gif": "GIF image",
    ".bmp": "BMP image", ".tif": "TIFF image", ".tiff": "TIFF image",
    ".webp": "WebP image",
}
# text that is not a report, by name (for the quarantine reason)
_OTHER_TEXT_NAMES = {".md": "Markdown note", ".csv": "table (CSV)", ".json": "JSON data", ".xml": "XML data"}

# an extension is a short alphanumeric suffix; "报告(2023.12)" has none, content decides
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")


def extension(name: str) -> str:
    """The lower-case extension of a file name ('' when it has none)."""
    found = _EXTENSION.search(os.path.basename(name))
    return found.group().lower() if found else ""


def unsupported_reason(name: str) -> str | None:
    """Why no reader takes this file, or None when one does (or its content will decide)."""
    ext = extension(name)
    if not ext or ext in SUPPORTED_EXTENSIONS:
        return None
    what = FORMAT_NAMES.get(ext) or _OTHER_TEXT_NAMES.get(ext, "file type")
    return f"unsupported {what} ({ext}): not read as a report; fazhi reads {_READABLE}"


_READABLE = ", ".join(sorted(TEXT_EXTENSIONS | {".html", ".htm"} | frozenset(DOCUMENT_FORMATS) - {".jpeg", ".tiff"})) \
    + " and saved web pages"
