"""Report metadata from the normalised text: title, issuer, document number, dates, report year.

The report year is the year the report covers ("关于2023年法治政府建设情况的报告" published in
2024 is 2023): the year its own title, cover sentence, statistics period or first heading names,
else the year it talks about most — never after its publication, never after the latest date
written in it. The issuer is an organ name (…人民政府, …司法局, …街道办事处, …管委会) from where
the report names itself, or None with the reason in `issuer_basis`.
"""
from __future__ import annotations

import re
from collections import Counter

from fazhi.normalise.chars import CJK_CLASS
from fazhi.place.evidence import ORGAN_SUFFIX, Evidence, compact, gather
from fazhi.place.gazetteer import mentions, name_index
from fazhi.records import ReportMeta

INDEX_NUMBER = re.compile(r"索引号[:：]?\|?([0-9A-Za-z][0-9A-Za-z/\-]{5,})")
LABELLED_DATE = re.compile(
    r"(?:公文生成日期|成文日期|发文日期|发文时间|发布日期|发表日期|发布时间|印发日期|日期)[:：]?\|?"
    r"((?:19|20)\d\d)[-年/.](\d{1,2})[-月/.](\d{1,2})"
)
ANY_DATE = re.compile(r"((?:19|20)\d\d)[-年/.](\d{1,2})[-月/.](\d{1,2})日?")
# 二〇二四年一月十日 once its year is in digits (arabic_years): month and day in Chinese numerals
CHINESE_DATE = re.compile(r"((?:19|20)\d\d)年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
SIGNED_DATE = re.compile(r"\n((?:19|20)\d\d)[-年/.](\d{1,2})[-月/.](\d{1,2})日?\s*$")
SIGNED_CHINESE_DATE = re.compile(rf"\n{CHINESE_DATE.pattern}\s*$")
YEAR = re.compile(r"((?:19|20)\d\d)年")
YEAR_RANGE = re.compile(r"((?:19|20)\d\d)(年?(?:—|–|-|－|~|～|至|到))((?:19|20)\d\d)(?=年)")
CHINESE_YEAR = re.compile(r"([一二][〇○零九][〇○零一二三四五六七八九]{2})年")
CHINESE_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678 9".replace(" ", ""))
# where a report states the year it covers, strongest first
COVERED_YEAR = (
    re.compile(r"(?:现将|现就)[^。\n]{0,24}?((?:19|20)\d\d)年"),
    re.compile(r"统计期限?(?:为|自|从)?((?:19|20)\d\d)年1月1日"),
    # a numbered heading, not the plan for the next year ("二、2024年工作打算"), though a heading
    # may end with it ("一、2023年工作情况和2024年工作计划" names 2023)
    re.compile(r"^(?:[一二三四五六七八九十]+、|[(（]一[)）])((?:19|20)\d\d)年"
               r"(?![^\n\d]{0,14}?(?:计划|打算|思路|安排|展望|谋划|设想))", re.M),
    re.compile(r"^((?:19|20)\d\d)年度?(?:以来)?[,，]", re.M),
)
# where a report turns to its plans ("下一步工作打算", "二、2024年工作计划"): years named after it
# are the years planned for, not the year covered
PLAN_START = re.compile(
    r"下一步|^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])"
    r"[^\n]{0,16}?(?:打算|计划|思路|安排|展望)",
    re.M,
)
ORGAN_END = re.compile(rf"(?:{ORGAN_SUFFIX})$")
# a phrase, not an organ: self-references (我县), collectives (全市司法行政系统), work items, verbs
NOT_AN_ORGAN = re.compile(
    r"^(?:我|本|全|该|各|贵|区县|市县|乡镇)|系统|工作|建设|情况|报告|总结|领导|精神|部署|[被在的对将把为了是向于由按从经年下]"
)
ISSUER_SOURCES = ("label", "header", "signature", "title", "own_title", "contact", "opening")
ORGAN_IN = re.compile(rf"(?:中共)?[{CJK_CLASS}]{{2,30}}?(?:{ORGAN_SUFFIX})")
TITLE_PLACE = re.compile(rf"^(?:关于)?([{CJK_CLASS}]{{2,20}}?)(?:关于)?(?:19|20)\d\d年")
DEPARTMENT = re.compile(r"(局|厅|部|委员会|委|办公室|办|中心|院|所|队)$")
PARTY = re.compile(r"^中共|党委|党工委|纪委")


def issuer_kind(issuer: str | None) -> str:
    """government | department | other, from the issuing body's name."""
    if not issuer:
        return "government"
    name = issuer.strip()
    if re.search(r"(政府|管理委员会|管委会)(办公室|办公厅)$", name):
        return "department"  # the government's general office reports as a department
    if any(s in name for s in ("人民政府", "管理委员会", "管委会", "办事处", "行政公署")) or name.endswith("政府"):
        return "government"
    if PARTY.search(name) and "政府" not in name:
        return "other"
    if DEPARTMENT.search(name):
        return "department"
    if re.search(r"(省|市|区|县|旗|镇|乡|街道)$", name):
        return "government"
    return "other"


def _clean_organ(raw: str) -> str | None:
    """The organ in a statement: 'XX县新华乡人民政府' from '发布机构XX县新华乡人民政府' or
    '中共黎侯镇委员会黎侯镇人民政府' (the government, not the party committee)."""
    organs = [m.group(0) for m in ORGAN_IN.finditer(raw)]
    organs = [o for o in organs if not o.startswith("中共")] or organs
    for organ in organs:
        organ = re.sub(r"^(?:发布机构|发文机关|来源|关于|现将|结合|根据|由)", "", organ)
        if ORGAN_END.search(organ) and not NOT_AN_ORGAN.search(organ) and len(organ) >= 3:
            return organ
    return None


LEVEL_ORGAN = re.compile(
    rf"^(?:省|自治区|市|州|区|县|旗|镇|乡|街道|高新区|开发区|经开区|新区|园区)[{CJK_CLASS}]{{0,10}}$"
)


def _stands_as_issuer(organ: str, s) -> bool:
    """A label's organ is its whole value ("福田政府在线" is a website); a title's or an opening
    clause's organ starts it, and starts with a place name or a level word (区司法局)."""
    if s.kind == "label":
        return s.text.endswith(organ)
    if s.kind in ("header", "signature", "contact"):
        return True
    if not s.text.startswith(organ) and not s.text.startswith("关于" + organ):
        return False
    found = mentions(organ)
    return bool(found and found[0].start == 0) or bool(LEVEL_ORGAN.match(organ))


def _issuer(ev: Evidence) -> tuple[str | None, str]:
    for kind in ISSUER_SOURCES:
        for s in ev.statements:
            if s.kind == kind:
                organ = _clean_organ(s.text)
                if organ and _stands_as_issuer(organ, s):
                    return organ, kind
                if kind == "title":
                    m = TITLE_PLACE.match(s.text)
                    if m and m.group(1) in name_index().by_name:
                        return m.group(1), "title (the place's name)"
    selfs = re.search(r"(?:我|本)(?:局|委|办|县|区|市|镇|乡|街道|单位|队)", ev.text[:3000])
    if selfs:
        return None, f"named only as {selfs.group(0)}"
    return None, "no organ named"


def _number(numeral: str) -> int:
    """一 .. 三十一 -> 1 .. 31 (a date's month or day); digits as they are."""
    if numeral.isdigit():
        return int(numeral)
    value = {c: i for i, c in enumerate("一二三四五六七八九", 1)}
    tens, ten, ones = numeral.partition("十")
    if not ten:
        return value.get(numeral, 0)
    return (value.get(tens, 0) if tens else 1) * 10 + value.get(ones, 0)


def _iso(m: re.Match) -> str | None:
    y, mth, d = (_number(g) for g in m.groups()[:3])
    return f"{y:04d}-{mth:02d}-{d:02d}" if 1 <= mth <= 12 and 1 <= d <= 31 else None


def _dates(text: str) -> list[tuple[int, str]]:
    """(offset, ISO date) of every full date, in digits or Chinese numerals (years already in digits)."""
    found = [(m.start(), _iso(m)) for pattern in (ANY_DATE, CHINESE_DATE) for m in pattern.finditer(text)]
    return [(at, iso) for at, iso in found if iso]


def _published(text: str) -> str | None:
    head = text[:3000]
    m = LABELLED_DATE.search(head)
    if not m:  # the date under the signature, on a line of its own (二〇二四年一月十日 too)
        tail = arabic_years(text[-400:])
        m = SIGNED_DATE.search(tail) or SIGNED_CHINESE_DATE.search(tail)
    return _iso(m) if m else None


def arabic_years(text: str) -> str:
    """二〇二三年 -> 2023年 (same length: offsets hold)."""
    return CHINESE_YEAR.sub(lambda m: m.group(1).translate(CHINESE_DIGITS) + "年", text)


def _years_view(text: str) -> str:
    """The text as the year rules read it: years in digits, and a range of years as its last year
    ("2019年—2020年" and "2019—2020年度" both cover up to 2020), lengths kept."""
    return YEAR_RANGE.sub(lambda m: m.group(3) + m.group(2) + m.group(3), arabic_years(text))


def _since(text: str, m: re.Match) -> bool:
    """"2022年以来累计…", "自2022年起": a span that starts in that year and runs to the time of
    writing; inside the text it dates a starting point, not the year the report covers."""
    return text.startswith(("以来", "至今", "起"), m.end()) or text[max(0, m.start() - 1):m.start()] in ("自", "从")


def _report_year(text: str, ev: Evidence, title: str | None, published: str | None) -> int | None:
    text = _years_view(text)
    title = _years_view(title) if title else None
    published_year = int(published[:4]) if published else None
    dates = _dates(text)
    dated = [int(iso[:4]) for _, iso in dates]
    cap = published_year or (max(dated) if dated else None)

    def fits(y: int) -> bool:
        return cap is None or y <= cap

    cited = ev.citations
    head = text[:4000]
    for source in ([title] if title else []) + [_years_view(s.text) for s in ev.statements if s.kind == "own_title"]:
        for m in YEAR.finditer(source):
            if fits(int(m.group(1))):
                return int(m.group(1))
    for pattern in COVERED_YEAR:
        for m in pattern.finditer(head):
            if not any(a <= m.start(1) < b for a, b in cited) and fits(int(m.group(1))):
                return int(m.group(1))
    if published_year:
        # written in the first half of a year, a report covers the year before; later in the
        # year ("今年以来"), that year. Years further back are what it compares with.
        covered = published_year - 1 if int(published[5:7]) <= 6 else published_year
        signed = {at for at, iso in dates if iso == published}  # the date itself
        plans = PLAN_START.search(head)
        recent = Counter(int(m.group(1)) for m in YEAR.finditer(head, 0, plans.start() if plans else len(head))
                         if int(m.group(1)) in (published_year - 1, published_year) and m.start() not in signed
                         and not any(a <= m.start() < b for a, b in cited) and not _since(head, m))
        return recent.most_common(1)[0][0] if recent else covered
    years = Counter(int(m.group(1)) for m in YEAR.finditer(head)
                    if not any(a <= m.start() < b for a, b in cited) and fits(int(m.group(1))))
    if years:
        return years.most_common(1)[0][0]
    years = Counter(int(y) for y in YEAR.findall(head) if fits(int(y)))  # only in citations
    return years.most_common(1)[0][0] if years else None


def extract_metadata(text: str, script: str = "simplified", ev: Evidence | None = None) -> ReportMeta:
    """Metadata from the normalised text of one report."""
    text = compact(text)
    ev = ev or gather(text)
    title_stmt = ev.first("title")
    title = title_stmt.text if title_stmt else None
    index = INDEX_NUMBER.search(text[:3000])
    published_on = _published(text)
    issuer, basis = _issuer(ev)
    meta = ReportMeta(
        title=title,
        issuer=issuer,
        issuer_kind=issuer_kind(issuer),
        doc_number=ev.doc_number,
        index_number=index.group(1) if index else None,
        published_on=published_on,
        report_year=_report_year(text, ev, title, published_on),
        script=script,
        addressee=ev.addressee,
        issuer_basis=basis,
    )
    return meta
