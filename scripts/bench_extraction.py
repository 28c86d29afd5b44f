"""Extraction throughput: characters per second for the full per-report pipeline
(normalise -> quantities -> tables -> wrapped lines -> attribution -> offsets), next to a plain `re` digit scan of the
same text in the same run. Not a test: machines are noisy, so the numbers go in notes.

    python scripts/bench_extraction.py [--mb 5] [--repeat 3]

The corpus is generated from the bundled sample reports: each copy gets its numbers shifted so
that no two copies are identical, and copies are concatenated into ~5 MB of report text.
"""
from __future__ import annotations

import argparse
import re
import time

from fazhi.extract.candidates import extract_candidates
from fazhi.normalise import normalise
from fazhi.paths import SAMPLES_DIR
from fazhi.place.metadata import extract_metadata

DIGITS = re.compile(r"\d+")


def corpus(megabytes: float) -> list[str]:
    """Sample reports, repeated with varied numbers until the total reaches `megabytes` MB of text."""
    samples = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES_DIR.glob("*.txt"))]
    out, size, k = [], 0, 0
    while size < megabytes * 1_000_000:
        text = samples[k % len(samples)]
        shift = k // len(samples)
        varied = DIGITS.sub(lambda m, shift=shift: str(int(m.group()) + shift) if len(m.group()) < 4 else m.group(), text)
        out.append(varied)
        size += len(varied)
        k += 1
    return out


def extract(text: str) -> int:
    norm = normalise(text)
    meta = extract_metadata(norm.text, norm.script)
    return len(extract_candidates(norm, meta.report_year, issuer=meta.issuer))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    docs = corpus(args.mb)
    chars = sum(map(len, docs))
    extract(docs[0])  # load rules and catalogs outside the timing

    def best(fn) -> tuple[float, int]:
        times, result = [], 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = sum(fn(d) for d in docs)
            times.append(time.perf_counter() - start)
        return min(times), result

    t_full, n_candidates = best(extract)
    t_re, n_digits = best(lambda d: sum(1 for _ in DIGITS.finditer(d)))
    full, plain = chars / t_full, chars / t_re
    print(f"corpus: {len(docs)} reports, {chars:,} chars (best of {args.repeat}, one core)")
    print(f"full extraction (normalise+quantities+tables+attribution): {full:>14,.0f} chars/s  "
          f"{n_candidates:,} candidates")
    print(f"plain re digit scan:                                 {plain:>14,.0f} chars/s  {n_digits:,} digit runs")
    print(f"ratio full/plain: {full / plain:.3f}  (target: full >= 1,000,000 chars/s per core)")


if __name__ == "__main__":
    main()
