"""Bad-input soak: a folder of good reports in every supported form mixed with files that are not
reports (empty, binary, PDF, DOCX, NUL bytes, truncated multibyte, 30 MB, a dangling symlink, a
FIFO, odd file names). `fazhi ingest` must finish, account for every file in ingest_files (with a
one-line reason for each quarantined one), and land every good report; `fazhi build` must pass.
"""
from __future__ import annotations

import io
import os
import random
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLES, run_fazhi

sys.path.insert(0, str(ROOT / "scripts"))
import synth_corpus

pytestmark = pytest.mark.slow

SAMPLE = {p.name[:3]: p for p in SAMPLES.glob("*.txt")}


def _text(key: str) -> str:
    return SAMPLE[key].read_text(encoding="utf-8")


def _enc(text: str, codec: str) -> bytes:
    """The text in a legacy codec; the few characters it cannot encode (• \xa0 ...) dropped."""
    return text.encode(codec, errors="ignore")


def _html(text: str, charset: str) -> str:
    paras = "".join(f"<p>{line}</p>\n" for line in text.splitlines() if line.strip())
    return (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>报告</title></head><body><div class=\"nav\">首页 &gt; 政务公开</div>"
            f"<div class=\"article\">{paras}</div></body></html>")


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", "<w:document><w:body><w:p><w:t>法治政府建设</w:t></w:p></w:body></w:document>")
    return buf.getvalue()


@pytest.fixture(scope="module")
def soak(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("soak")
    folder = base / "in"
    folder.mkdir()
    rng = random.Random(20240601)
    must_land: dict[str, bytes] = {}
    must_quarantine: dict[str, str] = {}  # name -> a word the reason must contain
    either: set[str] = set()

    def put(name: str, data: bytes) -> str:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        return name

    # good: the samples as shipped, re-encoded, as HTML, under odd names, plus synthetic reports
    for _key, path in SAMPLE.items():
        must_land[put(f"utf8/{path.name}", path.read_bytes())] = b""
    must_land[put("gbk/000_gbk.txt", _enc(_text("000"), "gbk"))] = b""
    must_land[put("gbk/001_gb18030.txt", _text("001").encode("gb18030"))] = b""
    must_land[put("utf16/002_utf16.txt", _text("002").encode("utf-16"))] = b""
    must_land[put("utf16/004_utf16be_bom.txt", "\ufeff".encode("utf-16-be") + _text("004").encode("utf-16-be"))] = b""
    must_land[put("bom/001_utf8_bom.txt", b"\xef\xbb\xbf" + _text("001").encode("utf-8"))] = b""
    big5 = synth_corpus._s2t(_text("004"))
    must_land[put("big5/004_big5.txt", _enc(big5, "big5"))] = b""
    must_land[put("html/002.html", _html(_text("002"), "utf-8").encode("utf-8"))] = b""
    must_land[put("html/000_gbk.htm", _enc(_html(_text("000"), "gbk"), "gbk"))] = b""
    must_land[put("名字 有 空格/2024年 法治政府建设 报告（终稿）.txt", _text("002").replace("2023", "2023 ").encode())] = b""
    for i in range(6):
        rep = synth_corpus.make_report(900_000 + i, seed=5)
        must_land[put(f"synthetic/{Path(rep.name).name}", rep.data)] = b""
    # a symlink to a good file outside the folder lands like the file
    outside = base / "outside.txt"
    outside.write_bytes(_text("001").replace("2024年,区政府", "2024年，区政府").encode())
    (folder / "link_to_report.txt").symlink_to(outside)
    must_land["link_to_report.txt"] = b""

    # bad: not reports
    must_quarantine[put("bad/empty.txt", b"")] = "empty"
    must_quarantine[put("bad/whitespace.txt", b" \n\t\n  \r\n")] = ""
    must_quarantine[put("bad/random.bin", rng.randbytes(8192))] = "binary"
    must_quarantine[put("bad/random.txt", rng.randbytes(4096))] = ""
    must_quarantine[put("bad/report.pdf", b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >>\nendobj\n")] = "PDF"
    must_quarantine[put("bad/pdf_named_txt.txt", b"%PDF-1.7\n" + rng.randbytes(2000))] = "PDF"
    must_quarantine[put("bad/report.docx", _docx())] = "corrupt DOCX"
    must_quarantine[put("bad/docx_named_txt.txt", _docx())] = "corrupt DOCX"  # read by content, not by name
    big = (_text("001") * (30 * 1024 * 1024 // len(_text("001").encode()) + 1)).encode()
    must_quarantine[put("bad/huge_30MB.txt", big)] = "MB"
    (folder / "bad" / "gone.txt").symlink_to(base / "does-not-exist.txt")
    must_quarantine["bad/gone.txt"] = "not found"
    os.mkfifo(folder / "bad" / "pipe.txt")
    must_quarantine["bad/pipe.txt"] = "regular"
    # doubtful: may land (a tolerable defect) or be quarantined (with a reason)
    good = _text("001").encode()
    cut = next(i for i in range(len(good) // 2, len(good)) if good[i] >= 0xC0) + 1
    either.add(put("doubtful/truncated_multibyte.txt", good[:cut]))
    either.add(put("doubtful/nul_bytes.txt", good[:2000] + b"\x00\x00" + good[2000:]))
    either.add(put("doubtful/latin1_garbage.txt", "Ã¤Ã¶Ã¼ ".encode("latin-1") * 200))
    # a file name that is not UTF-8 (GBK bytes, as unzipped from a Chinese Windows archive)
    gbk_name = os.fsencode(folder / "names") + b"/" + "报告".encode("gbk") + b".txt"
    os.makedirs(folder / "names", exist_ok=True)
    with open(gbk_name, "wb") as handle:
        handle.write(_text("000").replace("2024年,泉州开发区", "2024年，泉州开发区").encode())
    must_land["names/\\xb1\\xa8\\xb8\\xe6.txt"] = b""
    # the same bytes twice: one lands, the other is a duplicate
    put("dup/a.txt", _text("004").encode() + b"\n")
    put("dup/b copy.txt", _text("004").encode() + b"\n")

    db = base / "fazhi.duckdb"
    ingest = run_fazhi("ingest", str(folder), "--db", str(db), "--json", timeout=600)
    build = run_fazhi("build", "--db", str(db), "--quiet", timeout=600)
    return {"folder": folder, "db": db, "land": must_land, "quarantine": must_quarantine,
            "either": either, "ingest": ingest, "build": build}


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_file_is_accounted_for(soak):
    folder = soak["folder"]
    files = {str(folder / n) for n in (*soak["land"], *soak["quarantine"], *soak["either"],
                                       "dup/a.txt", "dup/b copy.txt")}
    rows = {r[0]: r[1:] for r in _rows(soak["db"], "select source_file, status, reason from marts.ingest_files")}
    assert set(rows) == files, (set(rows) ^ files)
    for source, (status, reason) in rows.items():
        assert status in ("landed", "duplicate", "quarantined"), source
        if status != "landed":
            assert reason and "\n" not in reason and len(reason) < 400, (source, reason)


def test_good_files_land_as_reports(soak):
    folder = soak["folder"]
    rows = dict(_rows(soak["db"], "select source_file, status from marts.ingest_files"))
    reports = {r[0] for r in _rows(soak["db"], "select source_file from marts.dim_report")}
    for name in soak["land"]:
        source = str(folder / name)
        assert rows[source] == "landed", (name, rows[source])
        assert source in reports, name
    dup = sorted((rows[str(folder / "dup/a.txt")], rows[str(folder / "dup/b copy.txt")]))
    assert dup == ["duplicate", "landed"]


def test_bad_files_are_quarantined_with_a_reason(soak):
    folder = soak["folder"]
    rows = {r[0]: r[1:] for r in _rows(soak["db"], "select source_file, status, reason from marts.ingest_files")}
    for name, word in soak["quarantine"].items():
        status, reason = rows[str(folder / name)]
        assert status == "quarantined", (name, status)
        assert word.lower() in reason.lower(), (name, reason)


def test_ingest_and_build_exit_cleanly(soak):
    assert soak["ingest"].returncode == 0
    assert soak["build"].returncode == 0
    import json

    summary = json.loads(soak["ingest"].stdout)
    assert summary["files"] == len(soak["land"]) + len(soak["quarantine"]) + len(soak["either"]) + 2
    assert summary["quarantined"] >= len(soak["quarantine"])


def test_a_rerun_changes_nothing(soak):
    """Re-ingesting the same soak folder lands nothing new and keeps every status."""
    before = _rows(soak["db"].with_name("fazhi.work.duckdb"),
                   "select count(*), (select count(*) from raw.indicator_candidates) from raw.reports")
    proc = run_fazhi("ingest", str(soak["folder"]), "--db", str(soak["db"]), "--json")
    import json

    summary = json.loads(proc.stdout)
    assert summary["landed"] == 0
    after = _rows(soak["db"].with_name("fazhi.work.duckdb"),
                  "select count(*), (select count(*) from raw.indicator_candidates) from raw.reports")
    assert before == after
