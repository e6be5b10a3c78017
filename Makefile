# fastcore developer commands. On a fresh machine:
#   make run    serve examples/app.py on http://127.0.0.1:8000
#   make test   run the whole suite on the compiled core, then on the pure-Python core
#   make bench  benchmarks against FastAPI, Starlette, BlackSheep and raw ASGI (docs/benchmarks.md)
#   make soak   load and soak both cores with wrk (docs/reliability.md); soak-smoke is CI-sized
#   make fuzz   fuzz the compiled core against the pure one (docs/reliability.md); fuzz-smoke: ~1 min

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

# Editing any of these reinstalls the project, which rebuilds the extensions.
BUILD_INPUTS := pyproject.toml setup.py $(wildcard fastcore/*.pyx fastcore/*.pxd)
RUN_STAMP := $(VENV)/.installed-standard
TEST_STAMP := $(VENV)/.installed-standard-test
LINT_PATHS := $(wildcard fastcore fastcore_py tests bench examples)
PIP := $(BIN)/python -m pip --disable-pip-version-check
# pip hides build output, so show which core the build produced (never fatal here:
# the test run itself fails loudly when the expected core is not active).
SHOW_CORE := -env -u FASTCORE_PURE_PYTHON $(BIN)/python -m fastcore info

.PHONY: run test lint clean bench bench-smoke bench-tools soak soak-smoke fuzz fuzz-smoke

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): $(BUILD_INPUTS) | $(BIN)/python
	$(PIP) install --progress-bar off -e ".[standard,example]"
	$(SHOW_CORE)
	touch $@

# The test extras include everything `run` needs, so this satisfies both.
$(TEST_STAMP): $(BUILD_INPUTS) | $(BIN)/python
	$(PIP) install --progress-bar off -e ".[standard,example,test]"
	$(SHOW_CORE)
	touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/uvicorn examples.app:app --host 127.0.0.1 --port 8000

# Both passes always run; the target fails if either did.
test: $(TEST_STAMP)
	@status=0; \
	echo; echo "========== pytest: compiled core =========="; \
	env -u FASTCORE_PURE_PYTHON $(BIN)/python -m pytest $(PYTEST_ARGS) || status=1; \
	echo; echo "========== pytest: pure-Python core (FASTCORE_PURE_PYTHON=1) =========="; \
	FASTCORE_PURE_PYTHON=1 $(BIN)/python -m pytest $(PYTEST_ARGS) || status=1; \
	if [ $$status -ne 0 ]; then echo "make test: at least one pass failed"; fi; \
	exit $$status

# Separate from `test`: style findings never fail the test run.
lint: $(TEST_STAMP)
	@status=0; \
	$(BIN)/ruff check $(LINT_PATHS) || status=1; \
	$(BIN)/ruff format --check $(LINT_PATHS) || status=1; \
	if [ -n "$(wildcard fastcore/*.pyx)" ]; then \
		PATH="$(abspath $(BIN)):$$PATH" $(BIN)/cython-lint $(wildcard fastcore/*.pyx) \
			|| status=1; fi; \
	$(BIN)/mypy fastcore_py fastcore || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) build dist *.egg-info .eggs .pytest_cache .ruff_cache .mypy_cache .hypothesis
	rm -f fastcore/_*.c fastcore/_*.html fastcore/*.so fastcore_py/*.so
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Benchmarks run in a venv of their own, so that the bench extra (BlackSheep,
# matplotlib) never enters the test venv. `make bench-smoke BENCH_VENV=.venv`
# runs the smoke pass in the test venv instead (what is missing there is skipped).
BENCH_VENV ?= bench/.venv
BENCH_ARGS ?=
BENCH_STAMP := $(BENCH_VENV)/.installed-bench
ifeq ($(BENCH_VENV),$(VENV))
BENCH_READY := $(TEST_STAMP)
else
BENCH_READY := $(BENCH_STAMP)
endif
BENCH_RUN := env -u FASTCORE_PURE_PYTHON $(BENCH_VENV)/bin/python -m bench

$(BENCH_STAMP): $(BUILD_INPUTS)
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip --disable-pip-version-check install --progress-bar off \
		-e ".[bench]"
	-env -u FASTCORE_PURE_PYTHON $(BENCH_VENV)/bin/python -m fastcore info
	touch $@

# wrk and valgrind come from Debian: installed when missing and apt-get is usable,
# else the suite skips what needs them and says so.
bench-tools:
	@missing=""; \
	for tool in wrk valgrind; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing$$missing from Debian"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q $$missing >/dev/null || { \
			apt-get update -q >/dev/null && apt-get install -y -q $$missing >/dev/null; } \
			|| echo "could not install$$missing"; \
	fi

bench: $(BENCH_STAMP) bench-tools
	$(BENCH_RUN) $(BENCH_ARGS)

bench-smoke: $(BENCH_READY)
	$(BENCH_RUN) --smoke $(BENCH_ARGS)

# Load and soak (bench/soak.py): mixed requests through wrk against uvicorn, in both
# cores; fails on any error or on memory that keeps growing. wrk comes from Debian
# (make bench-tools); without it bench.soak exits 2 and says so.
SOAK_ARGS ?=
soak-smoke: $(TEST_STAMP)
	$(BIN)/python -m bench.soak --requests 200000 --rounds 8 $(SOAK_ARGS)

soak: $(TEST_STAMP)
	$(BIN)/python -m bench.soak --requests 2000000 --rounds 20 $(SOAK_ARGS)

# Differential fuzzing (tests/fuzz, atheris from the test extra): every target for a
# bounded time; exits 1 on any difference between the cores, crash or undocumented error.
FUZZ_ARGS ?=
fuzz-smoke: $(TEST_STAMP)
	$(BIN)/python -m tests.fuzz --seconds 8 $(FUZZ_ARGS)

fuzz: $(TEST_STAMP)
	$(BIN)/python -m tests.fuzz --seconds 600 $(FUZZ_ARGS)
