# The two commands a newcomer needs: `make run` and `make test`. Both create .venv if missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Exact versions with hashes (and pip and setuptools, which build the project): requirements.lock
# has the runtime and test dependencies (`make run`, `make test`), requirements-prod.lock the
# runtime ones only, at the same versions (production, the workflows). `make lock` writes both
# from pyproject.toml; `make lock-upgrade` moves every pin to the newest release it allows. Both
# use uv, installed into .venv on first use.
LOCK := requirements.lock
PROD_LOCK := requirements-prod.lock
UV := $(BIN)/uv
UV_COMPILE := $(UV) pip compile pyproject.toml - --universal --python-version 3.11 \
  --generate-hashes --custom-compile-command 'make lock' --quiet
BUILD_REQUIRES := 'pip' 'setuptools>=77'
# Checkers from the npm registry (tests/tools/package-lock.json), installed into an ignored folder.
TOOLS := tests/tools
TOOLS_STAMP := $(TOOLS)/node_modules/.installed
# Lighthouse for `make bench` only (146 packages, ~110 MB): its own pinned folder.
BENCH_TOOLS := bench/tools
BENCH_TOOLS_STAMP := $(BENCH_TOOLS)/node_modules/.installed

.PHONY: run test test-deps lint typecheck unit e2e bench bench-tools clean lock lock-upgrade

# From the lock only (pip refuses any file whose hash it does not list), then the project itself
# without dependencies and with the locked setuptools. A new lock reinstalls.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(UV):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'uv>=0.13,<0.14'

# Keeps the current pins that pyproject.toml still allows; adds and drops what it changed.
lock: $(UV)
	printf '%s\n' $(BUILD_REQUIRES) | $(UV_COMPILE) --extra test $(UPGRADE) -o $(LOCK)
	printf '%s\n' $(BUILD_REQUIRES) | $(UV_COMPILE) --constraint $(LOCK) -o $(PROD_LOCK)

lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

# The system packages the suite needs (Chromium, Java, npm, PostgreSQL), checked before anything
# else: as root on Debian it installs the missing ones, otherwise it prints the exact command and
# stops, so that `make test` never goes green with a suite skipped (the tests refuse it too:
# tests/conftest.py). AIDESS_TESTS_SANS=navigateur,postgresql,html leaves suites out knowingly.
# .ci/run runs the same script.
test-deps:
	@scripts/install-test-deps

# npm is there unless AIDESS_TESTS_SANS=html (test-deps, run first, stops otherwise).
$(TOOLS_STAMP): $(TOOLS)/package.json $(TOOLS)/package-lock.json | test-deps
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(TOOLS) --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "!!! npm absent : Nu Html Checker non installé (AIDESS_TESTS_SANS=html) !!!"; fi

$(BENCH_TOOLS_STAMP): $(BENCH_TOOLS)/package.json $(BENCH_TOOLS)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(BENCH_TOOLS) --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "!!! npm absent : Lighthouse non installé, scores de performance non mesurés !!!"; fi

bench-tools: $(BENCH_TOOLS_STAMP)

run: $(STAMP)
	$(BIN)/aidess serve --port 8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports  # the packages' layers: pyproject.toml [tool.importlinter]

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) test-deps $(TOOLS_STAMP)
	$(BIN)/pytest

test: test-deps lint typecheck unit

bench: $(STAMP) $(BENCH_TOOLS_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf site build var .pytest_cache .mypy_cache .ruff_cache
