# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PY := .venv/bin/python
ROLE ?= bureau_officer
ORG ?=

.PHONY: help install run console test test-unit test-integration test-e2e infra-up infra-down token bench chaos fuzz lint schemas demo clean

help:
	@echo "make run     all five services and the console on http://127.0.0.1:8000/console/ (SQLite, embedded bus)"
	@echo "make console build the console (console/dist; make run does it when missing or stale)"
	@echo "make test    installs/starts PostgreSQL, RabbitMQ, Chromium and the console's packages if needed, then the whole suite"
	@echo "make token ROLE=<role> [ORG=<id>]   a development token (last line)"
	@echo "make bench   benchmarks; figures to bench/results/latest.json"
	@echo "make demo [URL=http://...]   one application from catalogue entry to approval, step by step"
	@echo "make chaos   2,000 mixed events through broker restarts and consumer SIGKILLs; figures to chaos/results/latest.json"
	@echo "make fuzz    schemathesis against every service's OpenAPI (FUZZ_EXAMPLES per operation)"

# uv from PyPI, then the locked environment (every version pinned in uv.lock).
install: .venv/.installed
.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==0.13.8"
	@$(UV) sync --frozen --quiet
	@touch $@

run: install
	@$(PY) -m embedded

console: install
	@$(PY) -m embedded.console

token: install
	@$(PY) -m shared.token_cli $(ROLE) $(ORG)

infra-up:
	@bash scripts/infra.sh up

infra-down:
	@bash scripts/infra.sh down

# The console's checks (Biome, the generated client current, Vitest), then unit, integration and fuzz tests on two
# workers (each test has its own databases and bus namespace), then the multi-process tier alone: it restarts the
# shared broker and kills processes, and drives the built console in Debian's headless Chromium.
TEST_WORKERS ?= 2
test: install infra-up
	@status=0; \
	bash scripts/console.sh check || status=1; \
	REQUIRE_INFRA=1 $(PY) -m pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile --durations=20 tests/unit tests/integration tests/fuzz $(PYTEST_ARGS) || status=1; \
	{ bash scripts/console.sh build && bash scripts/console.sh browser; } || status=1; \
	REQUIRE_INFRA=1 $(PY) -m pytest -p no:cacheprovider --durations=15 tests/e2e $(PYTEST_ARGS) || status=1; \
	exit $$status

test-unit: install
	@$(PY) -m pytest -p no:cacheprovider -m unit $(PYTEST_ARGS)

test-integration: install
	@$(PY) -m pytest -p no:cacheprovider tests/integration -m "not postgres and not rabbit" $(PYTEST_ARGS)

lint: install
	@.venv/bin/lint-imports

schemas: install
	@$(PY) scripts/gen_event_schemas.py

# Starts the embedded platform itself unless URL names a running one (make run, or the gateway).
demo: install
	@$(PY) scripts/demo.py $(URL)

bench: install
	@PG_DURABLE=1 bash scripts/infra.sh up
	@$(PY) -m bench $(BENCH_ARGS)

# Fault injection at full size (the CI-sized run is part of `make test`, tests/e2e/test_chaos.py).
chaos: install
	@PG_DURABLE=1 bash scripts/infra.sh up
	@$(PY) -m chaos $(CHAOS_ARGS)

# Schemathesis against each service's OpenAPI, in-process; FUZZ_EXAMPLES=<n> per operation.
fuzz: install infra-up
	@REQUIRE_INFRA=1 $(PY) -m pytest -p no:cacheprovider tests/fuzz $(PYTEST_ARGS)

clean:
	rm -rf var .pytest_cache
