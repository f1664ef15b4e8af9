# CoopLedger — `make run` opens the app on the demo cooperative (its own file); `make test` runs everything headless.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYBABEL := $(VENV)/bin/pybabel
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint compile extract update clean screenshots

# Translations: one gettext domain `coop`; see README "Translations". Keywords include the CoopError
# constructors, whose message ids are translated when the error is shown.
LANGS := fr es pt sw
POT := locales/coop.pot
BABEL_KEYWORDS := -k _ -k N_ -k ngettext:1,2 -k pgettext:1c,2 -k npgettext:1c,2,3 \
	-k CoopError:1 -k ValidationError:2 -k NotFound:1 -k StateError:1 -k PermissionDenied:1 \
	-k AuthError:1 -k StorageError:1 -k Cancelled:1 -k UnusualValue:2 -k Problem:2 -k require_text:3

$(VENV)/.stamp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

venv: $(VENV)/.stamp

compile: venv
	@if ls locales/*/LC_MESSAGES/coop.po >/dev/null 2>&1; then $(PYBABEL) -q compile -d locales -D coop --use-fuzzy; fi

extract:
	$(PYBABEL) -q extract -F babel.cfg --no-default-keywords $(BABEL_KEYWORDS) --no-location --sort-output \
		--no-wrap --project CoopLedger --version 1.0 --copyright-holder "CoopLedger contributors" \
		--msgid-bugs-address "" --add-comments TRANSLATORS: -o $(POT).new .
	@# keep the old template when only its creation date changed, so diffs stay clean
	@if [ -f $(POT) ] && diff -q -I '^"POT-Creation-Date' $(POT) $(POT).new >/dev/null; then rm $(POT).new; \
	else mv $(POT).new $(POT); fi

update: extract
	@for l in $(LANGS); do \
		if [ -f locales/$$l/LC_MESSAGES/coop.po ]; then \
			$(PYBABEL) -q update -i $(POT) -d locales -D coop -l $$l --no-fuzzy-matching --ignore-obsolete --no-wrap; \
		else \
			$(PYBABEL) -q init -i $(POT) -d locales -D coop -l $$l --no-wrap; \
		fi; \
	done

# The demo lives in its own file beside the real database (demo.coopledger), never in the real one.
DEMO_DB = $$($(PY) -c "from coop import paths; from coop.services.setup import demo_path; print(demo_path(paths.database_path(None)))")

run: compile
	QT_QPA_PLATFORM= $(PY) main.py --db "$(DEMO_DB)" demo --if-missing
	QT_QPA_PLATFORM= $(PY) main.py --db "$(DEMO_DB)"

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
# (PDFs are git-ignored, PNGs are committed), rasterised at 60 dpi with pypdfium2 (a pip wheel).
.PHONY: pdf-samples
pdf-samples: venv
	$(PY) -m cli.samples docs/samples
	$(PY) -c 'import pathlib, sys, pypdfium2; [pypdfium2.PdfDocument(f)[0].render(scale=60 / 72).to_pil().save(f.with_suffix(".png")) for f in sorted(pathlib.Path(sys.argv[1]).glob("*.pdf"))]' docs/samples
# Benchmarks (issue 8): generated databases are cached in $(BENCH_DIR); delete it to rebuild them.
BENCH_DIR ?= /tmp/coop-bench
.PHONY: bench bench-quick
bench-quick:
	COOP_BENCH_DIR=$(BENCH_DIR) $(PY) bench/run.py --quick

bench:
	COOP_BENCH_DIR=$(BENCH_DIR) $(PY) bench/run.py

# ---- Installable application (installer/): PyInstaller one-folder bundle, .deb, smoke tests -------------
# The PyInstaller pin matches the `build` extra in pyproject.toml (tests/test_packaging.py checks it).
PYINSTALLER_VERSION := 6.22.3
BUNDLE_EXE := dist/coopledger/coopledger
BUNDLE_INPUTS := $(shell find main.py coop cli ui reports installer/coopledger.spec installer/bundle_rules.py \
	installer/icons locales -type f \( -name '*.py' -o -name '*.spec' -o -name '*.png' -o -name '*.svg' \
	-o -name '*.ico' -o -name '*.po' \) 2>/dev/null)
.PHONY: bundle bundle-smoke deb deb-test

$(VENV)/bin/pyinstaller: | venv
	$(PY) -m pip install --quiet "pyinstaller==$(PYINSTALLER_VERSION)"

# Rebuilt only when a source, catalogue, icon or the spec changed.
$(BUNDLE_EXE): $(BUNDLE_INPUTS) | compile $(VENV)/bin/pyinstaller
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller installer/coopledger.spec
	@du -sh dist/coopledger

bundle: $(BUNDLE_EXE)

# Runs the built program headless: --selftest (explicit, per-user and portable data dirs), CLI, libraries, sizes.
bundle-smoke: bundle
	$(PY) installer/smoke.py

deb: bundle
	installer/linux/build_deb.sh

# Needs root (CI runs as root): dpkg install, installed self-test, remove, user data kept.
deb-test: deb
	installer/linux/deb_test.sh
# PNG of every area on a fresh demo cooperative (needs Debian xvfb xauth libxcb-icccm4 libxcb-keysyms1)
# Needs Debian xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-image0 libxcb-render-util0
# libxcb-shape0 libxcb-cursor0 (installed here when running as root and missing).
SCREENSHOT_DEBS := xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-cursor0
screenshots: compile
	@command -v xvfb-run >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq $(SCREENSHOT_DEBS); } \
		|| { echo "make screenshots needs: apt-get install $(SCREENSHOT_DEBS)"; exit 1; }
	QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" $(PY) -m ui.screenshots
