# The README's two commands: `make run` and `make test`. Both install what they need.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: run test install install-test lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	npm ci --prefix tests/cypher_lint --no-audit --no-fund --loglevel=error

run: install
	$(BIN)/trustnet run --host 127.0.0.1 --port 5000

test: install-test
	$(BIN)/ruff check graph trustnet tests scripts
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check graph trustnet tests scripts
