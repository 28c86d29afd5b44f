"""Stage "read" on real report text, re-encoded the ways sites serve it."""
from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from fazhi.read import Decoded, UnreadableFile, decode_bytes, read_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "ingest" / "fazhi" / "samples"


def _sample(prefix: str) -> str:
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _paragraph(prefix: str, index: int) -> str:
    lines = [ln.strip() for ln in _sample(prefix).split("\n") if len(ln.strip()) > 80 and "?" not in ln]
    return lines[index]


PARA = _paragraph("001", 2)  # simplified, with digits and ASCII commas
PARA_TRAD = _paragraph("003", 1)  # traditional script


def test_paragraphs_are_real_text():
    assert "法治" in PARA and len(PARA) > 100
    assert "區" in PARA_TRAD or "與" in PARA_TRAD or "為" in PARA_TRAD


@pytest.mark.parametrize(
    "codec, expected",
    [
        ("utf-8", "utf-8"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("gb2312", "gb18030"),
    ],
)
def test_plain_encodings(tmp_path, codec, expected):
    path = tmp_path / "report.txt"
    path.write_bytes(PARA.encode(codec))
    got = read_file(path)
    assert got == Decoded(PARA, expected, "text")


@pytest.mark.parametrize(
    "bom, codec, expected",
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_bom_encodings(tmp_path, bom, codec, expected):
    path = tmp_path / "report.txt"
    path.write_bytes(bom + PARA.encode(codec))
    got = read_file(path)
    assert got.text == PARA  # the BOM is not part of the text
    assert got.encoding == expected


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_by_nul_pattern(codec):
    got = decode_bytes(PARA.encode(codec), "report.txt")
    assert got.text == PARA
    assert got.encoding == codec


def test_big5_traditional_paragraph():
    data = PARA_TRAD.encode("big5")
    got = decode_bytes(data, "report.txt")
    assert got.text == PARA_TRAD
    assert got.encoding in ("big5", "cp950")


@pytest.mark.parametrize("word", ["法治政府", "依法行政", "行政复议", "人民调解"])
def test_short_gbk_is_not_read_as_big5(word):
    got = decode_bytes(word.encode("gbk"), "a.txt")
    assert got.text == word
    assert got.encoding == "gb18030"


@pytest.mark.parametrize("word", ["法治政府", "依法行政", "鯉城區司法局", "行政復議"])
def test_short_big5_is_not_read_as_gbk(word):
    got = decode_bytes(word.encode("big5"), "a.txt")
    assert got.text == word
    assert got.encoding in ("big5", "cp950")


def test_every_line_of_traditional_sample_round_trips_in_big5():
    done = 0
    for line in _sample("003").split("\n"):
        line = line.strip()
        if len(line) < 2 or "?" in line:
            continue
        try:
            data = line.encode("big5")
        except UnicodeEncodeError:
            continue
        assert decode_bytes(data, "a.txt").text == line
        done += 1
    assert done > 20


def test_truncated_multibyte_tail_costs_one_char():
    got = decode_bytes(PARA.encode("utf-8")[:-1], "a.txt")
    assert got.text == PARA[:-1] + "\ufffd"
    assert got.encoding == "utf-8"
    got = decode_bytes(PARA.encode("gbk")[:-1], "a.txt")
    assert got.text == PARA[:-1] + "\ufffd"


def test_crlf_becomes_lf():
    text = PARA + "\r\n" + PARA_TRAD + "\r\n"
    got = decode_bytes(text.encode("gb18030"), "a.txt")
    assert got.text == PARA + "\n" + PARA_TRAD + "\n"


def _page(body_paragraph: str, meta: str = '<meta charset="gbk">') -> str:
    return f"""<!DOCTYPE html>
<html><head>{meta}<title>泉州市洛江区人民政府 政务公开</title>
<script>var menu = "首页 政务公开 互动交流 办事服务";</script>
<style>.nav {{ color: red }}</style></head>
<body>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li>互动交流</li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>
<div id="content"><div class="article">
<p>{body_paragraph[:60]}
{body_paragraph[60:]}</p>
</div></div>
<div class="share-box">分享到：微信 微博 QQ空间</div>
<footer><p>版权所有：泉州市洛江区人民政府</p><p>闽ICP备00000000号 网站标识码3505040001</p></footer>
</body></html>"""


def test_html_keeps_only_the_paragraph(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(_page(PARA).encode("gbk"))
    got = read_file(path)
    assert got.format == "html"
    assert got.encoding == "gb18030"
    assert got.text == PARA
    for junk in ("首页", "分享", "版权", "var menu", "color", "当前位置"):
        assert junk not in got.text


def test_html_http_equiv_charset_and_sniffed_without_extension():
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    got = decode_bytes(_page(PARA, meta).encode("gb2312"), "download.bin")
    assert got.format == "html"
    assert got.text == PARA


def test_html_big5_page():
    html = f"""<html><head><meta charset="big5"><title>鯉城區司法局</title></head><body>
    <div id="nav"><a>首頁</a> <a>政務公開</a></div>
    <div class="content"><p>{PARA_TRAD}</p></div>
    <div id="footer">版權所有 鯉城區人民政府</div></body></html>"""
    got = decode_bytes(html.encode("big5"), "p.htm")
    assert got.text == PARA_TRAD
    assert got.encoding in ("big5", "cp950")


def test_html_tables_and_blocks():
    html = """<html><head><meta charset="utf-8"></head><body>
    <article><h1>洛江区2024年法治政府建设情况的报告</h1>
    <p>一、主要举措</p><p>全年办理行政复议案件56件。<br>受理行政诉讼案件12件。</p>
    <table><tr><th>项目</th><th>数量</th></tr>
    <tr><td>行政复议</td><td> 56件 </td></tr>
    <tr><td>行政诉讼</td><td>12件</td></tr></table>
    </article></body></html>"""
    got = decode_bytes(html.encode("utf-8"), "a.html")
    assert got.text == (
        "洛江区2024年法治政府建设情况的报告\n"
        "一、主要举措\n"
        "全年办理行政复议案件56件。\n"
        "受理行政诉讼案件12件。\n"
        "项目 | 数量\n"
        "行政复议 | 56件\n"
        "行政诉讼 | 12件"
    )


def test_html_dominant_container_is_chosen_and_output_is_deterministic():
    side = "<div class='related'><p>相关新闻：某某区召开会议</p></div>"
    html = f"<html><body><div class='wrap'>{side}<div class='TRS_Editor'><p>{PARA}</p></div></div></body></html>"
    a = decode_bytes(html.encode("utf-8"), "a.html")
    b = decode_bytes(html.encode("utf-8"), "a.html")
    assert a == b
    assert a.text == PARA


@pytest.mark.parametrize(
    "data, name, words",
    [
        (b"", "a.txt", "empty"),
        (b"  \r\n\t", "a.txt", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "report.txt", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64, "report.docx", "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "report.doc", "OLE"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "scan.png", "PNG"),
        ("正文".encode(), "report.docx", "Word"),
        (b"\x00" * 4096, "report.txt", "binary"),
        (bytes(range(32)) * 50, "report.txt", "binary"),
    ],
)
def test_unreadable_inputs(data, name, words):
    with pytest.raises(UnreadableFile) as err:
        decode_bytes(data, name)
    assert words in err.value.reason
    assert "\n" not in err.value.reason
    assert isinstance(err.value, ValueError)


def test_random_bytes_are_undecodable():
    rng = random.Random(7)
    high = bytes(rng.randrange(0x80, 0x100) for _ in range(4000))
    with pytest.raises(UnreadableFile, match="undecodable"):
        decode_bytes(high, "a.txt")
    # bytes that do decode as GB18030, but into gibberish
    gbkish = bytes(
        rng.choice((rng.randrange(0x81, 0xFF), rng.randrange(0x40, 0x7F))) for _ in range(4000)
    )
    with pytest.raises(UnreadableFile, match="not Chinese text"):
        decode_bytes(gbkish, "a.txt")


def test_a_few_bad_bytes_inside_are_tolerated_but_not_many():
    data = bytearray(PARA.encode("gbk") * 4)
    data[100] = 0xFF  # one stray byte in ~1600
    got = decode_bytes(bytes(data), "a.txt")
    assert got.encoding == "gb18030"
    # the stray byte, and at most the trail byte it orphaned
    assert 1 <= got.text.count("\ufffd") <= 2
    assert got.text.endswith(PARA * 3)
    for i in range(0, len(data), 40):
        data[i] = 0xFF
    with pytest.raises(UnreadableFile, match="lost"):
        decode_bytes(bytes(data), "a.txt")


def test_sample_files_read_back_unchanged():
    for path in sorted(SAMPLES.glob("*.txt")):
        got = read_file(path)
        assert got.text == path.read_text(encoding="utf-8")
        assert got.encoding == "utf-8" and got.format == "text"


def test_bom_in_front_of_binary_is_refused():
    rng = random.Random(3)
    junk = bytes(rng.randrange(0x80, 0x100) for _ in range(2000))
    with pytest.raises(UnreadableFile) as err:
        decode_bytes(codecs.BOM_UTF16_LE + junk, "a.txt")
    assert "BOM" in err.value.reason
