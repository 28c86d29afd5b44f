"""Stage "attribute", scope: is a matched number the jurisdiction's total for the report year?

total | subunit | other_period | other, and the marker that decided it. The markers are data
(seeds/scope_cues.csv: a word, the scope it gives, and how far it reaches); the structural rules
here read the clause grammar:
  * another year named before the number -> other_period;
  * nouns or verbs listed with the object that name different indicators (审核规范性文件、重大决策
    N件; 审查和备案规范性文件 N件) -> other, combined;
  * a category (行政处罚类案件), a catalogue (…清单, 行政许可事项), the rest (其他…) -> other;
  * one channel (来访, 网站) unless several are listed or the clause names the hotline -> subunit;
  * consultations in a sentence about publicity events -> other (given at those events);
  * one kind of dispute (医疗纠纷) -> subunit; reconsideration or lawsuits over information
    disclosure -> other; a leadership body's own study (中心组, 常务会, 班子) -> subunit;
  * an organ of one sector acting (县市场监管局查处…) -> subunit, unless it is the report's issuer or
    carries the indicator's domain for the whole jurisdiction (seeds/organ_duties.csv: 县信访局,
    县法律援助中心), or the jurisdiction or all its bodies take over later in the statement.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from fazhi.extract.grammar import Choice, History, Reading
from fazhi.extract.words import TokenIndex
from fazhi.normalise.chars import CJK_CLASS, CJK_RE
from fazhi.place.gazetteer import Place, ancestors, mentions, short_name
from fazhi.records import Quantity
from fazhi.rules import Frame, Indicator, Marker, Organs, alternation

__all__ = ["TOTAL_MARK", "ScopeContext", "SectorOrgans", "decide", "sector_organs"]

YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d.])")
# several years, a plan period or a part of the year: 近三年来, 多年来, “七五”普法期间, 宣传周期间
YEARS = re.compile(r"近[一二两三四五六七八九十\d]{1,2}年|多年来|近年来"
                   r"|(?<![\d〇零一二两三四五六七八九十])[一二两三四五六七八九十\d]{1,2}年(?:来|以来|间)"
                   r"|[一二三四五六七八九十]{1,2}五”?(?:普法)?(?:期间|以来|时期)|期间")
# 自新修订的复议法施行以来，…: a span from a date other than the year's start, for the sentence
SINCE_WHEN = re.compile(r"(?:^|[，,：:])(?:自|从)[^，,。；;]{1,30}?以来")
# 在“宪法宣传周”活动中，/ 在专项行动期间， opening a sentence: the figures of that campaign
DURING_EVENT = re.compile(r"(?:^|[，,：:])在[^，,。；;]{2,30}?(?:活动|宣传月|宣传周|宣传日|专项行动|行动)"
                          r"(?:中|期间|当天|里)[，,]")
THIS_YEAR = re.compile(r"今年|年初|本年|年度")
# 由2022年底的1100人增至1236人: the figure a change reaches is the report year's
FROM_YEAR = re.compile(r"[由从]$")
CHANGED_TO = re.compile(rf"(?:增|升|提|降|减|扩|缩)[{CJK_CLASS}]?[至到]$")
# a plan word qualifying a noun (拟出台的规范性文件, 拟作出的重大决策): what is reviewed, not a plan
PROPOSED = "拟"
ATTRIBUTIVE = re.compile(rf"[{CJK_CLASS}]{{1,4}}的")
# a figure per unit, not a sum: 均配备1名, 每村2场, 人均0.5元, 平均
# the noun only qualifies a work's meeting, rule or body: 普法工作推进会, 复议工作制度
WORK_OF = re.compile(rf"工作[{CJK_CLASS}]")
# a list item after the counted noun that the lexicon does not know: 合同、协议、文件等
UNKNOWN_ITEM = re.compile(rf"(?:、|和|及|与|以及)[{CJK_CLASS}]{{2,8}}")
# a theme of one law: 民法典专题培训, 《安全生产法》宣传, 宪法宣传
LAW_THEME = re.compile(r"(?:》|法典|宪法|条例)(?:专题|主题|集中)?$")
# the partners of whoever acts: 联合派出所、综治中心开展… (their office is not what is counted)
PARTNER = re.compile(r"(?:联合|会同|协同|配合|携手|邀请)[^，,。；;:：]{0,10}$")
OWN_LEVELS = ("街道", "镇", "乡", "区", "县", "市")
# the reporting body itself as a party: 作为被告的…, 本局作为被申请人…, 我委作为…
SELF_AS = re.compile(rf"(?:(?:本|我)[{CJK_CLASS}]{{0,3}})?作")
COMBINED = "combined"
EXAM = "考试"
# the reporting department itself as the one who studies: 本局, 我委, 本单位 (not 县委常委会)
SELF_BODY = re.compile(r"(?:本|我)(?:局|委|办|院|厅|署|单位|部门|机关|中心)"
                       r"(?!党|理论学习|中心组|领导班子|班子|常委|常务|办公会)")
NEW_IN_STOCK = "新增"
HANDLED = ("handle", "accept", "receive", "conclude")  # verbs of cases taken in and dealt with
# what a catalogue of decisions lists: 目录共列入5项, 目录确定8项 (not 目录编制等8个环节)
LISTED_IN = re.compile(r"[^，,。；;、等]{0,4}?(?:列入|纳入|包括|包含|确定|涵盖|共)")
AS_PARTY = "为被"  # the markers 为被告的, 为被申请人的: one body as a party
ALL_BODIES = re.compile(r"各|所有|全[县区市省州盟旗镇乡]")
FACILITY_LIST = re.compile(r"[(（][^()（）\d]{0,10}、[^()（）\d]{0,10}[)）]")
PER_UNIT = re.compile(r"(?:均|每|人均|户均|平均)[^，,。；;:：\d]{0,8}$")
TOTAL_MARK = "全"
# a year something is compared with (较2022年, 比上年同期, 与2021年相比): it dates only its own clause
COMPARED = re.compile(r"(?:较|比|与|同|对比|相比|低于|高于|少于|多于|是)(?:的)?$")
SINCE = "以来"
CJK2 = re.compile(rf"[{CJK_CLASS}]{{2}}")
KIND_HEADS = ("纠纷", "案件")
DETERMINERS = ("各类", "各种", "所有", "全部", "相关", "上述", "此类", "有关", "共有", "累计", "全年", "本年", "年度")
MANY_BODIES = re.compile(r"个|各|以上|所有")
# 各村(社区), 19个村(社区)调委会, 所有社区: every unit of the kind, not one
MANY_UNITS = re.compile(r"(?:各|所有|全部|(?<![\d一二三四五六七八九十百千两])"
                        r"(?:[2-9]\d*|1\d+|[二三四五六七八九十百千两][一二三四五六七八九十百千两]*)个)[^，,。；;:：、\d]{0,3}$")
LIST_JOINT_RE = re.compile(r"(?:、|和|及|与|以及|或)")
LIST_JOINTS = ("、", "和", "及")
# a marker that starts a law's name: 未成年人保护法, 妇女权益保障法 (not 其中法律援助…)
# an organ of a sector: a level word, the sector's name, a head word of seeds/organ_heads.csv
# (县市场监管局, 区卫健委, 市法律援助中心); a name holds none of these (全县各部门共办理 is no organ)
ORGAN_LEVELS = "省市州盟县区旗"
ORGAN_NAME_STOPS = "各全共等的了在对向从与及或并镇、"
# a township's own office (城关镇综合执法队, 城乡 is no township): no sector of the county
TOWNSHIP_IN_NAME = re.compile(r"(?<!城)乡|街道")
MANY_BEFORE = re.compile(r"(?:全|各|所有)$")
# who the organ is not the actor for: 按照县市场监管局部署, 向县信访局反映, 在县司法局指导下
NOT_ACTOR = re.compile(r"(?:按照|根据|依据|依托|向|对|报|在|给|为|从|以)[^，,。；;:：]{0,6}$")
# every body of the jurisdiction named after the organ: 县司法局组织全县各执法单位评查… (their figure)
ALL_BODIES_AFTER = re.compile(r"(?:各|所有|全[县区市省州盟旗镇乡])[^，,。；;:：]{0,10}?"
                              r"(?:部门|单位|机关|机构|系统|组织|乡镇|街道)")
CLAUSE_OPENING = "，,；;：:"
ISSUER_REACH = 300  # a report's title is in its first characters
TITLE_STOPS = re.compile(r"[。，,；;！？]")
LAW_NAME_AFTER = re.compile(rf"[{CJK_CLASS}]{{0,4}}?(?:法|条例|规定)(?=[^{CJK_CLASS}]|等|和|及|与)")


@dataclass(frozen=True, slots=True)
class ScopeContext:
    """What the scope rules need of the document."""

    text: str
    tokens: TokenIndex
    titles: list[tuple[int, int]]
    quotes: list[tuple[int, int]]
    number_starts: frozenset[int]
    quantity_ends: list[int]
    markers: dict[str, Marker]
    marker_hits: list[tuple[int, str]]  # every marker of the document: (start, marker)
    marker_starts: list[int]
    frames: dict[str, Frame]
    anchors: frozenset[tuple[str, str]]  # (slot, class) pairs that name something on their own
    inside: Callable[[list[tuple[int, int]], int, int], bool]  # (spans, start, end): inside one span
    counted: Callable[[int, int], bool]  # (start, end) of a facility marker: the facilities are counted
    disclosure_report: bool  # the document is an information-disclosure annual report
    report_year: int | None
    elsewhere: Callable[[int, int], str] | None = None  # (start, end): a place other than the report's named there
    organs: SectorOrgans | None = None  # the organs of sectors named in the text


def decide(ctx: ScopeContext, q: Quantity, choice: Choice, history: History) -> tuple[str, str]:
    """The scope of a quantity the grammar matched (with the reading that matched), and why."""
    text, ind, r, report_year = ctx.text, choice.indicator, choice.reading, ctx.report_year
    before = text[r.sentence_start:q.start]
    if report_year:
        years = [int(m.group(1)) for m in YEAR.finditer(before)
                 if r.sentence_start + m.start() not in ctx.number_starts
                 and not _compared_before(before, m.start(), r.clause_start - r.sentence_start)
                 and not (FROM_YEAR.search(before, max(0, m.start() - 2), m.start())
                          and CHANGED_TO.search(before, m.end()))]
        if years and years[-1] != report_year:
            return "other_period", f"year {years[-1]}"
    span = YEARS.search(before)
    if span:
        return "other_period", span.group()
    event = DURING_EVENT.search(before)
    if event:
        return "other", "在…中"  # 在“民法典宣传月”活动中，全县开展…: that campaign's figures
    since = SINCE_WHEN.search(before)
    if since and not (report_year and str(report_year) in since.group()) and not THIS_YEAR.search(since.group()):
        return "other_period", "自…以来"  # 自新法施行以来，全市共收到…: since a date, not the year
    if r.domain_how == "discourse":
        # "主题党日活动24次，参与党员860人次": the people of an event count as the event does
        event = next((pq for pq, pi in reversed(history.prior_since(r.sentence_start))
                      if pi.unit_class == "event"), None)
        scope = history.scopes.get(event.start) if event is not None else None
        if scope is not None and scope[0] == "other":
            return scope  # (not a sub-unit's: several events may be covered, 4期培训班、1次集中学习，覆盖…)
    if q.unit != "%" and q.value:  # 均为0: nought each is nought in all
        per = PER_UNIT.search(text, r.item_start, q.start)
        if per:
            return "other", "per unit"
    if choice.combined:
        return "other", COMBINED + " verbs"
    if r.listed_objects and q.unit != "%":
        classes = {t.cls for t in r.listed_objects} | {r.object_class}
        if len(classes) > 1 and not classes <= ctx.frames[ind.code].objects:
            return "other", COMBINED + " list"
    if r.obj is not None and r.obj.end <= q.start and UNKNOWN_ITEM.match(text, r.obj.end, q.start):
        later = ctx.tokens.between(r.obj.end, q.start)
        if not later or (q.unit != "%" and any(t.role == "object" and t.cls not in ctx.frames[ind.code].objects
                                               for t in later)):
            # 审查合同、协议、文件等320件 / 合同、协议及涉法文件共215件: the list goes on past the
            # indicator's nouns (to nouns the lexicon does not know, or knows as another kind)
            return "other", COMBINED + " list"
    found = _look_alike(ctx, q, r, ind)
    if found:
        return found
    body = _body(ctx, q, r, ind)
    if body:
        return "subunit", body
    scope = _markers(ctx, q, r, ind, history)
    if scope[0] == "total" and ctx.elsewhere is not None:
        other = ctx.elsewhere(r.clause_start, q.start)
        if other:
            return "subunit", other  # 城关镇调解纠纷120件 in the county's report: one town's figure
    if scope[0] == "total" and ctx.organs is not None:
        organ = _sector_organ(ctx, q, r, ind)
        if organ:
            return "subunit", organ  # 县市场监管局查处案件120件 in the county's report: one sector's
    if scope[0] == "total" and r.obj is not None and r.obj.start > q.end:
        # "128名干部参加新提任法治理论考试": what the people did is told after the number
        for _, marker in _hits(ctx, q.end, r.obj.end):
            if ctx.markers[marker].scope in ("other", "other_period"):
                return ctx.markers[marker].scope, marker
    return scope


def _compared_before(before: str, at: int, clause_at: int) -> bool:
    """A year named after a comparison word in an earlier clause (…，较2022年的558件有所上升，
    调解成功率98.7%): the later clauses still tell the report year."""
    return at < clause_at and COMPARED.search(before, max(0, at - 3), at) is not None


def _look_alike(ctx: ScopeContext, q: Quantity, r: Reading, ind: Indicator) -> tuple[str, str] | None:
    text = ctx.text
    item = ctx.tokens.between(r.item_start, q.start)
    for t in item:
        if t.role == "object" and text[t.end:t.end + 1] == "类":
            return "other", f"{t.text}类"
    obj = r.obj
    if obj is not None:
        after = text[obj.end:obj.end + 2]
        # 行政许可事项26项, …权力清单 (not 行政许可事项申请; the year's 重大行政决策事项目录 lists
        # the decisions themselves)
        decisions_listed = obj.cls == "decision" and LISTED_IN.match(text, obj.end + 2, q.start) is not None
        listing = after in ("清单", "目录") and not decisions_listed
        handled = r.action is not None and r.action.cls in HANDLED
        if listing or (after == "事项" and obj.cls in ("license", "penalty", "coercive") and obj.end + 4 >= q.start
                       and not handled):
            return "other", "catalogue"  # (办理行政许可事项3.2万件: the applications handled)
        if WORK_OF.match(text, obj.end, q.start) and not ctx.tokens.between(obj.end, q.start):
            return "other", "工作"  # 普法工作推进会2次, 复议工作制度8项: a meeting or rule of that work
        rest = text.rfind("其他", max(r.item_start, obj.start - 4), obj.start)
        if rest >= 0 and not ctx.tokens.between(rest + 2, obj.start):
            return "other", "其他"  # 其他服务事项: the rest (not 其他组织…申请: 组织 is another word)
    clause = ctx.tokens.between(r.clause_start, q.start)
    channels = [t for t in clause if t.role == "channel"]
    if channels and not any(t.cls == "hotline" for t in clause):
        near = channels[-1]
        joined = any(LIST_JOINT_RE.fullmatch(text[a.end:b.start]) for a, b in pairwise(channels))
        if not joined:
            return "subunit", near.text  # one channel: 来访, 网站, 公众号 (来访、来电等 is all of them)
    if q.unit == "%" and obj is not None and not obj.domain:
        exams = [t for t in ctx.tokens.between(r.sentence_start, obj.start)
                 if t.role == "object" and t.text.endswith(EXAM)]
        if exams and exams[-1].cls == "other":
            return "other", exams[-1].text  # 执法资格考试，通过率100%: another exam's rate
    if r.object_class == "consultation":
        for t in ctx.tokens.between(r.sentence_start, obj.start):
            if t.role == "object" and (t.cls == "activity" or (t.domain == "law_publicity"
                                       and t.cls in ("publicity", "material", "lecture"))):
                return "other", "consultations at publicity events"
    if obj is not None and (ind.domain in ("training", "law_publicity") or obj.cls == "inspection") and \
            LAW_THEME.search(text, max(r.item_start, obj.start - 12), obj.start):
        # (《安全生产法》执法检查: a legislature's review of one law, not an inspection of the regulated)
        return "other", "one law's theme"
    if obj is not None and obj.text in KIND_HEADS:
        # 医疗纠纷, 食品案件: one kind of dispute or case (a word of the lexicon or a determiner
        # before the head is no kind: 矛盾纠纷, 行政执法案件, 各类案件)
        kind = text[obj.start - 2:obj.start]
        if CJK2.fullmatch(kind) and "的" not in kind and kind not in DETERMINERS \
                and ctx.tokens.covering(obj.start - 1) is None:  # (确认违法的案件: a clause, no kind)
            return "subunit", kind + obj.text
    if ind.domain in ("admin_reconsideration", "admin_litigation") and (ctx.disclosure_report or
            r.heading_domain == "info_disclosure" or "信息公开" in text[r.sentence_start:q.start]):
        return "other", "over information disclosure"
    before = text[r.sentence_start:q.start]
    k = before.rfind("领域")
    if k > 0 and before[k - 1] not in "各个":
        return "subunit", "领域"
    if text[q.start - 1:q.start] == "算":
        return "other", "counting rule"
    return None


def _body(ctx: ScopeContext, q: Quantity, r: Reading, ind: Indicator) -> str:
    """A leadership body's own study (中心组, 常务会, 班子, 会前学法) is not the jurisdiction's training.
    For study sessions and lectures the body may be named anywhere before in the sentence, for
    training courses only in their item; an audience named in the item (干部职工) makes it total."""
    if ind.domain != "training" or r.obj is None or r.obj.cls not in ("study", "lecture", "training", "activity"):
        return ""
    lo = r.item_start if r.obj.cls == "training" else r.sentence_start
    hi = max(r.obj.end, q.start)
    best, at = "", -1
    for start, marker in _hits(ctx, lo, hi):
        if ctx.markers[marker].applies_to == "body":
            best, at = marker, start
    if at < 0 or MANY_BODIES.search(ctx.text, max(0, at - 8), at):
        return ""  # 100多个党委(党组), 正局级以上党委, 各党组: many bodies, the jurisdiction's study
    if SELF_BODY.search(ctx.text, r.sentence_start, at):
        return ""  # 本局组织集体学法12次: the reporting department's own staff study
    audience = [t for t in ctx.tokens.between(at + len(best), hi) if t.role == "audience"]
    audience += [t for t in ctx.tokens.between(r.item_start, hi) if t.role == "audience"]
    return "" if audience else best


def _markers(ctx: ScopeContext, q: Quantity, r: Reading, ind: Indicator, history: History) -> tuple[str, str]:
    text, report_year = ctx.text, ctx.report_year
    s0 = r.sentence_start
    anchors = [t for t in (r.action, r.obj) if t is not None]
    # a whole stated before of the same indicator (not a combined count: 复议和诉讼案件115件，其中
    # 行政诉讼案件43件 is the lawsuits' total)
    same_before = any(pi.code == ind.code and not history.scopes.get(pq.start, ("", ""))[1].startswith(COMBINED)
                      for pq, pi in history.prior_since(s0))
    total_at, sub_at, sub_marker = -1, -1, ""
    for at, marker in _hits(ctx, s0, q.start):
        mk = ctx.markers[marker]
        if mk.applies_to == "body":
            continue
        if any(at < t.end and at + len(marker) > t.start for t in anchors):
            continue  # the marker is the anchor word itself
        longer = ctx.tokens.covering(at)
        if longer is not None and longer.start == at and len(longer.text) > len(marker):
            continue  # the start of a longer word: 被申请人 is not 被申请, 司法所长 not 司法所
        if ctx.inside(ctx.titles, at, at + len(marker)) or (
            ctx.inside(ctx.quotes, at, at + len(marker)) and text[at - 1:at + len(marker) + 1] != f"“{marker}”"
        ):
            continue  # part of a name
        in_clause = at >= r.clause_start
        if mk.applies_to in ("phrase", "item") and at < r.item_start:
            continue
        if mk.applies_to == "facility" and ctx.counted(at, at + len(marker)):
            continue
        if mk.applies_to in ("clause", "item") and not in_clause:
            continue
        if mk.applies_to == "act" and any(t.role == "negation" for t in ctx.tokens.between(s0, at)):
            continue  # 未发生被申请行政复议: a denial of the body's own cases, not cases over one kind of act
        if LAW_NAME_AFTER.match(text, at + len(marker)):
            continue  # 未成年人保护法: a law's name
        if mk.applies_to == "before_number" and (q.start - at - len(marker) > 2 or text[at + len(marker)] in "至到"):
            continue  # 下降至5.22%: a level, not a change
        if marker == NEW_IN_STOCK and ind.unit_class != "person":
            continue  # 新增行政诉讼案件54起: new cases are the year's flow (新增公职律师9名: a stock's change)
        if mk.scope == "total":
            total_at = at
        elif mk.scope == "subunit":
            if mk.applies_to == "breakdown":
                if same_before or _part_of_unread(ctx, at, r, history):
                    return "subunit", marker  # a part of a whole stated before in the sentence
                whole = _whole_before(history, s0, at)
                if whole is not None and whole[0] == "subunit":
                    return whole  # 中心受理纠纷620件，其中…化解415件: a part of a sub-unit's figure
                    # (a combined count's parts are each indicator's total)
                continue  # 其中 before another indicator: a breakdown by kind, each a total
            if MANY_UNITS.search(text, max(0, at - 8), at) or _listed_marker(ctx, at, marker):
                continue  # every unit of the kind, or several kinds listed (进企业、进校园、进社区)
            if PARTNER.search(text, max(0, at - 12), at):
                continue  # 联合派出所…开展: a partner of the one who acts
            if mk.applies_to == "facility" and _own_office(text, _word_start(ctx, at)):
                continue  # 镇司法所, 街道人民调解委员会: the jurisdiction's own office, not one of many
            if SELF_AS.fullmatch(text, _floor_start(ctx, at, r), at) or (
                    marker.startswith(AS_PARTY) and ALL_BODIES.search(text, _floor_start(ctx, at, r), at)):
                continue  # (本局)作为被告的案件, 全县各级行政机关作为被告的: own or everyone's cases
            if FACILITY_LIST.match(text, at + len(marker)):
                continue  # 公共法律服务中心（站、室）: every facility of the kind
            sub_at, sub_marker = at, marker
        elif mk.scope in ("other_period", "other"):
            if marker == PROPOSED and ATTRIBUTIVE.match(text, at + len(marker)):
                continue  # 拟出台的文件: what is reviewed before it is issued, not a plan
            if report_year and marker == SINCE and text.endswith(f"{report_year}年", 0, at):
                continue  # 2024年以来 in the report on 2024: the year so far
            return mk.scope, marker
    if sub_at > total_at:
        return "subunit", sub_marker
    return "total", TOTAL_MARK if total_at >= 0 else ""


def other_places(text: str, place: Place | None) -> Callable[[int, int], str] | None:
    """For the report on `place`: the name of another place (not it, not one above it) written in a
    span of `text`, or ""; None when the report's place is unknown."""
    if place is None:
        return None
    base = place.jurisdiction_id.split("-")[0] if place.jurisdiction_id else ""
    own_ids = set(ancestors(base)) | {place.jurisdiction_id, place.parent_id or ""}
    own_names = {place.name, short_name(place.name)}

    def elsewhere(lo: int, hi: int) -> str:
        for m in mentions(text[lo:hi]):
            if m.name not in own_names and not own_ids.intersection(m.ids):
                return m.name
        return ""
    return elsewhere


@dataclass(frozen=True, slots=True)
class Organ:
    start: int  # the level word
    end: int
    name: str
    own: bool  # the report's issuer


@dataclass(frozen=True, slots=True)
class SectorOrgans:
    """The organs of sectors a report names, and the functions some carry for the whole jurisdiction."""

    found: list[Organ]  # in order, none overlapping (one scan of the text)
    starts: list[int]
    ends: list[int]
    rules: Organs

    def between(self, lo: int, hi: int) -> list[Organ]:
        """The organs wholly inside [lo, hi), in order."""
        i = bisect.bisect_left(self.starts, lo)
        return self.found[i:bisect.bisect_right(self.ends, hi, i)]


def sector_organs(text: str, issuer: str | None, rules: Organs) -> SectorOrgans | None:
    """The organs of sectors named in `text` (a level word, a sector's name, a head word), each
    marked when it is the report's `issuer` or one of its units (区城管局 in the report of
    江宁区城市管理局: see _own; without an issuer, the organ its title names). None when the
    report is an unnamed department's (我局, 本中心): which organ is its own cannot be told."""
    organ, self_named = _organ_patterns(rules.heads, rules.not_heads)
    named = [m for m in organ.finditer(text) if not TOWNSHIP_IN_NAME.search(m.group("stem"))]
    if not issuer:  # an organ in a title the metadata did not take for the issuer (…法律援助处2024年度…公示)
        issuer = next((m.group() for m in named if m.start() < ISSUER_REACH and _title_line(text, m.start())), None)
    if not issuer and self_named.search(text):
        return None
    found = [Organ(m.start(), m.end(), m.group(), bool(issuer) and _own(m.group("stem"), issuer, rules)) for m in named]
    return SectorOrgans(found, [o.start for o in found], [o.end for o in found], rules)


@lru_cache(maxsize=4)
def _organ_patterns(heads: tuple[str, ...], not_heads: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """An organ's name (level word, sector's name, head word), and a department naming itself (我局, 本中心)."""
    head = _head_pattern(heads, not_heads)
    stem = rf"(?:(?![{ORGAN_NAME_STOPS}])[{CJK_CLASS}]){{2,12}}?"
    return re.compile(rf"[{ORGAN_LEVELS}](?P<stem>{stem}){head}"), re.compile(rf"(?:我|本){head}")


def _head_pattern(heads: tuple[str, ...], not_heads: tuple[str, ...]) -> str:
    """Any head word, longest first, not inside a word that starts or ends with it (办理, 举办)."""
    alternatives = []
    for h in sorted(heads, key=len, reverse=True):
        after = [w[len(h):] for w in not_heads if w.startswith(h) and w != h]
        before: dict[int, list[str]] = {}
        for w in not_heads:
            if w.endswith(h) and w != h:
                before.setdefault(len(w) - len(h), []).append(re.escape(w[:-len(h)]))
        behind = "".join(f"(?<!{'|'.join(ws)})" for ws in before.values())  # one width per look-behind
        ahead = f"(?!{alternation(after)})" if after else ""
        alternatives.append(behind + re.escape(h) + ahead)
    return "(?:" + "|".join(alternatives) + ")"


def _title_line(text: str, at: int) -> bool:
    """The line holding `at` is a title: no sentence or clause ends in it."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return not TITLE_STOPS.search(text, start, end if end >= 0 else len(text))


def _own(stem: str, issuer: str, rules: Organs) -> bool:
    """The organ named by `stem` is the issuer or one of its own units: its name's words, or those
    telling its sector, in the issuer's order (市场监管 in 市场监督管理局; 交通 of 县交通执法大队 in
    县交通运输局)."""
    sector = rules.sector(stem)
    return _in_order(stem, issuer) or (len(sector) >= 2 and _in_order(sector, issuer))


def _in_order(words: str, name: str) -> bool:
    """Every character of `words` in `name`, in order (市场监管 in 市场监督管理局)."""
    rest = iter(name)
    return all(ch in rest for ch in words)


def _sector_organ(ctx: ScopeContext, q: Quantity, r: Reading, ind: Indicator) -> str:
    """The organ of one sector that gives the figure, or "": the last organ named before the
    number in the statement that acts (not a partner, not one of a list, not one of all), unless
    it is the report's own or carries the indicator for the whole jurisdiction, or the
    jurisdiction or every body of it is named after it."""
    text, organs = ctx.text, ctx.organs
    for o in reversed(organs.between(r.sentence_start, q.start)):
        named_in = ctx.inside(ctx.titles, o.start, o.end) or ctx.inside(ctx.quotes, o.start, o.end)
        if named_in or _hits(ctx, o.start, o.end):
            continue  # part of a name, or an office the scope markers decide (服务中心, 调解委员会)
        if MANY_BEFORE.search(text, max(0, o.start - 2), o.start) or text[o.end:o.end + 1] in "、和及与等" \
                or text[o.start - 1:o.start] in LIST_JOINTS:
            continue  # 全市法律援助中心, 县市场监管局、县城管局等: several organs
        if PARTNER.search(text, max(0, o.start - 12), o.start) or \
                NOT_ACTOR.search(text, max(r.sentence_start, o.start - 8), o.start):
            continue  # 联合县市场监管局, 按照县市场监管局部署: not the one who acts
        if o.own or organs.rules.carries(o.name, ind):
            return ""
        if ALL_BODIES_AFTER.search(text, o.end, q.start):
            return ""  # 县司法局组织全县各执法单位…: all the bodies' figure
        for at, marker in _hits(ctx, o.end, q.start):
            mk = ctx.markers[marker]
            if mk.scope == "total" and mk.applies_to == "sentence" and text[at - 1:at] in CLAUSE_OPENING:
                return ""  # …，全县共查处…: the jurisdiction is the subject again
        return o.name
    return ""


def _own_office(text: str, at: int) -> bool:
    """A facility named by a bare level word (镇司法所, 街道人民调解委员会), not by a place's name
    (城关镇司法所)."""
    if text.startswith("人民", at - 2):
        at -= 2
    for level in OWN_LEVELS:
        k = at - len(level)
        if text.startswith(level, k):
            before = text[k - 1:k]
            return not CJK_RE.match(before) or before in "本我全该年"  # (全年镇…: after a time word)
    return False


def _floor_start(ctx: ScopeContext, at: int, r: Reading) -> int:
    """The start of the clause holding `at` (the reading's clause or an earlier one)."""
    starts = [m.end() for m in re.finditer(r"[，,：:；;。]", ctx.text[r.sentence_start:at])]
    return r.sentence_start + (starts[-1] if starts else 0)


def _word_start(ctx: ScopeContext, at: int) -> int:
    """Where the lexicon word ending in a marker starts: 街道公共法律服务工作站 is named by 街道."""
    word = ctx.tokens.covering(at)
    return word.start if word is not None and word.start < at else at


def _listed_marker(ctx: ScopeContext, at: int, marker: str) -> bool:
    """A sub-unit marker joined by 、/和/及 to another one, to a word of the same head
    (网络平台、实体平台), or listed after other items: several kinds together."""
    text, head = ctx.text, marker[-2:]
    if text[at - 1:at] in LIST_JOINTS:
        return True  # 实体、热线、网络平台, 来访、网络咨询: the marker is one item of a list
    end = at + len(marker)
    if LIST_JOINT_RE.fullmatch(text[end:end + 1]) and head in text[end + 1:end + 8]:
        return True
    i = bisect.bisect_left(ctx.marker_starts, at)
    for j in (i - 1, i + 1):
        if 0 <= j < len(ctx.marker_hits):
            other_at, other = ctx.marker_hits[j]
            if ctx.markers[other].scope != "subunit":
                continue
            lo, hi = (other_at + len(other), at) if j < i else (at + len(marker), other_at)
            if 0 < hi - lo <= 3 and LIST_JOINT_RE.fullmatch(ctx.text[lo:hi]):
                return True
    return False


def _hits(ctx: ScopeContext, lo: int, hi: int) -> list[tuple[int, str]]:
    """The markers wholly inside [lo, hi), in order."""
    i = bisect.bisect_left(ctx.marker_starts, lo)
    out = []
    while i < len(ctx.marker_hits) and ctx.marker_hits[i][0] < hi:
        if ctx.marker_hits[i][0] + len(ctx.marker_hits[i][1]) <= hi:
            out.append(ctx.marker_hits[i])
        i += 1
    return out


def _whole_before(history: History, lo: int, at: int) -> tuple[str, str] | None:
    """The scope of the last figure given an indicator in [lo, at): the whole a breakdown splits."""
    last = max((pq.start for pq, _ in history.prior if lo <= pq.start < at), default=None)
    return history.scopes.get(last) if last is not None else None


def _part_of_unread(ctx: ScopeContext, at: int, r: Reading, history: History) -> bool:
    """其中 right after a number that got no indicator but names another kind of thing (案卷3927份，
    其中法律援助案件…): a breakdown of something else."""
    s0 = r.sentence_start
    last = max(((pq.start, None) for pq, _ in history.prior if s0 <= pq.start < at), default=None)
    lastu = max(((uq.start, ur) for uq, ur in history.unread if s0 <= uq.start < at), key=lambda x: x[0],
                default=None)
    if lastu is None or (last is not None and last[0] > lastu[0]):
        return False
    parent = lastu[1]
    return parent.obj is not None and r.obj is not None and ("object", parent.obj.cls) in ctx.anchors \
        and parent.obj.cls != r.obj.cls and parent.obj.text not in r.obj.text
