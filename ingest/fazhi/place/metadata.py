"""Report metadata from the normalised text: title, issuer, document number, dates, report year.

All patterns run on the simplified, half-width view. The report year is the year the report
covers: "关于2023年法治政府建设情况的报告" published in 2024 is 2023.
"""
from __future__ import annotations

import re
from collections import Counter

from fazhi.normalise.chars import CJK_CLASS
from fazhi.records import ReportMeta

DOC_NUMBER = re.compile(
    rf"[{CJK_CLASS}]{{1,10}}\s*[〔\[［【(（]\s*((?:19|20)\d\d)\s*[〕\]］】)）]\s*\d{{1,4}}\s*号"
)
INDEX_NUMBER = re.compile(r"索\s*引\s*号\s*[:：]?\s*\|?\s*([0-9A-Za-z][0-9A-Za-z/\-]{5,})")
LABELLED_DATE = re.compile(
    r"(?:公文生成日期|成文日期|发文日期|发文时间|发布日期|印发日期|日期)\s*[:：]?\s*"
    r"((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
ANY_DATE = re.compile(r"((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
LABELLED_ISSUER = re.compile(r"(?:发布机构|发文机关|发文单位|来源单位)\s*[:：]\s*([^\s|:：]{2,40})")
TITLE_LINE = re.compile(
    r"^[\s•\-|]*(?:标题\s*[:：])?\s*(?:名\s*称\s*[:：])?\s*(?P<title>[^\n|>:：]{0,60}?"
    r"(?:法治政府建设|法治建设|依法行政|行政执法|行政复议|政府信息公开)[^\n|]{0,30}?"
    r"(?:报告|情况|统计))",
    re.M,
)
TITLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
COVER_YEAR = re.compile(r"现将[^。\n]{0,20}?((?:19|20)\d\d)\s*年")
OPENING_YEAR = re.compile(r"^\s*((?:19|20)\d\d)\s*年\s*[,，]", re.M)
ISSUER_IN_TITLE = re.compile(rf"^(?P<issuer>[{CJK_CLASS}（）() ]{{2,40}}?)\s*(?:关于)?\s*(?:(?:19|20)\d\d\s*年)")
# A red-header line "XXX文件" or a bare organ line at the top of the page.
HEADER_ISSUER = re.compile(
    rf"^\s*(?P<issuer>[{CJK_CLASS}]{{2,40}}?(?:人民政府|管理委员会|管委会|办事处|司法局|[{CJK_CLASS}]局|政府))(?:文件)?\s*$",
    re.M,
)
# "(城南街道)" on its own line under the title.
BRACKETED_ISSUER = re.compile(rf"^\s*[(（](?P<issuer>[{CJK_CLASS}]{{2,20}})[)）]\s*$", re.M)
SUBJECT_AFTER_YEAR = re.compile(
    rf"^\s*(?:19|20)\d\d\s*年\s*[,，]\s*(?P<subject>[{CJK_CLASS}]{{2,30}}?)"
    rf"(?=在|坚持|以|深入|紧|认真|全面|围绕|聚焦|持续|始终|高度|严格|立足)",
    re.M,
)
REPORT_SUBJECT = re.compile(rf"(?:现将|由)(?P<subject>[{CJK_CLASS}]{{2,30}}?)(?=(?:19|20)\d\d|编制|年度|法治)")
SIGNATURE = re.compile(
    rf"\n\s*(?P<issuer>[{CJK_CLASS}]{{2,30}}(?:人民政府|管理委员会|管委会|司法局|办事处|局))\s*\n\s*"
    rf"(?:19|20)\d\d\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日"
)
DEPARTMENT = re.compile(r"(局|厅|部|委员会|委|办公室|办|中心|院|所|队)$")
PARTY = re.compile(r"^中共|党委|党工委|纪委")


def _title(text: str) -> str | None:
    m = TITLE_LINE.search(text[:3000])
    return m.group("title").strip() if m else None


def issuer_kind(issuer: str | None) -> str:
    """government | department | other, from the issuing body's name."""
    if not issuer:
        return "government"
    name = issuer.strip()
    if re.search(r"(政府|管理委员会|管委会)(办公室|办公厅)$", name):
        return "department"  # the government's general office reports as a department
    if any(s in name for s in ("人民政府", "管理委员会", "管委会", "办事处")) or name.endswith("政府"):
        return "government"
    if PARTY.search(name) and "政府" not in name:
        return "other"
    if DEPARTMENT.search(name):
        return "department"
    if re.search(r"(省|市|区|县|旗|镇|乡|街道)$", name):
        return "government"
    return "other"


def _report_year(text: str, title: str | None, published_year: int | None) -> int | None:
    if title:
        m = TITLE_YEAR.search(title)
        if m:
            return int(m.group(1))
    head = text[:4000]
    m = COVER_YEAR.search(head)
    if m:
        return int(m.group(1))
    m = OPENING_YEAR.search(head)
    if m:
        return int(m.group(1))
    years = Counter(int(y) for y in re.findall(r"((?:19|20)\d\d)\s*年", head))
    if published_year:
        years = Counter({y: n for y, n in years.items() if y <= published_year})
    if years:
        return years.most_common(1)[0][0]
    return published_year - 1 if published_year else None


def _issuer(text: str, title: str | None) -> str | None:
    head = text[:3000]
    for pattern in (LABELLED_ISSUER, HEADER_ISSUER):
        m = pattern.search(head)
        if m:
            return m.group(1)
    if title:
        m = ISSUER_IN_TITLE.search(title)
        if m and m.group("issuer").strip() not in ("", "关于"):
            return m.group("issuer").strip()
    for pattern in (BRACKETED_ISSUER, SUBJECT_AFTER_YEAR, REPORT_SUBJECT):
        m = pattern.search(head)
        if m:
            return m.group(m.lastgroup or 1)
    m = SIGNATURE.search(text[-600:])
    if m:
        return m.group("issuer")
    return None


def extract_metadata(text: str, script: str = "simplified") -> ReportMeta:
    """Metadata from the normalised text of one report."""
    # spaces inside a line carry no meaning here ("法治政府 建设", "关于 2023 年")
    text = re.sub(r"[ \t\u3000]+", "", text)
    head = text[:3000]
    title = _title(text)
    doc = DOC_NUMBER.search(head)
    index = INDEX_NUMBER.search(head)
    published = LABELLED_DATE.search(head)
    if not published:
        tail = list(ANY_DATE.finditer(text[-400:]))
        published = tail[-1] if tail else None
    published_on = None
    if published:
        y, mth, d = (int(g) for g in published.groups())
        if 1 <= mth <= 12 and 1 <= d <= 31:
            published_on = f"{y:04d}-{mth:02d}-{d:02d}"
    published_year = int(published_on[:4]) if published_on else None
    issuer = _issuer(text, title)
    return ReportMeta(
        title=title,
        issuer=issuer,
        issuer_kind=issuer_kind(issuer),
        doc_number=re.sub(r"\s+", "", doc.group(0)) if doc else None,
        index_number=index.group(1) if index else None,
        published_on=published_on,
        report_year=_report_year(text, title, published_year),
        script=script,
    )
