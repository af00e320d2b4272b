# gongkai — the commands the README promises.
CARGO ?= cargo
SHARED ?= ../shared
OUT ?= out
PYTHON ?= python3
VENV ?= .venv
# Where `make eval` and `make compare-pdfplumber` write: never inside $(OUT),
# so `gongkai export $(OUT)` sees only the user's own conversions.
EVAL_OUT ?= target/eval

.PHONY: all build test pytest py-build lint fmt convert samples eval compare-pdfplumber bench deps py-deps

all: build

build:
	$(CARGO) build --release

# The one command that passes the tests (CI runs exactly this).
test: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	@# The Python module first: tests/readme.rs runs the README's Python.
	$(MAKE) py-build
	$(CARGO) test --workspace --release
	$(PYTEST)

# The Python package (crates/python) built into the venv, and its tests.
PYTEST = $(VENV)/bin/python -m pytest -q -p no:cacheprovider crates/python/tests

pytest: py-build
	$(PYTEST)

py-build: py-deps
	$(VENV)/bin/maturin develop --release --quiet -m crates/python/Cargo.toml

# The main job on the bundled samples.
convert: build
	./target/release/gongkai convert samples -o $(OUT)

samples:
	python3 scripts/make-samples

# Score the current build on the samples against their truth (samples/truth),
# then on scanned twins of two of them (scripts/make-scan-twins: image-only,
# read with --ocr, and with tesseract's OCR layer, read as it is).
TWINS ?= target/scan-twins
eval: build deps
	./target/release/gongkai convert samples -o $(EVAL_OUT)/samples --force
	./target/release/gongkai eval $(EVAL_OUT)/samples samples/truth
	@test -d $(TWINS)/pdf || python3 scripts/make-scan-twins --out $(TWINS)
	./target/release/gongkai convert $(TWINS)/pdf -o $(EVAL_OUT)/scan-twins --force --ocr
	./target/release/gongkai eval $(EVAL_OUT)/scan-twins $(TWINS)/truth

# pdfplumber's grids on the same samples, same measure; writes BENCHMARKS.md.
compare-pdfplumber: eval
	python3 scripts/compare-pdfplumber --ours $(EVAL_OUT)/samples --out $(EVAL_OUT)/pdfplumber

# Benchmarks (results go into BENCHMARKS.md): raw extraction vs pdftotext, convert vs
# pdfplumber/PyMuPDF, the Python package and Dask vs convert.
bench: build py-deps
	scripts/bench-extract
	scripts/bench
	$(MAKE) py-build
	$(VENV)/bin/python scripts/bench-python

# Tools the tests need (poppler's pdftotext and pdftoppm; the WenQuanYi font glyph
# shapes are recognised against; tesseract for OCR), installed when missing.
deps: py-deps
	@command -v pdftotext >/dev/null 2>&1 || { \
	  echo "installing poppler-utils"; \
	  (apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null) || \
	  (sudo apt-get update -qq && sudo apt-get install -y -qq poppler-utils >/dev/null); }
	@# The reference font glyph shapes are recognised against (issue3405r.pdf).
	@test -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc || { \
	  echo "installing fonts-wqy-zenhei"; \
	  (apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei >/dev/null) || \
	  (sudo apt-get update -qq && sudo apt-get install -y -qq fonts-wqy-zenhei >/dev/null); }

	@# tesseract with its Simplified Chinese model, for --ocr (tests/ocr.rs, make eval's scanned twins).
	@{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx chi_sim; } || { \
	  echo "installing tesseract-ocr tesseract-ocr-chi-sim"; \
	  (apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim >/dev/null) || \
	  (sudo apt-get update -qq && sudo apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim >/dev/null); }

	@# A real browser for tests/review.rs (the review site, loaded headless).
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium"; \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	  (sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null); }

	@# DuckDB and pandas for the README's examples, run by tests/readme.rs (a venv in the repo, git-ignored).
	@.venv/bin/python -c 'import duckdb, pandas' 2>/dev/null || { \
	  echo "installing duckdb and pandas into .venv"; \
	  python3 -m venv .venv && .venv/bin/pip install -q duckdb pandas; }

# A virtual environment under the repo (git-ignored) with maturin and the
# package's test extras; reinstalled only when crates/python/pyproject.toml
# changes (the stamp), so a second run costs nothing.
py-deps: $(VENV)/.deps-stamp

$(VENV)/.deps-stamp: crates/python/pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -c 'import tomllib; p = tomllib.load(open("crates/python/pyproject.toml", "rb"))["project"]; print("maturin>=1.5,<2", *p["dependencies"], *p["optional-dependencies"]["test"], sep="\n")' \
	  | xargs -d '\n' $(VENV)/bin/python -m pip install -q --disable-pip-version-check
	@touch $@

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all
