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

# PNG of every area on a fresh demo cooperative (needs Debian xvfb xauth libxcb-icccm4 libxcb-keysyms1)
screenshots:
	QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) -m ui.screenshots
