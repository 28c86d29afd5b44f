"""What a report says about who wrote it and where: typed evidence read from the normalised text.

Pure functions over the text (spaces inside lines removed first: "发布机构 屏边县…", "关于 2023 年").
Nothing here decides the jurisdiction; `resolve` weighs what is gathered.

- issuer statements: the report's own title, 发布机构/来源 labels, the red header (an organ on a
  line of its own at the top), the signature block (organ + date at the end), a contact line
  ("请与…联系"), the report's own title in book-title marks ("现发布《…年度报告》");
- opening subjects: an organ or place at the start of a clause in the first paragraphs, before
  a verb ("西兴街道始终坚持", "人民街街道办事处坚持");
- the addressee line ("县委全面依法治县委员会办公室:") names the level or place above the issuer;
- self-references (我县/本街道/全镇/依法治区/镇党委) give the report's own level;
- the report's own document number (labelled, or on a header line), not one cited in the body;
- citations: spans inside 《》 or parentheses holding a document number; places there are context;
- unified social credit codes of government organs (in 索引号 or a contact block): the division
  code of the office that registered the organ, its county or city.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from fazhi.normalise.chars import CJK_CLASS

C = f"[{CJK_CLASS}]"

# (行政公署: the government of a 地区 or 盟, which has no 人民政府)
ORGAN_SUFFIX = (
    "人民政府办公室|人民政府办公厅|人民政府|政府办公室|街道办事处|办事处|管理委员会|管委会|行政公署|"
    "司法局|分局|局|厅|委员会|办公室|中心|大队|支队|政府"
)
ORGAN = re.compile(rf"{C}{{2,30}}?(?:{ORGAN_SUFFIX})")
# the labels a government page or form puts before the organ that publishes or fills it in
LABEL = re.compile(
    r"(?:发布机构|发文机关|发文单位|发文机构|来源单位|发布单位|发布部门|发布主体|公开主体|所属机构|责任部门|"
    r"填报单位|报送单位|编制单位|文章来源|信息来源|来源)"
    rf"[:：]?\|?(?P<value>{C}[{CJK_CLASS}、]{{1,39}})"
)
TITLE_LINE = re.compile(
    r"^[•\-|]*(?:[^\n:：|]{0,12}[:：])?(?P<title>[^\n|>:：]{0,60}?"
    r"(?:法治政府建设|法治建设|依法行政|行政执法|行政复议|政府信息公开|法治|工作)[^\n|]{0,30}?"
    r"(?:报告|总结|情况|年报|统计表|数据表))(?:[|]|$)",
    re.M,
)
OWN_TITLE_IN_MARKS = re.compile(r"(?:现发布|现公布|编制形成了|形成了|现将)《(?P<title>[^》]{4,80}?(?:报告|总结))》")
HEADER_LINE = re.compile(rf"^(?P<organ>{C}{{2,40}}?(?:{ORGAN_SUFFIX}))(?:文件)?$", re.M)
SIGNATURE = re.compile(
    rf"\n(?P<organ>{C}[{CJK_CLASS}、]{{1,40}}?(?:{ORGAN_SUFFIX}))\n(?:19|20)\d\d年\d{{1,2}}月\d{{1,2}}日"
)
CONTACT = re.compile(rf"请与(?P<organ>{C}{{2,40}}?(?:{ORGAN_SUFFIX}))(?:{C}{{0,12}})?联系")
ADDRESSEE = re.compile(
    rf"^(?P<to>(?:中共)?{C}[{CJK_CLASS}、]{{1,40}}?(?:委员会办公室|委员会|委|政府|办公室|人大常委会))[:：]\s*$", re.M
)
VERBS = (
    "坚持|始终|深入|认真|全面|紧紧|紧密|紧扣|紧盯|高度|严格|扎实|持续|围绕|聚焦|立足|牢固|切实|"
    "积极|着力|不断|进一步|按照|根据|结合|作为|把|将|以|在|对|共|全年|聚力|锚定|强化|加强|推进|"
    "法治政府建设|法治建设|依法行政|政府信息公开|党委|党工委|政府"
)
# (the look-ahead tests a verb's first character before trying every verb: a quarter faster)
VERB_START = "".join(sorted({verb[0] for verb in VERBS.split("|")}))
OPENING_SUBJECT = re.compile(
    rf"(?:^|[\n。；;,，:：、]|(?:19|20)\d\d年度?[,，]?)(?P<subject>{C}{{2,30}}?(?:{ORGAN_SUFFIX})?)"
    rf"(?=[{VERB_START}])(?={VERBS})",
    re.M,
)
# "现将西兴街道2024年…情况报告如下", "由XX县司法局编制"
REPORT_SUBJECT = re.compile(rf"(?:现将|由)(?P<subject>{C}{{2,30}}?)(?=(?:19|20)\d\d|编制|年度|法治|工作|有关)")
# 我县/本街道 say the report's own level; 全县 and 县委、县政府 also name a superior ("全省优秀单位")
# How a report names its own level, and how surely: 我县 and "县政府坚持…" surely; 镇党委 well;
# 全县, 依法治县 and 县委、县政府 also name a superior (a township writes of 全县, 县委、县政府).
# (pattern, weight, None: anywhere, else only at a clause start or after one of these characters)
SELF_FORMS = (
    (re.compile(r"[我本](自治区|街道|省|市|州|盟|区|县|旗|镇|乡|局)"), 3, None),
    (re.compile(r"(?:全|依法治)(自治区|街道|省|市|州|盟|区|县|旗|镇|乡|局)"), 1, None),
    (re.compile(r"(街道|镇|乡)(?:党工委|党委)"), 2, None),
    (re.compile(r"(省|市|区|县|镇|乡)委、?\1政府"), 1, "和及与在"),  # 县委、县政府; not 召开县委
    (re.compile(rf"(省|市|区|县|镇|乡|街道)(?:人民政府|政府|办事处)(?={VERBS})"), 3, ""),  # 市政府坚持
)
_CJK = re.compile(f"[{CJK_CLASS}]")


def _self_references(text: str):
    """(offset, level word, weight) of each way the text names its own level."""
    for pattern, weight, allowed in SELF_FORMS:
        for m in pattern.finditer(text):
            before = text[m.start() - 1] if m.start() else ""
            if allowed is None or not _CJK.match(before) or before in allowed:
                yield m.start(), m.group(1), weight
# 泉洛政文〔2025〕14号: found by its bracketed year, then its prefix read back (faster than a
# pattern that starts with the prefix)
OPENING_SPAN = 800  # the first paragraphs, where a report names its subject
DOC_NUMBER_TAIL = re.compile(r"[〔\[［【(（](?:19|20)\d\d[〕\]］】)）]\d{1,4}号")
DOC_NUMBER_PREFIX = re.compile(rf"{C}{{1,10}}$")
CITATION = re.compile(
    r"《[^》\n]{1,120}》"  # a document's title
    r"|[（(][^（()）\n]{0,40}[〔\[［【]\s*(?:19|20)\d\d\s*[〕\]］】][^（()）\n]{0,12}[)）]"  # (国办发〔2021〕30号)
)
NATIONAL_WORDS = re.compile(r"国务院|中华人民共和国|党中央|中共中央|全国人大|司法部|国家")
# a unified social credit code (GB 32100-2015) of an organ (1 = registered by 机构编制; class 1 机关,
# 2 事业单位, 9 其他): characters 3-8 are the division code of the registering office
# (the look-behind comes after the leading 1, so that a scan looks for a literal "1" first: 20x faster)
CREDIT_CODE = re.compile(r"1(?<![0-9A-Z]1)[129](\d{6})[0-9A-HJ-NP-RTUWXY]{10}(?![0-9A-Z])")
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_divisions(text: str) -> list[str]:
    """Division codes of the organs whose credit codes the text holds (check character verified)."""
    found: list[str] = []
    for m in CREDIT_CODE.finditer(text):
        code = m.group(0)
        total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(code[:17], CREDIT_WEIGHTS, strict=True))
        if CREDIT_CHARS[-total % 31] == code[17] and m.group(1) not in found:
            found.append(m.group(1))
    return found


LEVEL_OF_WORD = {
    "自治区": "province", "省": "province", "市": "city", "州": "city", "盟": "city", "区": "district",
    "县": "county", "旗": "county", "镇": "township", "乡": "township", "街道": "township", "局": "department",
}


@dataclass(frozen=True, slots=True)
class Statement:
    kind: str  # title | label | header | signature | contact | own_title | opening
    text: str
    start: int


@dataclass(slots=True)
class Evidence:
    text: str
    statements: list[Statement] = field(default_factory=list)
    addressee: str | None = None
    self_levels: Counter = field(default_factory=Counter)  # level -> weighted count (township, county, ...)
    sure_levels: Counter = field(default_factory=Counter)  # level -> count of 我县/本街道/"县政府坚持"
    self_positions: list[tuple[int, str]] = field(default_factory=list)  # (offset, level)
    doc_number: str | None = None
    cited_doc_numbers: list[str] = field(default_factory=list)
    credit_divisions: list[str] = field(default_factory=list)  # registering offices of credit codes
    citations: list[tuple[int, int]] = field(default_factory=list)  # sorted and disjoint (one finditer)

    def cited(self, start: int, end: int) -> bool:
        """[start, end) lies inside a citation: the last one starting at or before `start`."""
        i = bisect.bisect_right(self.citations, (start, 1 << 62)) - 1
        return i >= 0 and end <= self.citations[i][1]

    def first(self, *kinds: str) -> Statement | None:
        return next((s for s in self.statements if s.kind in kinds), None)


def compact(text: str) -> str:
    """Spaces inside a line carry no meaning here ("法治政府 建设", "关于 2023 年")."""
    for space in " \t\u3000\xa0":  # (str.replace is several times faster than a pattern)
        text = text.replace(space, "")
    return text


def _titles(head: str) -> list[Statement]:
    """Title-like lines at the top: the report's title, and table titles of a statistics report."""
    return [Statement("title", m.group("title").strip(" |"), m.start("title"))
            for m in TITLE_LINE.finditer(head[:1200])]


def _doc_number(text: str, citations: list[tuple[int, int]]) -> tuple[str | None, list[str]]:
    """The report's own document number (labelled, or alone on a header line) and the cited ones."""
    own, cited = None, []
    for tail in DOC_NUMBER_TAIL.finditer(text[:3000]):
        prefix = DOC_NUMBER_PREFIX.search(text, max(0, tail.start() - 10), tail.start())
        if not prefix:
            continue
        start, end = prefix.start(), tail.end()
        number = text[start:end]
        inside = any(a <= start and end <= b for a, b in citations)
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start:line_end if line_end >= 0 else None]
        labelled = re.search(r"(?:文号|发文字号)[:：|]?\s*$", text[max(0, start - 8):start])
        alone = len(line.strip(" |-")) <= len(number) + 6
        if not inside and (labelled or alone) and own is None:
            own = number
        else:
            cited.append(number)
    return own, cited


def gather(text: str) -> Evidence:
    """Evidence from a report's normalised text (already compacted with `compact`)."""
    head = text[:3000]
    ev = Evidence(text=text)
    ev.citations = [(m.start(), m.end()) for m in CITATION.finditer(text)]
    own_marks = [(m.start("title"), m.group("title")) for m in OWN_TITLE_IN_MARKS.finditer(head)]
    ev.citations = [c for c in ev.citations if not any(c[0] < s < c[1] for s, _ in own_marks)]
    ev.statements.extend(_titles(head))
    for start, t in own_marks:
        ev.statements.append(Statement("own_title", t, start))
    for m in LABEL.finditer(head):
        ev.statements.append(Statement("label", m.group("value"), m.start("value")))
    top = head[:400]
    for m in HEADER_LINE.finditer(top):
        ev.statements.append(Statement("header", m.group("organ"), m.start("organ")))
    tail_at = max(0, len(text) - 600)
    for m in SIGNATURE.finditer(text[tail_at:]):
        ev.statements.append(Statement("signature", m.group("organ"), tail_at + m.start("organ")))
    for m in CONTACT.finditer(head):
        ev.statements.append(Statement("contact", m.group("organ"), m.start("organ")))
    m = ADDRESSEE.search(text[:800])
    addressed = (m.start(), m.end()) if m else (-1, -1)
    if m:
        ev.addressee = m.group("to")
    for pattern in (OPENING_SUBJECT, REPORT_SUBJECT):
        for m in pattern.finditer(text[:OPENING_SPAN]):
            at = m.start("subject")
            if not ev.cited(at, m.end("subject")) and not addressed[0] <= at < addressed[1]:
                ev.statements.append(Statement("opening", m.group("subject"), at))
    for at, word, weight in sorted(_self_references(text)):
        if ev.cited(at, at + 1) or addressed[0] <= at < addressed[1]:
            continue
        level = LEVEL_OF_WORD[word]
        ev.self_levels[level] += weight
        if weight >= 3:
            ev.sure_levels[level] += 1
        ev.self_positions.append((at, level))
    ev.doc_number, ev.cited_doc_numbers = _doc_number(text, ev.citations)
    ev.credit_divisions = credit_divisions(text)
    return ev
