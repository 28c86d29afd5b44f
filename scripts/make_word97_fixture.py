"""Make the Word 97-2003 test files, written by LibreOffice from python-docx files:
tests/fixtures/formats/sample002.doc, the bundled sample report 002 with a small table (an empty
cell, a cell of two paragraphs); and tests/fixtures/formats/disclosure2021.doc, the made-up
2021 政府信息公开 report of tests/table_forms.py (blank cells, merged cells).

Word 97 files cannot be written without an office suite, so the result is committed; run this
again only to change them (needs `apt-get install libreoffice-writer-nogui`):
    .venv/bin/python scripts/make_word97_fixture.py [sample002] [disclosure2021]
"""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.shared import Pt

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "ingest" / "fazhi" / "samples" / "002_ae7bc27bfd6d05d1.txt"
OUT = ROOT / "tests" / "fixtures" / "formats" / "sample002.doc"
DISCLOSURE = ROOT / "tests" / "fixtures" / "formats" / "disclosure2021.doc"
TABLE = [["类别", "受理", "办结"], ["行政复议", "", "37"], ["行政诉讼", "12", "9"]]


def sample002() -> bytes:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(16)
    paras = [ln.strip() for ln in SAMPLE.read_text(encoding="utf-8").splitlines() if ln.strip()]
    for i, para in enumerate(paras):
        doc.add_paragraph(para)
        if i == 6:
            grid = doc.add_table(rows=len(TABLE), cols=3)
            grid.style = "Table Grid"
            for row, values in zip(grid.rows, TABLE):
                for cell, value in zip(row.cells, values):
                    cell.text = value
            grid.rows[0].cells[0].add_paragraph("（件）")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def disclosure2021() -> bytes:
    sys.path.insert(0, str(ROOT / "tests"))
    import make_formats
    from table_forms import disclosure_report_2021

    return make_formats.report_docx(disclosure_report_2021())


def main(names: list[str]) -> None:
    """Writes the named fixtures (all without names)."""
    makers = {"sample002": (sample002, OUT), "disclosure2021": (disclosure2021, DISCLOSURE)}
    for name in names or list(makers):
        make, out = makers[name]
        _to_word97(make(), out)


def _to_word97(docx: bytes, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (out.stem + ".docx")
        src.write_bytes(docx)
        subprocess.run(["soffice", "--headless", "--convert-to", "doc", "--outdir", tmp, str(src)],
                       check=True, capture_output=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(tmp) / (out.stem + ".doc"), out)
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1:])
