"""Evaluation against the shared gold sets: one warehouse from every set, scored with the shared
scorer, written to EVALUATION.md (generated; do not edit by hand).

    python scripts/eval.py [--corpus ../shared/corpus] [--no-build] [--record-baseline]

* Builds ONE warehouse (`fazhi ingest` + `fazhi build`) from the docs of every gold set under the
  corpus folder (a folder with gold.csv and docs/). Facts are mapped back to their set by the full
  source path, so two sets may hold files of the same name.
* Scores each set with the matching rules of the shared `tools/score.py` (imported, not copied;
  its own score_facts is run too and must agree).
* Report metadata (year, jurisdiction, province) is scored twice: from the texts alone, and with
  each set's manifest.csv given to ingest as `--manifest` (the file,url sidecar users have;
  only the url column is read) in a second warehouse (`--no-manifest` skips it).
* Writes EVALUATION.md: P/R/F1 per set (dev2 also in two fixed halves, for held-out checks),
  per indicator, the misses and false positives grouped by cause, how many docs each cue fires
  on, and the BASELINE row (scripts/eval_baseline.json: the scores of the code before the
  extraction rework, kept across regenerations; `--record-baseline` rewrites it).

The gold stays in the corpus folder: nothing of it is written into the project except the scores
and, in EVALUATION.md, the file names, indicator codes and values of errors.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import challenge  # scripts/challenge.py, next to this file: the project's own passages
import duckdb
import place_challenge  # scripts/place_challenge.py: the project's own report excerpts (place, year)

PROJECT = Path(__file__).resolve().parent.parent


def default_corpus() -> Path:
    """../shared/corpus relative to the project; from a git worktree further down, the nearest
    shared/corpus above it."""
    for parent in PROJECT.parents:
        if (parent / "shared" / "corpus").is_dir():
            return parent / "shared" / "corpus"
    return PROJECT.parent / "shared" / "corpus"


BASELINE = PROJECT / "scripts" / "eval_baseline.json"
SPLIT_SET = "dev2"  # the set reported in two halves


def load_scorer(corpus: Path):
    """The shared scorer module (tools/score.py next to the corpus, or FAZHI_SCORE_PY)."""
    path = Path(os.environ.get("FAZHI_SCORE_PY") or corpus / ".." / "tools" / "score.py").resolve()
    if not path.is_file():
        sys.exit(f"eval: no scorer at {path} (set FAZHI_SCORE_PY)")
    spec = importlib.util.spec_from_file_location("fazhi_shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class GoldSet:
    name: str
    folder: Path
    files: set[str]
    facts: list[dict]
    meta: dict

    @property
    def docs(self) -> Path:
        return self.folder / "docs"


def gold_sets(corpus: Path, scorer) -> list[GoldSet]:
    order = {"sample": 0, "dev": 1, "dev2": 2}
    out = []
    for folder in sorted(corpus.iterdir(), key=lambda p: (order.get(p.name, 9), p.name)):
        if not ((folder / "gold.csv").is_file() and (folder / "docs").is_dir()):
            continue
        facts, meta = scorer.load_gold(str(folder))
        files = {f for f in os.listdir(folder / "docs") if f.endswith((".txt", ".html", ".htm"))}
        out.append(GoldSet(folder.name, folder, files, facts, meta))
    if not out:
        sys.exit(f"eval: no gold sets (folders with gold.csv and docs/) under {corpus}")
    return out


def build(sets: list[GoldSet], db: Path, with_manifests: bool = False) -> float:
    """A fresh warehouse from the docs of every set, through the CLI a user runs; with_manifests:
    each set ingested with its manifest.csv (file,url), as a user with scraped URLs would."""
    for stale in db.parent.glob(db.stem + "*"):
        if stale.is_dir():
            shutil.rmtree(stale)
        else:
            stale.unlink()
    db.parent.mkdir(parents=True, exist_ok=True)
    fazhi = Path(sys.executable).with_name("fazhi")
    started = time.perf_counter()
    if with_manifests:
        steps = [["ingest", str(s.docs)] + (["--manifest", str(s.folder / "manifest.csv")]
                                           if (s.folder / "manifest.csv").is_file() else []) for s in sets]
    else:
        steps = [["ingest", *[str(s.docs) for s in sets]]]
    for args in [*steps, ["build"]]:
        done = subprocess.run([str(fazhi), *args, "--db", str(db), "--quiet"], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"eval: fazhi {args[0]} failed: {done.stderr.strip()}")
    return time.perf_counter() - started


@dataclass
class Warehouse:
    """Facts and candidates per (set, file), read from the eval warehouse."""

    facts: dict = field(default_factory=lambda: defaultdict(list))  # (set, file) -> fct rows
    candidates: dict = field(default_factory=lambda: defaultdict(list))  # (set, file) -> all candidates
    reports: dict = field(default_factory=lambda: defaultdict(list))  # set -> dim_report rows
    jurisdictions: list = field(default_factory=list)
    texts: dict = field(default_factory=dict)  # (set, file) -> original text


def read_warehouse(db: Path, sets: list[GoldSet]) -> Warehouse:
    by_dir = {str(s.docs.resolve()): s.name for s in sets}

    def where(path: str) -> tuple[str, str] | None:
        p = Path(path).resolve()
        name = by_dir.get(str(p.parent))
        return (name, p.name) if name else None

    con = duckdb.connect(str(db), read_only=True)
    try:
        def rows(sql: str) -> list[dict]:
            cur = con.execute(sql)
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]

        # every file given to ingest -> its report (a byte-identical copy in another set too)
        files_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in rows("select source_file, report_id from marts.ingest_files where report_id is not null"):
            key = where(r["source_file"])
            if key and key not in files_of[r["report_id"]]:
                files_of[r["report_id"]].append(key)
        wh = Warehouse()
        for r in rows("select * from marts.fct_report_indicators"):
            for key in files_of.get(r["report_id"], []):
                wh.facts[key].append(r)
        for r in rows("select * from staging.stg_raw__indicator_candidates"):
            for key in files_of.get(r["report_id"], []):
                wh.candidates[key].append(r)
        for r in rows("select report_id, original_text from raw.reports"):
            for key in files_of.get(r["report_id"], []):
                wh.texts[key] = r["original_text"]
        for r in rows("select * from marts.dim_report"):
            for key in files_of.get(r["report_id"], []):
                wh.reports[key[0]].append({**r, "source_file": key[1]})
        with contextlib.suppress(duckdb.Error):
            wh.jurisdictions = rows("select * from marts.dim_jurisdiction")
    finally:
        con.close()
    return wh


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    qual_ok: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.qual_ok += other.qual_ok


@dataclass
class SetResult:
    name: str
    overall: Score
    halves: dict[str, Score]
    per_indicator: dict[str, Score]
    misses: list[dict]  # gold rows, with "cause"
    false_positives: list[dict]  # fct rows, with "cause"
    matched: list[dict]  # fct rows that hit a target
    metadata: float
    metadata_with_urls: float | None = None


def half_of(file: str) -> str:
    """A fixed split of a set into halves A and B (by a hash of the file name)."""
    return "A" if zlib.crc32(file.encode()) % 2 == 0 else "B"


def score_set(gs: GoldSet, wh: Warehouse, scorer, codes: set[str] | None) -> SetResult:
    """The matching of scorer.score_facts, keeping which rows hit and missed."""
    preds = [dict(p, file=file) for (name, file), ps in sorted(wh.facts.items()) if name == gs.name
             for p in ps if codes is None or p["indicator_code"] in codes]
    targets, others = defaultdict(list), defaultdict(list)
    for g in gs.facts:
        (targets if g["scope"] == "total" else others)[(g["file"], g["indicator"])].append(g)
    used = set()
    per_ind: dict[str, Score] = defaultdict(Score)
    halves: dict[str, Score] = defaultdict(Score)
    matched, false_positives = [], []
    for p in preds:
        if p["file"] not in gs.files:
            continue
        key = (p["file"], p["indicator_code"])
        hit = next(((i, g) for i, g in enumerate(targets.get(key, []))
                    if (key, i) not in used and scorer.same_value(p["value"], g["value"], g["unit"])), None)
        if hit:
            used.add((key, hit[0]))
            ok = (p["qualifier"] or "exact") == hit[1]["qualifier"]
            for s in (per_ind[p["indicator_code"]], halves[half_of(p["file"])]):
                s.tp += 1
                s.qual_ok += ok
            matched.append(p)
        else:
            per_ind[p["indicator_code"]].fp += 1
            halves[half_of(p["file"])].fp += 1
            false_positives.append(p)
    misses = []
    for key, rows in targets.items():
        for i, g in enumerate(rows):
            if (key, i) not in used:
                per_ind[g["indicator"]].fn += 1
                halves[half_of(g["file"])].fn += 1
                misses.append(g)
    overall = Score()
    for s in per_ind.values():
        overall.add(s)
    # the shared scorer on the same predictions must agree with the matching above
    shared_preds = [{"file": p["file"], "indicator": p["indicator_code"], "value": p["value"],
                     "qualifier": p["qualifier"]} for p in preds]
    with contextlib.redirect_stdout(io.StringIO()):
        p, r = scorer.score_facts(gs.facts, shared_preds, gs.files, False)
        meta = scorer.score_reports(gs.meta, wh.reports.get(gs.name, []), wh.jurisdictions, False)
    if abs(p - overall.precision) > 1e-9 or abs(r - overall.recall) > 1e-9:
        sys.exit(f"eval: {gs.name}: score.py says P{p:.3f} R{r:.3f}, eval says "
                 f"P{overall.precision:.3f} R{overall.recall:.3f}; the matching rules drifted")
    for g in misses:
        g["cause"] = miss_cause(g, wh, gs, targets, scorer)
    for fp in false_positives:
        fp["cause"] = false_positive_cause(fp, gs, targets, others, scorer)
    return SetResult(gs.name, overall, dict(halves), dict(per_ind), misses, false_positives, matched, meta)


def is_table(evidence: str) -> bool:
    return "\n" in evidence or "|" in evidence


def miss_cause(g: dict, wh: Warehouse, gs: GoldSet, targets: dict, scorer) -> str:
    """Why a total gold fact is not in fct_report_indicators, from the candidates of its report."""
    key = (gs.name, g["file"])
    cands = wh.candidates.get(key, [])
    text = wh.texts.get(key, "")
    if is_table(g["evidence"]):
        return "table"
    if not text:
        return "report not landed"
    at = text.find(g["evidence"]) if g["evidence"] else -1
    span = (at, at + len(g["evidence"])) if at >= 0 else None

    def near(c: dict) -> bool:
        return span is None or (c["value_start"] < span[1] and c["value_end"] > span[0])

    same_value = [c for c in cands if scorer.same_value(c["value"], g["value"], g["unit"]) and near(c)]
    mine = [c for c in same_value if c["indicator_code"] == g["indicator"]]
    if mine:
        c = mine[0]
        if c["scope"] != "total":
            return f"wrong scope ({c['scope']}: {c['scope_reason'] or '-'})"
        return "lost the ranking to another candidate"
    if g["value"] == 0 and not any(ch in g["evidence"] for ch in "0０零"):
        return "zero in words"
    if same_value:
        return f"wrong indicator ({same_value[0]['indicator_code']})"
    return "no cue"


def false_positive_cause(p: dict, gs: GoldSet, targets: dict, others: dict, scorer) -> str:
    """What the gold says about a fact that matched no target."""
    key = (p["file"], p["indicator_code"])
    table = " (table)" if is_table(p.get("evidence") or "") else ""
    same = [o for o in others.get(key, []) if scorer.same_value(p["value"], o["value"], o["unit"])]
    if same:
        return f"wrong scope (gold: {same[0]['scope']}){table}"
    if targets.get(key):
        values = ", ".join(f"{g['value']:g}" for g in targets[key])
        return f"wrong value (gold total: {values}){table}"
    elsewhere = [g for g in gs.facts if g["file"] == p["file"] and g["indicator"] != p["indicator_code"]
                 and scorer.same_value(p["value"], g["value"], g["unit"])]
    if elsewhere:
        g = elsewhere[0]
        return f"wrong indicator (gold: {g['indicator']} {g['scope']}){table}"
    if p["value"] == 0:
        return f"zero not in gold{table}"
    return f"number not in gold{table}"


def cue_firing(results: list[SetResult], wh: Warehouse) -> list[tuple]:
    """Per lexicon word (a candidate's cue is its words, "+"-joined): the docs where it named a
    total candidate (all sets), and the facts in the marts it named that hit or missed the gold."""
    docs = defaultdict(set)
    for key, cands in wh.candidates.items():
        for c in cands:
            if c["scope"] == "total":
                for word in (c["cue"] or "").split("+"):
                    docs[word].add(key)
    hits, misses = Counter(), Counter()
    for r in results:
        for p in r.matched:
            hits.update((p.get("cue") or cue_of(p, wh, r.name)).split("+"))
        for p in r.false_positives:
            misses.update((p.get("cue") or cue_of(p, wh, r.name)).split("+"))
    rows = [(word, len(d), hits[word], misses[word]) for word, d in docs.items() if word]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def silent_words(firing: list[tuple]) -> list[str]:
    """Verbs and nouns of seeds/lexicon.csv that named no total candidate in any gold doc."""
    path = PROJECT / "seeds" / "lexicon.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        words = [r["word"] for r in csv.DictReader(f) if r["role"] in ("action", "object") and r["class"] != "other"]
    fired = {row[0] for row in firing}
    return sorted(w for w in words if w not in fired)


def cue_of(fact: dict, wh: Warehouse, set_name: str) -> str:
    for c in wh.candidates.get((set_name, fact["file"]), []):
        if c["candidate_id"] == fact["candidate_id"]:
            return c["cue"] or ""
    return ""


def fmt(s: Score) -> str:
    return f"P {s.precision:.3f} | R {s.recall:.3f} | F1 {s.f1:.3f} | {s.tp} | {s.fp} | {s.fn}"


def render(results: list[SetResult], firing: list[tuple], baseline: dict | None, meta_line: str) -> str:
    out = ["# Evaluation against the shared gold sets", "",
           "Generated by `scripts/eval.py` (`make eval`); do not edit by hand. One warehouse is built from",
           "the docs of every gold set and scored with the matching rules of `tools/score.py` (a predicted",
           "fact hits a total-scope gold row of the same file, indicator and value). dev2 is also shown in",
           "two fixed halves (crc32 of the file name): A to develop on, B to check that a change",
           "generalises.", "", meta_line, "",
           "## Per set", "",
           "| set | precision | recall | F1 | matched | false positives | missed | qualifier acc. | metadata "
           "| metadata with manifest URLs |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        q = r.overall.qual_ok / r.overall.tp if r.overall.tp else 0.0
        with_urls = "" if r.metadata_with_urls is None else f"{r.metadata_with_urls:.3f}"
        out.append(f"| {r.name} | {fmt(r.overall)} | {q:.3f} | {r.metadata:.3f} | {with_urls} |")
        if r.name == SPLIT_SET:
            for h in sorted(r.halves):
                out.append(f"| {r.name} half {h} | {fmt(r.halves[h])} | | | |")
    if baseline:
        out += ["", f"BASELINE ({baseline['recorded']}, {baseline['commit']}: the code before the extraction "
                "rework; numbers to beat):", "",
                "| set | precision | recall | F1 | matched | false positives | missed |", "|---|---:|---:|---:|---:|---:|---:|"]
        for name, s in baseline["sets"].items():
            out.append(f"| {name} | {fmt(Score(s['tp'], s['fp'], s['fn']))} |")
    split = next((r for r in results if r.name == SPLIT_SET), None)
    if split:
        base_ind = (baseline or {}).get("per_indicator", {})
        out += ["", f"## {SPLIT_SET} per indicator (now vs BASELINE)", "",
                "| indicator | tp | fp | fn | P | R | baseline tp | fp | fn | baseline R |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for ind in sorted(set(split.per_indicator) | set(base_ind)):
            s = split.per_indicator.get(ind, Score())
            b = Score(*[base_ind.get(ind, {}).get(k, 0) for k in ("tp", "fp", "fn")])
            out.append(f"| {ind} | {s.tp} | {s.fp} | {s.fn} | {s.precision:.2f} | {s.recall:.2f} "
                       f"| {b.tp} | {b.fp} | {b.fn} | {b.recall:.2f} |")
        tot = Score()
        for v in base_ind.values():
            tot.add(Score(v["tp"], v["fp"], v["fn"]))
        if base_ind:
            out.append(f"| **BASELINE total** | | | | | | {tot.tp} | {tot.fp} | {tot.fn} | {tot.recall:.2f} |")
    out += ["", "## Errors by cause", "",
            "Misses: `table` (the evidence spans lines or `|` cells: issue 12), `zero in words`, `wrong scope`",
            "(a candidate with the right indicator and value got a non-total scope), `wrong indicator`",
            "(the number became a candidate of another indicator), `lost the ranking` (a total candidate",
            "with the right value lost to another of the same indicator), `no cue` (no candidate at all).",
            "False positives: what the gold says about the same file and value.", ""]
    for r in results:
        causes = Counter(short_cause(m["cause"]) for m in r.misses)
        fcauses = Counter(short_cause(f["cause"]) for f in r.false_positives)
        out.append(f"- **{r.name}** misses: " + (", ".join(f"{c} {n}" for c, n in causes.most_common()) or "none")
                   + "; false positives: " + (", ".join(f"{c} {n}" for c, n in fcauses.most_common()) or "none"))
    for r in results:
        if not (r.misses or r.false_positives):
            continue
        out += ["", f"### {r.name}", ""]
        for title, rows, key in (("missed", r.misses, "indicator"), ("false positives", r.false_positives, "indicator_code")):
            if not rows:
                continue
            out += [f"{title}:", ""]
            by = defaultdict(list)
            for row in rows:
                by[short_cause(row["cause"])].append(row)
            for cause, items in sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0])):
                out.append(f"- {cause} ({len(items)}): " + "; ".join(
                    f"{i['file']} {i[key]}={i['value']:g}" + detail(i["cause"])
                    for i in sorted(items, key=lambda i: (i["file"], i[key]))))
            out.append("")
    out += ["## Lexicon words firing", "",
            "Each word of seeds/lexicon.csv that named a total candidate: in how many docs (all sets), and",
            "the facts it named in the marts that hit / missed the gold. A word that fires in one doc only",
            "must be a plain word of the domain, not a phrase fitted to that doc.", "",
            "| word | docs | hits | false positives |", "|---|---:|---:|---:|"]
    for word, n_docs, hits, fps in firing:
        out.append(f"| {word} | {n_docs} | {hits} | {fps} |")
    silent = silent_words(firing)
    if silent:
        out += ["", f"Verbs and nouns that named no total candidate in any gold doc ({len(silent)}): "
                + "、".join(silent) + "."]
    return "\n".join(out) + "\n"


def short_cause(cause: str) -> str:
    return cause.split(" (")[0]


def detail(cause: str) -> str:
    return f" ({cause.split(' (', 1)[1]}" if " (" in cause else ""


def git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=PROJECT, capture_output=True, text=True).stdout.strip()

    dirty = " + uncommitted changes" if git("status", "--porcelain", "--", "ingest", "seeds") else ""
    return git("rev-parse", "--short", "HEAD") + dirty


def corrections_section(db: Path) -> str:
    """The analysts' corrections are labelled data too (fazhi.warehouse.corrections.score)."""
    from fazhi.warehouse.corrections import score

    r = score(db.resolve())
    print(f"corrections: P {r['precision']}  R {r['recall']}  ({r['labels']} labels in {db})")
    return ("\n## Against the analysts' corrections\n\n"
            f"The corrections in force in `{db}` (`fazhi corrections`), as labels for what the extractor "
            "chooses today: "
            f"{r['labels']} labels, precision {r['precision']}, recall {r['recall']}; agreed {r['agreed']}, "
            f"wrong value {r['wrong_value']}, missed {r['missed']}, rejected but still extracted "
            f"{r['false_positive']}, rejected and no longer extracted {r['fixed']}.\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path(os.environ.get("FAZHI_GOLD_CORPUS") or default_corpus()),
                    help="folder of gold sets (default ../shared/corpus, or $FAZHI_GOLD_CORPUS)")
    ap.add_argument("--db", type=Path, default=PROJECT / "warehouse" / "eval" / "eval.duckdb")
    ap.add_argument("--out", type=Path, default=PROJECT / "EVALUATION.md")
    ap.add_argument("--no-build", action="store_true", help="score the existing eval warehouse")
    ap.add_argument("--no-manifest", action="store_true",
                    help="skip the second warehouse that scores metadata with each set's manifest URLs")
    ap.add_argument("--record-baseline", action="store_true", help=f"write the scores to {BASELINE.name}")
    ap.add_argument("--corrections-db", type=Path, default=None,
                    help="also score the extractor against the analysts' corrections in force in this warehouse")
    args = ap.parse_args(argv)
    corpus = args.corpus.resolve()
    scorer = load_scorer(corpus)
    sets = gold_sets(corpus, scorer)
    seconds = 0.0
    if not args.no_build:
        print(f"building one warehouse from {', '.join(f'{s.name} ({len(s.files)})' for s in sets)} ...", file=sys.stderr)
        seconds = build(sets, args.db)
    elif not args.db.exists():
        sys.exit(f"eval: no warehouse at {args.db} (run without --no-build)")
    wh = read_warehouse(args.db, sets)
    codes = scorer.catalog_codes()
    results = [score_set(s, wh, scorer, codes) for s in sets]
    with_urls_db = args.db.with_name("with-urls" + args.db.suffix)  # not under eval*: build() clears those
    if not args.no_manifest and (not args.no_build or with_urls_db.exists()):
        if not args.no_build:
            seconds += build(sets, with_urls_db, with_manifests=True)
        with_urls = read_warehouse(with_urls_db, sets)
        for s, r in zip(sets, results):
            with contextlib.redirect_stdout(io.StringIO()):
                r.metadata_with_urls = scorer.score_reports(s.meta, with_urls.reports.get(s.name, []),
                                                            with_urls.jurisdictions, False)
    if args.record_baseline:
        split = next(r for r in results if r.name == SPLIT_SET)
        BASELINE.write_text(json.dumps({
            "recorded": time.strftime("%Y-%m-%d"),
            "commit": git_commit(),
            "sets": {r.name: {"tp": r.overall.tp, "fp": r.overall.fp, "fn": r.overall.fn} for r in results}
            | {f"{SPLIT_SET} half {h}": {"tp": s.tp, "fp": s.fp, "fn": s.fn} for h, s in sorted(split.halves.items())},
            "per_indicator": {i: {"tp": s.tp, "fp": s.fp, "fn": s.fn} for i, s in sorted(split.per_indicator.items())},
        }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else None
    meta_line = (f"Measured {time.strftime('%Y-%m-%dT%H:%M')} on {git_commit()}"
                 + (f"; ingest + build of {sum(len(s.files) for s in sets)} docs {seconds:.0f} s." if seconds else "."))
    own = challenge.score()
    places = place_challenge.run()
    text = (render(results, cue_firing(results, wh), baseline, meta_line) + challenge.markdown(own)
            + place_challenge.markdown(places))
    if args.corrections_db:
        text += corrections_section(args.corrections_db)
    args.out.write_text(text, encoding="utf-8")
    for r in results:
        line = f"{r.name:6s} P {r.overall.precision:.3f}  R {r.overall.recall:.3f}  F1 {r.overall.f1:.3f}  meta {r.metadata:.3f}"
        if r.metadata_with_urls is not None:
            line += f" (with URLs {r.metadata_with_urls:.3f})"
        if r.name == SPLIT_SET:
            line += "  (" + ", ".join(f"half {h}: P {s.precision:.3f} R {s.recall:.3f}" for h, s in sorted(r.halves.items())) + ")"
        print(line)
    print(f"challenge P {own.overall.precision:.3f}  R {own.overall.recall:.3f}  ({own.overall.passages} own "
          f"passages, {own.overall.violations} hard negatives taken)")
    print("place challenge " + "  ".join(f"{c} {places.rate(c):.3f}" for c in place_challenge.CHECKS)
          + f"  ({places.items} own excerpts, {len(places.guesses)} undecidable given a place)")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
