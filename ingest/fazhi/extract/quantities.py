"""Stage "find quantities": normalised report text -> `Quantity` records.

A quantity is a number with a measure word (件, 宗, 人次, 元, % ...) and an
optional qualifier (余 / 约 / 不到 ...).  The input is the normalised view of a
report: simplified script, ASCII digits, no zero-width characters.

Rules are data:
  seeds/units.csv        measure_word            (longest match first)
  seeds/qualifiers.csv   marker, position, qualifier
  seeds/money_cues.csv   cue                     (费 金额 损失 ... before a bare 万/亿 amount)
They are read once by `load_rules()` and compiled into one regular expression,
so `find_quantities()` is a single `finditer` pass with little Python per match.

What is NOT a quantity: a number with no measure word (years, dates, months,
document and index numbers, phone numbers, hotlines such as 12348), list
markers and ordinals (一是, （一）, 1., 第3次), numbers joined into names
(1+6+N), anything inside quotes or titles (“148”品牌, 《...十二条意见》), and
single Chinese numerals that belong to a word (统一, 进一步, 一次性, 一件事, 一批).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import regex as _rx  # the `regex` engine scans this pattern about 3x faster than `re`

from fazhi.records import Quantity
from fazhi.rules import read_seed
from fazhi.rules import seeds_dir as default_seeds_dir

__all__ = ["Rules", "default_rules", "find_quantities", "load_rules", "parse_chinese_numeral"]

# --------------------------------------------------------------------------
# Fixed lexical knowledge (numerals and word guards); everything that is a
# matter of report vocabulary lives in the seed CSVs.
# --------------------------------------------------------------------------

_CN_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
# multipliers written after an Arabic number (1.19万, 2千, 1.1亿, 3百万)
_MULTIPLIERS = {
    "千万": Decimal(10_000_000), "百万": Decimal(1_000_000), "万": Decimal(10_000),
    "萬": Decimal(10_000), "亿": Decimal(100_000_000), "億": Decimal(100_000_000),
    "千": Decimal(1000), "百": Decimal(100),
}
_CN_CORE = "〇零一二三四五六七八九十百千两兩"
_CN_ALL = _CN_CORE + "万萬亿億"
_SINGLE_OK = set("一二三四五六七八九十两兩")  # single-character numerals usable alone

# Word guards (统一, 一次性, 签约, 多元 ...) are data: seeds/numeral_guards.csv, read into Rules.

_SP = "[ \u00a0\u3000]?"  # one optional space inside a quantity


@dataclass(frozen=True)
class Rules:
    seeds_dir: Path
    units: tuple[str, ...]  # longest first
    prefix: dict[str, str]  # marker -> qualifier
    suffix: dict[str, str]
    money_cues: tuple[str, ...]
    pattern: _rx.Pattern  # a `regex` pattern
    money_before: re.Pattern  # applied to the text just before a bare 万 amount
    after_numeral: tuple[str, ...] = ()  # a numeral + these: a phase (二期工程), no count
    after_single_numeral: tuple[str, ...] = ()  # a single Chinese numeral + these: a name (四次全会)
    after_yi: tuple[str, ...] = ()  # bare 一 + these: a slogan (一件事)
    after_duoyuan: frozenset = frozenset()  # 多元 + these: "diverse", not "more than N yuan"


_RULES_CACHE: dict[Path, Rules] = {}
GUARD_CONTEXTS = ("before_numeral", "after_numeral", "after_single_numeral", "after_yi", "after_duoyuan",
                  "money_bridge", "before_qualifier")


def _alt(words) -> str:
    """Regex alternation, longest first (so 人次 wins over 人)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def load_rules(seeds_dir: str | os.PathLike | None = None) -> Rules:
    """Read the seed CSVs once and compile the quantity regex (cached per folder)."""
    d = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir()
    d = d.resolve()
    cached = _RULES_CACHE.get(d)
    if cached is not None:
        return cached

    units: set[str] = set()
    for row in read_seed("units.csv", d):
        w = row.get("measure_word", "")
        if not w:
            continue
        # 万人次 etc.: the multiplier is read by the number parser, keep only 人次
        if w[0] in _CN_BIG or w[0] in "千百":
            continue
        units.add(w)
    if "%" in units:
        units.add("％")

    prefix: dict[str, str] = {}
    suffix: dict[str, str] = {}
    for row in read_seed("qualifiers.csv", d):
        m, pos, q = row.get("marker", ""), row.get("position", ""), row.get("qualifier", "")
        if not m or not q:
            continue
        (prefix if pos == "prefix" else suffix)[m] = q

    cues_path = d / "money_cues.csv"
    cues = tuple(r["cue"] for r in read_seed("money_cues.csv", d) if r.get("cue")) if cues_path.is_file() else ()

    # seeds/numeral_guards.csv (optional, like money_cues.csv): words around a numeral that make it
    # part of a word, a name or a slogan; `context` says where the word stands (see _seeds.yml)
    guards: dict[str, list[str]] = {}
    prefix_guard: dict[str, str] = {}  # qualifier marker -> characters before it that end a word
    guards_path = d / "numeral_guards.csv"
    for row in read_seed("numeral_guards.csv", d) if guards_path.is_file() else ():
        if row["context"] not in GUARD_CONTEXTS:
            raise ValueError(f"seeds/numeral_guards.csv: unknown context {row['context']!r}")
        if row["context"] == "before_qualifier":
            prefix_guard[row["marker"]] = prefix_guard.get(row["marker"], "") + row["word"]
        else:
            guards.setdefault(row["context"], []).append(row["word"])
    pattern = _compile(units, prefix, suffix, prefix_guard, "".join(guards.get("before_numeral", ())))
    if cues:
        bridge = guards.get("money_bridge", ())
        money_before = re.compile(
            f"(?:{_alt(cues)})" + (f"(?:{_alt(bridge)})?" if bridge else "") + f"{_SP}\\Z"
        )
    else:
        money_before = re.compile(r"(?!)")

    rules = Rules(
        seeds_dir=d,
        units=tuple(sorted(units, key=lambda w: (-len(w), w))),
        prefix=prefix,
        suffix=suffix,
        money_cues=cues,
        pattern=pattern,
        money_before=money_before,
        after_numeral=tuple(guards.get("after_numeral", ())),
        after_single_numeral=tuple(guards.get("after_single_numeral", ())),
        after_yi=tuple(guards.get("after_yi", ())),
        after_duoyuan=frozenset(guards.get("after_duoyuan", ())),
    )
    _RULES_CACHE[d] = rules
    return rules


def _compile(
    units: set[str], prefix: dict[str, str], suffix: dict[str, str],
    prefix_guard: dict[str, str], word_before: str,
) -> re.Pattern:
    pre_alts = []
    for m in sorted(prefix, key=lambda w: (-len(w), w)):
        guard = re.escape(prefix_guard[m]) if len(m) == 1 and prefix_guard.get(m) else None
        pre_alts.append(f"(?<![{guard}]){re.escape(m)}" if guard else re.escape(m))
    pre = f"(?:(?P<pre>{'|'.join(pre_alts)}){_SP})?" if pre_alts else ""

    # one-character suffix markers (余 多) sit between number and measure word
    # (10余场, 3万多份, 467余万元); longer ones (以上 左右 以内 以下) follow it.
    inner = [m for m in suffix if len(m) == 1]
    post = [m for m in suffix if len(m) > 1]
    inner_re = f"[{''.join(re.escape(m) for m in inner)}]" if inner else "(?!)"
    post_re = f"(?P<post>{_alt(post)})?" if post else ""

    arabic = (
        r"(?>\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?!\d)|\d+)(?>\.\d+)?(?!\.?\d)"
    )
    cn_core = f"[{_CN_CORE}]+"
    chinese = f"{cn_core}(?:[万萬亿億]{cn_core})*"
    mult = "千万|百万|[万萬亿億千百]"
    digit_guard = r"(?<![\d.+\-A-Za-z第])(?<!第 )"
    cn_guard = f"(?<![{_CN_ALL}{re.escape(word_before)}第])(?<!第 )"

    skip = (
        "(?P<skip>"
        "“[^“”]{0,40}”"
        "|《[^《》]{0,120}》"
        "|「[^「」]{0,40}」"
        "|『[^『』]{0,40}』"
        "|‘[^‘’]{0,40}’"
        '|"[^"\\n]{0,40}"'
        ")"
    )
    quantity = (
        "(?P<q>"
        f"{pre}"
        "(?:"
        f"(?P<pct>百分之{_SP}(?:(?P<par>{arabic})|(?P<pcn>{cn_core}(?:点[{_CN_CORE}]+)?)))"
        "|"
        # 1亿2000万元, 5万2千人: a second Arabic part before a smaller multiplier
        f"(?:{digit_guard}(?P<ar>{arabic})(?:(?P<big>[亿億万萬])(?P<ar2>\\d+)(?=[万萬千百]))?"
        f"|{cn_guard}(?P<cn>{chinese})"
        # 近万册, 超千万元, 万余份: a bare multiplier is a number only with a qualifier
        f"|(?<![\\d{_CN_ALL}])(?P<bare>千万|[万萬亿億]))"
        f"{_SP}(?P<in1>{inner_re})?{_SP}(?(bare)|(?P<mult>{mult})?)(?:{_SP}(?P<in2>{inner_re}))?"
        f"{_SP}(?P<unit>{_alt(units)})?"
        ")"
        # a quantity needs a measure word, or a 万/亿 multiplier (implied money), or 百分之
        "(?(pct)|(?(unit)|(?(mult)|(?!))))"
        "(?(bare)(?(pre)|(?(in1)|(?!))))"
        f"{post_re}"
        ")"
    )
    return _rx.compile(f"{skip}|{quantity}")


# --------------------------------------------------------------------------
# Chinese numerals
# --------------------------------------------------------------------------

def parse_chinese_numeral(s: str) -> int | None:
    """一千二百 -> 1200, 一百零五 -> 105, 十二 -> 12, 两万 -> 20000, 三千五 -> 3500.

    Returns None for strings that are not one well-formed number
    (二〇二四 digit strings, 三四 "three or four", 十四五 ...).
    """
    total = 0
    section = 0
    digit: int | None = None
    zero = False
    prev_small = 10**9
    prev_big = 10**18
    for ch in s:
        d = _CN_DIGITS.get(ch)
        if d is not None:
            if d == 0:
                if digit is not None:
                    return None
                zero = True
                continue
            if digit is not None:
                return None
            digit = d
            continue
        u = _CN_SMALL.get(ch)
        if u is not None:
            if u >= prev_small:
                return None
            if digit is None:
                if section == 0 and total == 0 and not zero:
                    digit = 1  # 十二, 百余
                else:
                    return None
            section += digit * u
            digit = None
            zero = False
            prev_small = u
            continue
        b = _CN_BIG.get(ch)
        if b is not None:
            if b >= prev_big:
                return None
            if digit is not None:
                section += digit
                digit = None
            if section == 0:
                if total == 0:
                    section = 1
                else:
                    return None
            total += section * b
            section = 0
            zero = False
            prev_small = 10**9
            prev_big = b
            continue
        return None
    if digit is not None:
        if zero:
            section += digit
        elif prev_small < 10**9:
            section += digit * (prev_small // 10)  # 三千五 = 3500, 十五 = 15
        elif prev_big < 10**18:
            section += digit * (prev_big // 10)  # 一万二 = 12000
        else:
            section += digit
    return total + section


def _parse_cn_decimal(s: str) -> Decimal | None:
    if "点" in s:
        whole, frac = s.split("点", 1)
        w = parse_chinese_numeral(whole)
        if w is None or not frac or any(c not in _CN_DIGITS for c in frac):
            return None
        return Decimal(f"{w}.{''.join(str(_CN_DIGITS[c]) for c in frac)}")
    v = parse_chinese_numeral(s)
    return None if v is None else Decimal(v)


# --------------------------------------------------------------------------
# The pass
# --------------------------------------------------------------------------

def find_quantities(text: str, rules: Rules | None = None) -> list[Quantity]:
    """Every quantity in a normalised text, in order of appearance."""
    r = rules if rules is not None else default_rules()
    prefix_q = r.prefix
    suffix_q = r.suffix
    money_before = r.money_before
    out: list[Quantity] = []
    append = out.append
    n = len(text)
    for m in r.pattern.finditer(text):
        if m.lastgroup == "skip":
            continue
        start, end = m.span()
        pre = m.group("pre")
        post = m.group("post")
        if m.group("pct") is not None:
            ns, ne = m.span("pct")
            par = m.group("par")
            if par is not None:
                value = Decimal(par.replace(",", "").replace(" ", ""))
            else:
                value = _parse_cn_decimal(m.group("pcn"))
                if value is None:
                    continue
            qual = _qualifier(pre, None, None, post, prefix_q, suffix_q)
            append(Quantity(text[start:end], float(value), "%", qual, start, end, ns, ne))
            continue

        unit = m.group("unit")
        mult = m.group("mult")
        in1 = m.group("in1")
        in2 = m.group("in2")
        ar = m.group("ar")
        if ar is not None:
            ns, ne = m.span("ar")
            value = Decimal(ar.replace(",", "").replace(" ", ""))
            big = m.group("big")
            if big is not None:
                if mult is None or _MULTIPLIERS[mult] >= _MULTIPLIERS[big]:
                    continue
                value = value * _MULTIPLIERS[big] / _MULTIPLIERS[mult] + Decimal(m.group("ar2"))
        elif m.group("bare") is not None:
            ns, ne = m.span("bare")
            value = _MULTIPLIERS[m.group("bare")]
            if unit is None:
                continue
        else:
            cn = m.group("cn")
            ns, ne = m.span("cn")
            if cn[0] in "〇零":
                continue
            if cn[0] in "百千" and not (in1 or in2 or pre):
                continue  # 百名 千家万户: only 百余/千多/近千/超千万 stand alone
            if len(cn) == 1 and cn in _SINGLE_OK and unit is not None and mult is None:
                us = m.start("unit")
                if text.startswith(r.after_single_numeral, us):
                    continue
                if cn == "一" and text.startswith(r.after_yi, us):
                    continue
                ue = m.end("unit")
                if ue < n and text[ue] == "一" and not post and not in1:
                    continue  # 一户一档, 一人一策
            iv = parse_chinese_numeral(cn)
            whole = parse_chinese_numeral(cn + mult) if mult and any(c in _CN_BIG for c in cn) else None
            if whole is not None:
                # 三亿五千万: the trailing 万 belongs to the numeral, not a multiplier of all of it
                iv, mult = whole, None
                ne = m.end("mult")
            if iv is None:
                continue
            value = Decimal(iv)

        if mult is not None:
            value *= _MULTIPLIERS[mult]
            ne = m.end("mult")
        if unit is None:
            # bare 55.5万 right after a money word: yuan
            if mult in ("千", "百") or not money_before.search(text, max(0, start - 8), start):
                continue
            unit = "元"
        else:
            if unit == "％":
                unit = "%"
            elif unit == "元" and (in1 == "多" or in2 == "多"):
                ue = m.end("unit")
                if ue < n and text[ue] in r.after_duoyuan:
                    continue  # 多元化 (diverse), not "more than N yuan"
            elif text.startswith(r.after_numeral, m.start("unit")):
                continue  # 二期工程: a phase, not a count
        qual = _qualifier(pre, in1, in2, post, prefix_q, suffix_q)
        append(Quantity(text[start:end], float(value), unit, qual, start, end, ns, ne))
    return out


def _qualifier(pre, in1, in2, post, prefix_q, suffix_q) -> str:
    if pre:
        return prefix_q.get(pre, "exact")
    for s in (in1, in2, post):
        if s:
            return suffix_q.get(s, "exact")
    return "exact"


_DEFAULT: list[Rules] = []


def default_rules() -> Rules:
    """The rules of the default seeds folder, read once (load_rules() resolves the folder's path
    at every call, a few system calls per report)."""
    if not _DEFAULT:
        _DEFAULT[:] = [load_rules()]
    return _DEFAULT[0]
