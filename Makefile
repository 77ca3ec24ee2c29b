# Two commands on a fresh machine: `make run` and `make test` (each bootstraps .venv itself).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120

.PHONY: run test test-fast bench clean chromium dashboard

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11) on PATH"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/timeline run --source seeds/articles --warehouse warehouse/timeline.duckdb
	$(BIN)/timeline show --warehouse warehouse/timeline.duckdb

test: $(STAMP) chromium
	$(BIN)/python -m pytest

# The dashboard tests drive a headless Chromium from Debian (no browser download at test time).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium for the headless dashboard tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null \
	  || { echo "could not install chromium: run 'apt-get install -y chromium' as root"; exit 1; }; }

dashboard: $(STAMP)
	$(BIN)/timeline dashboard --warehouse warehouse/timeline.duckdb --out build/dashboard

# `make bench` (bench/run.py, BENCHMARKS.md): corpora of 1,000 and 10,000 articles by default;
# `make bench BENCH_SIZES=1000,10000,100000` adds the scale run. The peers go into the venv once;
# one that cannot be installed is reported as unavailable by the bench, never a failure.
BENCH_SIZES ?= 1000,10000
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	@$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bench]' \
	  || echo "bench: GiNZA (ginza, ja-ginza) could not be installed; the bench reports it as unavailable"
	@$(BIN)/python -m pip install --quiet --no-deps -c constraints.txt ja-timex==0.2.8 \
	  || echo "bench: ja-timex could not be installed; the bench reports it as unavailable"
	@$(BIN)/python -c "import prefect" || { echo "bench: the peers broke prefect"; exit 1; }
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py --sizes $(BENCH_SIZES)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

clean:
	rm -rf $(VENV) warehouse/timeline.duckdb warehouse/timeline.duckdb.cache warehouse/parquet warehouse/snapshot warehouse/snapshots build test-artifacts .pytest_cache
