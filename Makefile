# The two commands of the README: `make demo` and `make test`. Both create .venv/ on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test test-unit lint typecheck pytest bench messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m bot demo $(ARGS)

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy bot handlers storage

pytest: $(STAMP)
	$(BIN)/python -m pytest -q -n 3 $(ARGS)

test-unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

bench: $(STAMP)
	$(BIN)/python -m bench.qa
	$(BIN)/python -m bench.broadcast
	$(BIN)/python -m bench.reminders
	$(BIN)/python -m bench.surveys
	$(BIN)/python -m bench.updates

messages: $(STAMP)
	$(BIN)/python locales/update.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
