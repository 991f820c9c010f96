# The README's two commands: `make run` and `make test`. Both install what they need.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: run test install install-test lint translations vendor bench neo4j cluster

# The browser of tests/e2e: Debian's chromium (Playwright's own browser download cannot work
# here). Installed once, as root or through sudo.
CHROMIUM := /usr/bin/chromium
# The PostgreSQL peer of the benchmark (scripts/postgres_peer.py): Debian's server binaries.
POSTGRES := /usr/lib/postgresql/15/bin/initdb
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python $(CHROMIUM) $(POSTGRES)
	$(BIN)/pip install -q -e '.[test,bench]'
	npm ci --prefix tests/cypher_lint --no-audit --no-fund --loglevel=error
	npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
	$(BIN)/python -c 'from scripts.neo4j.server import build; build()'

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

$(POSTGRES):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15

run: install
	$(BIN)/trustnet run --host 127.0.0.1 --port 5000

test: install-test
	$(BIN)/ruff check graph trustnet tests scripts
	$(BIN)/mypy
	$(BIN)/pytest

# The benchmark of docs/benchmarks.md: SIZE=10k (under a minute), 100k or 1m.
SIZE ?= 10k
bench: install-test
	$(BIN)/python scripts/benchmark.py --size $(SIZE)

# A Neo4j Community server in the foreground (the tests start their own): built from Maven
# Central by scripts/neo4j (Java 17 and Maven), data in instance/neo4j (or NEO4J_DATA_DIR),
# Bolt on 127.0.0.1:7687 (or NEO4J_PORT), user neo4j with TRUSTNET_NEO4J_PASSWORD.
neo4j: install
	$(BIN)/python -m scripts.neo4j.server

# A replicated FalkorDB in the foreground (scripts/cluster.py): a primary on 127.0.0.1:6380
# (or PORT), two replicas and three sentinels; data in a temporary folder unless DIR is set.
PORT ?= 6380
cluster: install
	$(BIN)/python -m scripts.cluster --port $(PORT) $(if $(DIR),--dir $(DIR))

lint: install-test
	$(BIN)/ruff check graph trustnet tests scripts
	$(BIN)/mypy

# Extract the messages of the code and templates into translations/*/messages.po, compile
# the .mo files; then translate what is new (msgstr "") and run it again.
translations: install
	$(BIN)/python -m scripts.translations

# Fetch the browser libraries of static/vendor/ from npm (npm pack) and copy their minified
# file and LICENSE; the result is committed, so `make run` needs no npm.
vendor:
	sh scripts/vendor_static.sh
