"""`fazhi ingest --manifest urls.csv`: each report's web page, kept and used as evidence."""
from __future__ import annotations

import duckdb
import pytest
from conftest import run_fazhi

from fazhi import pipeline
from fazhi.read.manifest import ManifestError, read_manifest

TOWNSHIP = "莲花街道2023年法治政府建设年度报告\n今年以来,莲花街道坚持依法行政,全年办理行政复议案件3件。\n"
COUNTY = "2023年,我县坚持依法行政。全年受理行政复议申请12件。\n"


def _reports(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select source_file, source_url, jurisdiction_id, jurisdiction_status from raw.reports order by source_file"
        ).fetchall()
    finally:
        con.close()


@pytest.fixture()
def corpus(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "lianhua.txt").write_text(TOWNSHIP, encoding="utf-8")
    (docs / "county.txt").write_text(COUNTY, encoding="utf-8")
    return tmp_path


def test_the_url_is_kept_and_decides_a_homonym_township(corpus):
    manifest = corpus / "urls.csv"
    manifest.write_text("file,url,notes\ndocs/lianhua.txt,https://www.szft.gov.cn/bmxx/post_1.html,x\n",
                        encoding="utf-8")
    db = corpus / "w.duckdb"
    pipeline.ingest(db, [corpus / "docs"], workers=1, manifest=read_manifest(manifest))
    rows = {r[0].rsplit("/", 1)[-1]: r[1:] for r in _reports(db)}
    assert rows["lianhua.txt"] == ("https://www.szft.gov.cn/bmxx/post_1.html", "440304-莲花街道", "resolved")
    assert rows["county.txt"][0] is None  # no manifest row: no URL


def test_ingesting_again_with_a_url_reads_the_report_again(corpus):
    db = corpus / "w.duckdb"
    pipeline.ingest(db, [corpus / "docs" / "lianhua.txt"], workers=1)
    assert _reports(db)[0][2:] == (None, "ambiguous")  # seven 莲花街道, nothing decides
    manifest = corpus / "urls.csv"
    manifest.write_text("file,url\nlianhua.txt,http://www.szft.gov.cn/a.html\n", encoding="utf-8")
    again = pipeline.ingest(db, [corpus / "docs" / "lianhua.txt"], workers=1, manifest=read_manifest(manifest))
    assert again.landed == 1
    rows = _reports(db)
    assert len(rows) == 1 and rows[0][1:] == ("http://www.szft.gov.cn/a.html", "440304-莲花街道", "resolved")
    unchanged = pipeline.ingest(db, [corpus / "docs" / "lianhua.txt"], workers=1)  # no manifest: kept
    assert unchanged.unchanged == 1 and _reports(db)[0][1] == "http://www.szft.gov.cn/a.html"


def test_files_match_by_path_by_folder_of_the_manifest_or_by_unique_name(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("url,file\nhttp://a.gov.cn/1,sub/a.txt\nhttp://b.gov.cn/2,x/b.txt\nhttp://c.gov.cn/3,y/b.txt\n",
                         encoding="utf-8")
    m = read_manifest(manifest)
    assert m.url_for(tmp_path / "sub" / "a.txt") == "http://a.gov.cn/1"
    assert m.url_for("/elsewhere/a.txt") == "http://a.gov.cn/1"  # the only a.txt
    assert m.url_for("/elsewhere/b.txt") is None  # two different b.txt: no guess
    assert m.url_for(tmp_path / "y" / "b.txt") == "http://c.gov.cn/3"


def test_an_unusable_manifest_is_an_error_before_anything_lands(tmp_path, corpus):
    with pytest.raises(ManifestError, match="not found"):
        read_manifest(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("path,link\na.txt,http://x\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="'file' and 'url'"):
        read_manifest(bad)
    db = tmp_path / "cli.duckdb"
    proc = run_fazhi("ingest", str(corpus / "docs"), "--manifest", str(bad), "--db", str(db), check=False)
    assert proc.returncode != 0 and "'file' and 'url'" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_the_url_reaches_the_worker_processes(corpus):
    for i in range(pipeline.TASK_FILES * 2):
        (corpus / "docs" / f"county{i:02d}.txt").write_text(COUNTY + f"编号{i}。\n", encoding="utf-8")
    manifest = corpus / "urls.csv"
    manifest.write_text("file,url\ndocs/lianhua.txt,https://www.szft.gov.cn/a.html\n", encoding="utf-8")
    db = corpus / "w.duckdb"
    pipeline.ingest(db, [corpus / "docs"], workers=2, manifest=read_manifest(manifest))
    rows = {r[0].rsplit("/", 1)[-1]: r[1:] for r in _reports(db)}
    assert rows["lianhua.txt"][:2] == ("https://www.szft.gov.cn/a.html", "440304-莲花街道")
