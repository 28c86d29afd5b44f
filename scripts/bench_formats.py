"""Speed and memory of reading PDF, DOCX and scanned reports; writes the "Formats" section of
BENCHMARKS.md (kept in bench/results/formats.md, which scripts/bench.py appends when it renders).

    python scripts/bench_formats.py                  # text formats, a 20-page scan, a 200-page scan
    python scripts/bench_formats.py --long-pages 60  # a shorter long scan

1. Text layers: each bundled sample as .txt, as a text PDF and as a DOCX (made with
   tests/make_formats.py), through the per-report chain `process_bytes` on one core.
2. OCR: an image-only PDF through the real CLI (`fazhi ingest`, the process pool on every core):
   pages per second, CPU use, and the peak memory of the whole process tree, for a short and a
   long scan (flat memory: the long one must not need more than the short one).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import make_formats as mk  # noqa: E402

from fazhi.pipeline import _warm_up, process_bytes  # noqa: E402

SAMPLES = sorted((ROOT / "ingest" / "fazhi" / "samples").glob("*.txt"))
RESULT = ROOT / "bench" / "results" / "formats.md"
OUT = ROOT / "BENCHMARKS.md"
MARK = "## Formats: PDF, DOCX, scans"


def text_formats(repeats: int) -> list[str]:
    _warm_up()
    rows = []
    totals = {"txt": [0.0, 0], "pdf": [0.0, 0], "docx": [0.0, 0]}
    for sample in SAMPLES:
        data = sample.read_bytes()
        paras = mk.paragraphs(data.decode("utf-8"))
        files = {"txt": data, "pdf": mk.text_pdf(paras), "docx": mk.docx_bytes(paras)}
        row = [sample.name[:3], f"{len(data.decode('utf-8')):,}"]
        for kind, blob in files.items():
            sha = hashlib.sha256(blob).hexdigest()
            t0 = time.process_time()
            for _ in range(repeats):
                processed = process_bytes(blob, f"r.{kind}", sha)
            ms = (time.process_time() - t0) / repeats * 1000
            totals[kind][0] += ms
            totals[kind][1] += processed.report_row["char_count"]
            pages = processed.report_row["page_count"]
            row.append(f"{ms:.0f}" + (f" ({pages} p.)" if kind == "pdf" else ""))
        rows.append("| " + " | ".join(row) + " |")
    lines = [
        "### Text layers (one core, per report: read + extract)",
        "",
        "| sample | chars | .txt ms | text PDF ms (pages) | DOCX ms |",
        "|---|---:|---:|---:|---:|",
        *rows,
    ]
    speed = {k: v[1] / (v[0] / 1000) for k, v in totals.items()}
    lines += [
        "",
        f"Throughput per core: .txt {speed['txt']:,.0f} chars/s, text PDF {speed['pdf']:,.0f} chars/s "
        f"({speed['pdf'] / speed['txt']:.0%} of plain text), DOCX {speed['docx']:,.0f} chars/s "
        f"({speed['docx'] / speed['txt']:.0%}).",
        "",
    ]
    return lines


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (kB), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def _first_pages(pdf: bytes, pages: int) -> bytes:
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    keep = pdfium.PdfDocument.new()
    keep.import_pages(doc, list(range(pages)))
    buf = io.BytesIO()
    keep.save(buf)
    return buf.getvalue()


def full_pages(pages: int) -> bytes:
    """`pages` full pages of the samples' text (~28 lines a page), as a scan."""
    paras: list[str] = []
    while True:
        for sample in SAMPLES:
            paras += mk.paragraphs(sample.read_text(encoding="utf-8"))
        text_pdf = mk.text_pdf(paras, header=None)
        if len(mk.page_images(text_pdf, dpi=10, tilt=0.0)) >= pages:
            return mk.scan_pdf(_first_pages(text_pdf, pages))


def light_pages(pages: int) -> bytes:
    """`pages` pages of one short paragraph each (~4 lines), as a scan: the memory run, where
    what matters is the number of pages, not the OCR work on each."""
    paras = [p for sample in SAMPLES for p in mk.paragraphs(sample.read_text(encoding="utf-8")) if 60 < len(p) < 120]
    text = [paras[i % len(paras)] for i in range(pages)]
    return mk.scan_pdf(mk.text_pdf(text, header=None, page_breaks=True))


def scan(pdf: bytes, pages: int, kind: str, work: Path) -> dict:
    """An image-only PDF of `pages` pages through `fazhi ingest` on every core."""
    name = f"{kind.split()[0]}{pages}"
    path = work / f"{name}.pdf"
    path.write_bytes(pdf)
    db = work / f"{name}.duckdb"
    cmd = [sys.executable, "-m", "fazhi.cli", "ingest", str(path), "--db", str(db), "--json"]
    start = time.perf_counter()
    before = os.times()
    out = work / f"{name}.json"
    with open(out, "w") as handle:
        proc = subprocess.Popen(["nice", "-n", "10", *cmd], cwd=ROOT, stdout=handle)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.5)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if proc.returncode:
        raise SystemExit(f"fazhi ingest failed on the {pages}-page scan")
    import json

    import duckdb

    con = duckdb.connect(json.loads(out.read_text())["work_db"], read_only=True)  # ingest's working copy
    text_source, chars = con.execute("select text_source, char_count from raw.reports").fetchone()
    con.close()
    return {"pages": pages, "kind": kind, "mb": len(pdf) / 1e6, "wall": wall, "cpu": cpu,
            "peak_mb": peak / 1024, "text_source": text_source, "chars": chars}


def scans(short: int, long: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        results = [scan(full_pages(short), short, "full (~28 lines)", Path(tmp)),
                   scan(light_pages(short), short, "light (~4 lines)", Path(tmp)),
                   scan(light_pages(long), long, "light (~4 lines)", Path(tmp))]
    cores = len(os.sched_getaffinity(0))
    lines = [
        f"### Scans (OCR through `fazhi ingest`, {cores} cores, process pool)",
        "",
        "| pages | page text | PDF MB | wall s | pages/s | CPU s per page | pages/s if the 2 cores were ours "
        "| CPU use | peak memory of the process tree MB | landed as |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['pages']} | {r['kind']} | {r['mb']:.1f} | {r['wall']:.0f} | {r['pages'] / r['wall']:.2f} | "
            f"{r['cpu'] / r['pages']:.1f} | {cores * r['pages'] / r['cpu']:.2f} | "
            f"{r['cpu'] / r['wall'] / cores:.0%} of {cores} cores | {r['peak_mb']:,.0f} | "
            f"{r['text_source']}, {r['chars']:,} chars |"
        )
    lines += [
        "",
        "Pages are rendered at 2000 px on the long side and read by RapidOCR (PP-OCRv4 mobile det + rec, "
        "onnxruntime, one thread per worker), two pages per task; a worker holds one page image at a time. "
        "Other engineers' jobs share the 2 cores (wall times and CPU use are theirs as much as ours): "
        "CPU s per page is the cost, and `2 / CPU s per page` the pages/s of an otherwise idle machine.",
        "",
    ]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--short-pages", type=int, default=10)
    ap.add_argument("--long-pages", type=int, default=200)
    ap.add_argument("--text-only", action="store_true", help="measure text layers again, keep the last scans")
    args = ap.parse_args()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    lines = [MARK, "", f"Generated by `scripts/bench_formats.py` (`make bench-formats`) at {stamp}.", ""]
    lines += text_formats(args.repeats)
    previous = RESULT.read_text(encoding="utf-8") if RESULT.exists() else ""
    if args.text_only and "### Scans" in previous:  # keep the last (long) OCR measurement
        lines += ["### Scans" + previous.split("### Scans", 1)[1].rstrip("\n"), ""]
    else:
        lines += scans(args.short_pages, args.long_pages)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text("\n".join(lines), encoding="utf-8")
    text = OUT.read_text(encoding="utf-8") if OUT.exists() else "# Benchmarks\n"
    head = text.split(MARK)[0].rstrip("\n")
    OUT.write_text(head + "\n\n" + "\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
