"""Stage "attribute", the clause grammar: what a quantity counts.

Around each quantity the grammar reads, from the lexicon words of its clause (seeds/lexicon.csv):
  * the ACTION: the last verb of the clause before the number that governs it (not one in a
    relative clause "…参加的", not a negated one "尚未取得"); a list "审查A1件、B2件" keeps its verb,
    and a clause that is only "B2件" after "审查A1件，" keeps the verb of the clause before;
  * the OBJECT: the noun of the number's own item (after the previous number of the clause), or
    the head noun right after the measure word ("7场专题法治讲座"); a generic head (案件, 事项,
    活动) takes its kind from the specific noun right before it (来信来访事项);
  * for people ("N名干部参加考试"), what follows the number: the people are its subject;
  * the DOMAIN: the object's, else the action's, else the nearest domain word of the sentence,
    else the section heading; a coverage count ("…培训4场，覆盖160余人") takes the domain of the
    event counted just before it.
An indicator matches when its frame (seeds/indicator_frames.csv) admits the action class and the
object class, its domain is the domain, and the measure word fits its unit; at least one of the
two must be an anchor (a class that names something on its own, seeds/grammar_classes.csv).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from fazhi.extract.words import Token, TokenIndex
from fazhi.normalise.sentences import STATEMENT_END_RE
from fazhi.records import Quantity
from fazhi.rules import Catalog, Frame, Grammar, Indicator, Word

__all__ = ["Choice", "Ground", "History", "Reading", "Window", "choose", "read_quantity"]

PERSON_UNITS = frozenset({"person", "person_time"})
PASSIVE_REACH = 7  # 被 + an adverb (依法, 及时) + the verb
PEOPLE = frozenset({"audience", "literate", "adviser", "public_lawyer", "certified_officer"})
OPEN_KINDS = frozenset({"lecture", "activity"})  # events of no fixed domain: training or publicity
EVENT_KINDS = frozenset({"lecture", "activity", "training", "study", "publicity", "material"})  # 38场专题讲座
RATE_REACH = 10  # a rate noun names a percent at most this far before it
# the noun phrase after a number: up to 16 characters (a quoted name counts as one) before punctuation
POST_PHRASE = re.compile(r"(?:“[^”\n]{0,60}”|[^，,。；;：:、\n“（(]){0,16}")
# list joints between nouns or verbs: 、 和 及 与, and a few modifiers of the next item
LIST_JOINT = re.compile(r"(?:、|和|及|与|以及|或)[^，,。；;：:、\n\d]{0,4}")
NEGATED = re.compile(r"(?:未|尚未|没有|暂未|不)$")
NOT_DONE = re.compile(r"(?:不予|免予|未予|免于)$")  # 不予处罚案件: the cases where it was not done
COUNT_OF = re.compile(r"(?:数|数量|总数)(?:为|达|是)?$")  # 案件数268个: N of them, whatever the measure word
SHARE = re.compile("占|比例")
RATE_OF_VERB = re.compile(r"\s*(?:为|达|是|达到)\s*")  # 纠错为4.1%: the share the verb's count makes
# a clause that only gives the level of a rate named in the clause before: 降至4.3%, 达到98%
# (2023年提升至100%: a year may name whose level it is; scope.py decides if it is the report's)
LEVEL = re.compile(r"\s*(?:(?:19|20)\d\d年(?:底|末)?)?(?:并|且|已|均)?"
                   r"(?:下降|降|上升|升|提高|提升|增长|增加|减少|保持)?(?:至|到|为|达到|达|在)\s*")
PHRASE_BREAK = re.compile(r"[，,。；;：:、\n]|的")
# what an item may hold besides a verb and still count the clause's noun: joints, totals, qualifiers
BARE_ITEM = re.compile(r"[、，,和及与共计合达为约近余多超逾\s（）()]+")


@dataclass(frozen=True, slots=True)
class Reading:
    """What the grammar sees around one quantity."""

    action: Token | None
    obj: Token | None
    domain: str
    domain_how: str  # object | action | modifier | discourse | sentence | paragraph | heading | default
    domain_at: int  # where the word that gave the domain starts (-1: not in the sentence)
    listed_objects: tuple[Token, ...]  # nouns listed before the object (A、B、C N件)
    listed_actions: tuple[Token, ...]  # verbs listed before the action (审查、备案 X N件)
    item_start: int  # after the previous number of the clause
    clause_start: int
    sentence_start: int
    heading_domain: str
    inherited: Token | None = None  # the verb of the clause before, for a clause of nouns only
    after_verb: Token | None = None  # the verb after the number in "对…N项…进行审查", tried first
    carried: bool = False  # a rate noun of the clause before ("败诉率下降2个百分点，降至4.3%")

    @property
    def action_class(self) -> str:
        return self.action.cls if self.action is not None else "none"

    @property
    def object_class(self) -> str:
        return self.obj.cls if self.obj is not None else "none"


@dataclass(frozen=True, slots=True)
class Choice:
    indicator: Indicator
    anchors: int  # how many of action and object are anchors (0-2)
    reading: Reading  # the reading that matched (an inherited verb, a listed rate ...)
    combined: bool = False  # listed verbs or nouns that name different indicators


@dataclass(frozen=True, slots=True)
class Window:
    """Where a quantity sits: its clause, statement, item, the next number and its section."""

    clause_start: int
    clause_end: int
    sentence_start: int
    item_start: int
    next_start: int
    heading_domain: str  # the domain the section heading in force names, or ""


@dataclass(frozen=True, slots=True)
class Ground:
    """What the grammar reads: the normalised text, its words, and the rules."""

    text: str
    tokens: TokenIndex
    catalog: Catalog
    grammar: Grammar


@dataclass(slots=True)
class History:
    """What the document said before the current quantity."""

    prior: list[tuple[Quantity, Indicator]] = field(default_factory=list)  # attributed quantities
    unread: list[tuple[Quantity, Reading]] = field(default_factory=list)  # quantities given no indicator
    last: tuple[Quantity, Reading] | None = None  # the quantity just before
    scopes: dict[int, tuple[str, str]] = field(default_factory=dict)  # quantity start -> (scope, reason)

    def prior_since(self, start: int) -> list[tuple[Quantity, Indicator]]:
        """The attributed quantities at `start` or later (`prior` is in text order: read back from its
        end, not through the whole document)."""
        i = len(self.prior)
        while i and self.prior[i - 1][0].start >= start:
            i -= 1
        return self.prior[i:]


@dataclass(frozen=True, slots=True)
class _Found:
    """The words a reading found before its domain is known."""

    obj: Token | None
    action: Token | None
    listed_objects: tuple[Token, ...]
    listed_actions: tuple[Token, ...]


def _listed(text: str, tokens: list[Token], last: Token) -> tuple[Token, ...]:
    """The tokens joined to `last` by list joints, nearest first."""
    out = []
    i = tokens.index(last)
    while i > 0 and LIST_JOINT.fullmatch(text[tokens[i - 1].end:tokens[i].start]):
        out.append(tokens[i - 1])
        i -= 1
    return tuple(out)


def _head(text: str, obj: Token | None, objects: list[Token], grammar: Grammar) -> Token | None:
    """A generic head noun (案件, 事项, 申请, 活动) takes its kind from the specific noun written
    right before it, through other generic ones: 来信来访事项 is a petition, 行政许可事项申请 a
    licence, 法治宣传教育活动 a publicity event. Amounts keep their head."""
    if obj is None or ("object", obj.cls) in grammar.anchors or obj.cls == "amount" or obj not in objects:
        return obj
    i = objects.index(obj)
    while i > 0:
        prev, cur = objects[i - 1], objects[i]
        gap = text[prev.end:cur.start]
        if len(gap) > 2 or re.search(r"[，,。；;：:、\n]", gap):
            break
        if ("object", prev.cls) in grammar.anchors:
            return prev
        i -= 1
    return obj


def _negated(text: str, t: Token) -> Token:
    if NEGATED.search(text[max(0, t.start - 2):t.start]):
        return Token(t.start, t.end, Word(t.text, "action", "other", t.domain))
    return t


def _not_done(text: str, t: Token | None) -> Token | None:
    """不予处罚案件, 免予处罚决定: a noun of an act that was not done counts something else."""
    if t is not None and NOT_DONE.search(text, max(0, t.start - 2), t.start):
        return Token(t.start, t.end, Word(t.text, "object", "other", t.domain))
    return t


def read_quantity(g: Ground, q: Quantity, w: Window, history: History) -> Reading:
    """The action, object and domain of a number (see the module's docstring)."""
    text, tokens, catalog, grammar, last = g.text, g.tokens, g.catalog, g.grammar, history.last
    pre = tokens.between(w.clause_start, q.start)
    item = [t for t in pre if t.start >= w.item_start]
    post_end = min(POST_PHRASE.match(text, q.end).end(), w.next_start, w.clause_end)
    post: list[Token] = []
    for t in tokens.between(q.end, post_end):
        if t.role in ("action", "negation"):
            break
        post.append(t)
    objs_item = [t for t in item if t.role == "object"]
    heads = [t for t in objs_item if t.cls != "audience"] or objs_item
    objs_post = [t for t in post if t.role == "object"]
    objs_clause = [t for t in pre if t.role == "object"]
    pre_obj = heads[-1] if heads else None
    if pre_obj is None and objs_clause and not objs_post and (
            any(t.role == "action" for t in item) or not BARE_ITEM.sub("", text[w.item_start:q.start])):
        # "受理案件120件、审结115件", "培训班三期共150人次": the item's noun is the clause's; not in
        # "合同232件、一般性文件26个", where the item names a noun the lexicon does not know
        pre_obj = objs_clause[-1]
    if pre_obj is not None and ("object", pre_obj.cls) in grammar.anchors and not (
            objs_post and objs_post[-1].cls in EVENT_KINDS and any(t.role == "action" for t in item)):
        obj = pre_obj  # but 法律服务团队开展了38场专题讲座: the event after the measure word is counted
    else:
        obj = objs_post[-1] if objs_post else pre_obj
    all_objs = objs_clause + objs_post
    obj = _not_done(text, _head(text, obj, all_objs, grammar))
    if obj is None:
        named = [t for t in item if t.role == "name" and ("object", t.cls) in grammar.anchors]
        if named:
            obj = named[-1]  # the noun of a quoted name: “双随机、一公开”抽查120次
    verbs = [_negated(text, t) for t in pre if t.role == "action"]
    inherited = None
    if not verbs and last is not None:
        lq, lr = last
        if lr.sentence_start == w.sentence_start and lr.clause_start < w.clause_start and \
                not text[lq.end:w.clause_start].strip("，,、 "):
            inherited = lr.action or lr.inherited  # "审查议题120个，会议纪要62件": clauses under one verb
    if obj is None and not verbs and catalog.unit_class.get(q.unit, "") not in PERSON_UNITS:
        # nothing names anything here: no need to look further
        return Reading(None, None, "", "", -1, (), (), w.item_start, w.clause_start, w.sentence_start,
                       w.heading_domain, inherited)
    # a verb before 的 only qualifies a noun (参加的活动), unless no other verb governs (审结的复议案件)
    actions = [t for t in verbs if text[t.end:t.end + 1] != "的"] or verbs
    action = actions[-1] if actions else None
    blocking = [t for t in actions if t.start >= w.item_start and t.cls == "other"]
    if blocking:
        action = blocking[-1]  # 减少检查次数, 调撤…案件: the count is something else
    if obj is not None and obj.cls == "opinion" and action is not None and action.end == obj.start \
            and action.cls == "review":
        # 出具合法性审查意见书: 出具 governs, 审查 only names the letters; but in
        # 规范性文件合法性审查意见书 the letters are the reviews of the documents named before
        verb = action
        earlier = [t for t in actions if t.end <= verb.start]
        action = earlier[-1] if earlier else None
        before = [t for t in all_objs if t.end == verb.start]
        if before and ("object", before[0].cls) in grammar.anchors:
            action, obj = verb, before[0]
    after_verb = None
    ba = text.rfind("对", w.clause_start, q.start)
    if ba >= 0 and tokens.covering(ba) is None and \
            (action is None or action.start < ba or text[action.end:action.end + 1] == "的") and \
            (ba >= w.item_start or not any(t.role == "action" for t in tokens.between(ba, q.start))):
        # "对12项重大决策进行合法性审查": 对 puts the object first, the verb after the number; in a
        # list "对A4件、B11件进行审查" past the other items; "开展合法性审查": the light verb's object
        # (对拟作出的8项决策进行审查: a verb before 的 only qualifies the noun)
        again = text.find("对", q.end, w.clause_end)
        later = [t for t in tokens.between(q.end, again if again >= 0 else w.clause_end) if t.role == "action"]
        if later:
            verb = later[0]
            if ("action", verb.cls) not in grammar.anchors and len(later) > 1 and later[1].start - verb.end <= 1:
                verb = later[1]
            after_verb = _negated(text, verb)
    if after_verb is None:
        # "136件行政复议申请被依法受理": a passive verb after the number tells what was done
        bei = text.find("被", q.end, min(w.clause_end, w.next_start))
        if bei >= 0 and tokens.covering(bei) is None:
            later = [t for t in tokens.between(bei + 1, min(bei + PASSIVE_REACH, w.clause_end)) if t.role == "action"]
            if later:
                after_verb = _negated(text, later[0])
    if catalog.unit_class.get(q.unit, "") in PERSON_UNITS:
        people = [t for t in objs_post if t.cls in PEOPLE]
        if people:
            obj = people[0]
        rest = tokens.between(q.end, min(w.next_start, w.clause_end))
        verbs = [t for t in rest if t.role == "action"]
        if verbs:  # "N名X参加Y": the people counted are the subject of what follows
            action = _negated(text, verbs[0])
            after = [t for t in rest if t.start >= verbs[0].end and t.role == "object"]
            if after:
                obj = after[0]
                for t in after[1:]:  # 参加年度学法用法考试: the head ends the noun phrase
                    if PHRASE_BREAK.search(text, obj.end, t.start):
                        break
                    obj = t
    listed_objects = ()
    for group in (objs_clause, objs_post):
        if obj in group:
            listed_objects = _listed(text, group, obj)
    listed_actions = _listed(text, actions, action) if action in actions else ()
    r = _with_domain(g, q, w, _Found(obj, action, listed_objects, listed_actions), history)
    return replace(r, inherited=inherited, after_verb=after_verb) if inherited or after_verb else r


def _with_domain(g: Ground, q: Quantity, w: Window, found: _Found, history: History) -> Reading:
    tokens, obj, action = g.tokens, found.obj, found.action
    domain, how, at = "", "", -1
    if action is not None and action.cls == "cover" and not action.domain and \
            (obj is None or obj.cls in ("audience", "study")):
        # "…培训4场，覆盖160余人": coverage counts the people of the event counted just before
        # (a verb of its own kind, 参训 or 受教育, says itself whose people they are)
        for _, pind in reversed(history.prior_since(w.sentence_start)):
            if pind.unit_class == "event":
                domain, how, obj = pind.domain, "discourse", None
                break
    if not domain and obj is not None and obj.domain:
        domain, how = obj.domain, "object"
    if not domain and obj is not None and obj.cls == "amount":
        # 行政处罚案总金额: an amount of what the noun before it names
        before = [t for t in tokens.between(max(w.item_start, obj.start - 4), obj.start) if t.domain]
        if before:
            domain, how = before[-1].domain, "modifier"
    if not domain and action is not None and action.domain:
        domain, how = action.domain, "action"
    open_kind = obj is not None and obj.cls in OPEN_KINDS
    if not domain:
        end = max(q.end, obj.end) if obj is not None else q.start
        for t in reversed(tokens.between(w.sentence_start, end)):
            if t.domain and t is not obj and (open_kind or t.role != "audience"):
                domain, how, at = t.domain, "sentence", t.start
                break
    if not domain:
        domain, how = w.heading_domain, "heading"
    if open_kind and domain not in ("training", "law_publicity"):
        # a lecture or event of no named kind: the kind a verb of its people later in the statement
        # names (…讲座6场，参训1100人次: training), else law publicity
        end = STATEMENT_END_RE.search(g.text, q.end)
        # (…讲堂12期，全县2000余名公职人员参加: the people named, officials or the public, say it too)
        later = [t.domain for t in tokens.between(q.end, end.start() if end else len(g.text))
                 if (t.role in ("action", "audience") or t.cls == "audience")
                 and t.domain in ("training", "law_publicity")]
        domain, how = (later[0], "sentence") if later else ("law_publicity", "default")
    return Reading(action, obj, domain, how, at, found.listed_objects, found.listed_actions, w.item_start,
                   w.clause_start, w.sentence_start, w.heading_domain)


def choose(g: Ground, reading: Reading, q: Quantity) -> list[Choice]:
    """The indicators the reading matches, best first."""
    text, catalog = g.text, g.catalog
    if q.unit == "%" and reading.obj is None and LEVEL.fullmatch(text, reading.clause_start, q.start):
        rates = [t for t in g.tokens.between(reading.sentence_start, reading.clause_start)
                 if t.role == "object" and t.cls.endswith("_rate")]
        if rates:
            t = rates[-1]
            reading = replace(reading, obj=t, domain=t.domain or reading.domain, domain_how="object", carried=True)
    if q.unit == "%":
        if reading.listed_objects:
            # "参考率、合格率均为100%": every listed rate has the value
            for t in (reading.obj, *reading.listed_objects):
                found = _match(g, replace(reading, obj=t, listed_objects=(), domain=t.domain or reading.domain), q)
                if found:
                    return found
            return []
        lo = reading.action.end if reading.action is not None else reading.item_start
        if reading.obj is None and (SHARE.search(text[lo:q.start]) or
                                    (reading.action is not None and RATE_OF_VERB.fullmatch(text, lo, q.start))):
            # "作出撤销、变更…决定等占15.18%": a count's share is the rate with that numerator
            as_count = replace(q, unit="件")
            return [Choice(r, c.anchors, c.reading) for c in _match(g, reading, as_count)
                    for r in catalog.indicators.values()
                    if r.kind == "rate" and c.indicator.code in r.numerator_code.split("+")][:1]
    found = []
    if reading.after_verb is not None:
        found = _match(g, replace(reading, action=reading.after_verb), q)
    if not found:
        found = _match(g, reading, q)
    if not found and reading.inherited is not None and reading.obj is not None:
        found = _match(g, replace(reading, action=reading.inherited), q)
    if not found and reading.domain_how in ("sentence", "heading", "modifier"):
        for domain, how, at in _other_domains(g, reading, q):
            found = _match(g, replace(reading, domain=domain, domain_how=how, domain_at=at), q)
            if found:
                break
    if not found and reading.domain_how == "sentence" and reading.heading_domain:
        found = _match(g, replace(reading, domain=reading.heading_domain, domain_how="heading"), q)
    if found and reading.listed_actions:
        codes = {found[0].indicator.code}
        for verb in reading.listed_actions:
            alt = _match(g, replace(reading, action=verb, listed_actions=()), q)
            codes |= {c.indicator.code for c in alt[:1]}
        if len(codes) > 1:
            found = [replace(c, combined=True) for c in found]
    elif not found and reading.listed_actions:
        for verb in reading.listed_actions:  # 审查、备案政府合同: the verb that names an indicator
            found = _match(g, replace(reading, action=verb, listed_actions=()), q)
            if found:
                break
    return found


def _other_domains(g: Ground, reading: Reading, q: Quantity):
    """When the nearest domain word names nothing the number can be (以调解、和解方式结案: 调解 is
    the manner), the other domains of the statement, nearest first; then, for a statement that
    names none or none that fits, those of the statements before it in its paragraph (…行政复议
    案件1024件；办结976件; …行政复议…；以调解、和解方式结案81件)."""
    text, seen = g.text, {reading.domain}
    if reading.domain_how in ("sentence", "modifier"):  # (协议涉及金额 after mediation figures)
        for t in reversed(g.tokens.between(reading.sentence_start, q.start)):
            if t.domain and t.domain not in seen and t.role != "audience":
                seen.add(t.domain)
                yield t.domain, "sentence", t.start
    line_start = text.rfind("\n", 0, reading.sentence_start) + 1
    for t in reversed(g.tokens.between(line_start, reading.sentence_start)):
        if t.domain and t.domain not in seen and t.role != "audience":
            seen.add(t.domain)
            yield t.domain, "paragraph", -1


_FRAMES_BY_DOMAIN: dict[int, dict[str, list[tuple[Indicator, Frame]]]] = {}


def _frames_of(catalog: Catalog, grammar: Grammar) -> dict[str, list[tuple[Indicator, Frame]]]:
    """The frames by domain, in catalog order (built once per grammar)."""
    found = _FRAMES_BY_DOMAIN.get(id(grammar))
    if found is None:
        found = {}
        for code, frame in grammar.frames.items():
            ind = catalog.indicators[code]
            found.setdefault(ind.domain, []).append((ind, frame))
        _FRAMES_BY_DOMAIN[id(grammar)] = found
    return found


def _match(g: Ground, reading: Reading, q: Quantity) -> list[Choice]:
    text, catalog, grammar = g.text, g.catalog, g.grammar
    a_cls, o_cls = reading.action_class, reading.object_class
    anchors = (("action", a_cls) in grammar.anchors) + (("object", o_cls) in grammar.anchors)
    local = (o_cls != "none" and reading.domain_how == "sentence" and reading.domain_at >= reading.clause_start) \
        or reading.domain_how == "modifier"
    if not anchors and not local:
        return []
    zero = q.unit == "" and q.value == 0
    out = []
    for ind, frame in _frames_of(catalog, grammar).get(reading.domain, ()):
        if a_cls not in frame.actions or o_cls not in frame.objects:
            continue
        if zero:
            if ind.kind != "count":
                continue
        elif not catalog.unit_fits(ind, q.unit) and not (
                ind.kind == "count" and catalog.unit_class.get(q.unit) in ("generic", "item")
                and COUNT_OF.search(text, max(0, q.start - 4), q.start)) and not (
                ind.unit_class == "case" and reading.obj is not None and reading.obj.text.endswith("决定")
                and catalog.unit_class.get(q.unit) == "copy"):  # 行政处罚决定635份: decisions, one a case
            continue
        if ind.unit_class == "percent" and (reading.obj is None or (q.start - reading.obj.end > RATE_REACH
                                            and not reading.carried)):
            continue
        out.append(Choice(ind, anchors, reading))
    out.sort(key=lambda c: -c.anchors)
    return out

