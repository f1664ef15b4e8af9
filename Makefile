# CoopLedger — `make run` opens the app on a demo cooperative; `make test` runs everything headless.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYBABEL := $(VENV)/bin/pybabel
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint compile extract update clean screenshots

$(VENV)/.stamp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

venv: $(VENV)/.stamp

compile: venv
	@if ls locales/*/LC_MESSAGES/coop.po >/dev/null 2>&1; then $(PYBABEL) compile -q -d locales -D coop --use-fuzzy; fi

run: compile
	QT_QPA_PLATFORM= $(PY) main.py demo --if-missing
	QT_QPA_PLATFORM= $(PY) main.py

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy coop

test: compile lint
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
	find locales -name '*.mo' -delete

# The long reliability runs (300 kills, 2 x 500 concurrent sales, 100 backups under writes, heavy fuzzing);
# rewrites docs/RELIABILITY.md with the figures. `make test` runs the short versions.
.PHONY: reliability
reliability: compile
	$(PY) -m tests.reliability.campaign --kills 300 --per-process 500 --backups 100 --disk-full 300 --fuzz 1000

# One PDF of each printed document from the demo cooperative, and a PNG of each first page
# (PDFs are git-ignored, PNGs are committed). Needs Debian poppler-utils for pdftoppm.
.PHONY: pdf-samples
pdf-samples: venv
	$(PY) -m reports.samples docs/samples
	for f in docs/samples/*.pdf; do pdftoppm -png -r 60 -singlefile "$$f" "$${f%.pdf}"; done
# Benchmarks (issue 8): generated databases are cached in $(BENCH_DIR); delete it to rebuild them.
BENCH_DIR ?= /tmp/coop-bench
.PHONY: bench bench-quick
bench-quick:
	COOP_BENCH_DIR=$(BENCH_DIR) $(PY) bench/run.py --quick

bench:
	COOP_BENCH_DIR=$(BENCH_DIR) $(PY) bench/run.py
# PNG of every area on a fresh demo cooperative (needs Debian xvfb xauth libxcb-icccm4 libxcb-keysyms1)
screenshots:
	QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) -m ui.screenshots
