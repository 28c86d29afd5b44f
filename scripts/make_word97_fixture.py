"""Make tests/fixtures/formats/sample002.doc: the bundled sample report 002 with a small table
(an empty cell, a cell of two paragraphs) as a Word 97-2003 file, written by LibreOffice.

Word 97 files cannot be written without an office suite, so the result is committed; run this
again only to change it (needs `apt-get install libreoffice-writer-nogui`):
    .venv/bin/python scripts/make_word97_fixture.py
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.shared import Pt

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "ingest" / "fazhi" / "samples" / "002_ae7bc27bfd6d05d1.txt"
OUT = ROOT / "tests" / "fixtures" / "formats" / "sample002.doc"
TABLE = [["类别", "受理", "办结"], ["行政复议", "", "37"], ["行政诉讼", "12", "9"]]


def main() -> None:
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
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sample002.docx"
        doc.save(src)
        subprocess.run(["soffice", "--headless", "--convert-to", "doc", "--outdir", tmp, str(src)],
                       check=True, capture_output=True)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(tmp) / "sample002.doc", OUT)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
