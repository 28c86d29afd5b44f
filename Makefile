# Two commands on a fresh machine:  make run   and   make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-deps run test test-fast lint generate test-deps bench bench-formats eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: system-deps $(STAMP)

## System libraries OCR needs at run time (the OpenCV inside rapidocr-onnxruntime loads libGL
## and GLib); skipped when present, installed with apt otherwise.
system-deps:
	@dpkg -s libgl1 libglib2.0-0 >/dev/null 2>&1 || { \
	  echo "installing libgl1 and libglib2.0-0 for OCR of scanned reports"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgl1 libglib2.0-0 >/dev/null) \
	  || echo "warning: could not install them (apt-get install libgl1 libglib2.0-0); scans will be quarantined"; }

## Build the warehouse from the 5 sample reports: warehouse/fazhi.duckdb + warehouse/export/
run: setup
	$(BIN)/fazhi run

## System packages the browser test needs (Debian chromium) and the Chinese font the format
## tests typeset their PDFs with (fonts-noto-cjk); skipped when present.
test-deps:
	@dpkg -s chromium fonts-noto-cjk >/dev/null 2>&1 || { \
	  echo "installing chromium and CJK fonts for the HTML report and format tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	  || echo "warning: could not install chromium; the browser test will fail"; }

## All tests: pytest (unit + end-to-end, dbt build and its data tests included), and ruff
test: setup test-deps lint
	$(BIN)/python -m pytest -q

## The fast lane while you work (~20 s): every stage test and the quick CLI tests; no dbt build,
## no browser, no crash/soak runs (those are marked `slow`)
test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff check .

## Regenerate the domain marts, fct_jurisdiction_year and their YAML from seeds/indicators.csv
generate: setup
	$(BIN)/python -m fazhi.warehouse.generate

## Benchmarks (writes BENCHMARKS.md)
## (scripts/bench.py: synthetic 1k/10k/100k corpora through ingest + build; SIZES=1000,10000 to
## choose; bench/ holds corpora and warehouses; ~12 min for all three on 2 cores)
bench: setup
	$(BIN)/python scripts/bench_extraction.py
	nice -n 10 $(BIN)/python scripts/bench.py $(if $(SIZES),--sizes $(SIZES))
	nice -n 10 $(BIN)/python scripts/bench_search.py $(if $(SIZES),--sizes $(SIZES))
	$(BIN)/python scripts/bench.py --render

## Reading PDF, DOCX and scans: text-layer speed against plain text, OCR pages/s on every core,
## memory on a 200-page scan (~15 min on 2 cores; LONG_PAGES=60 for a shorter run)
bench-formats: setup test-deps
	nice -n 10 $(BIN)/python scripts/bench_formats.py $(if $(LONG_PAGES),--long-pages $(LONG_PAGES))

## Score every shared gold set in one warehouse and write EVALUATION.md (~1 min; the corpus is
## ../shared/corpus, or GOLD_CORPUS=DIR; warehouse/eval/ holds the warehouse;
## scripts/eval_baseline.json is the recorded baseline; CORRECTIONS_DB=warehouse/fazhi.duckdb also
## scores the extractor against the analysts' corrections in force there)
eval: setup
	nice -n 10 $(BIN)/python scripts/eval.py $(if $(GOLD_CORPUS),--corpus $(GOLD_CORPUS)) $(if $(CORRECTIONS_DB),--corrections-db $(CORRECTIONS_DB))

clean:
	rm -rf $(VENV) warehouse/*.duckdb* warehouse/export warehouse/.dbt-target target
