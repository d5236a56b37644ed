# session_analytics — two commands do all set-up: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPARK_STAMP := $(VENV)/.spark-installed

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)/profiles
export DBT_PROJECT_DIR := $(CURDIR)
export PYTHONDONTWRITEBYTECODE := 1

DBT := $(BIN)/dbt

.PHONY: help setup demo test lint build pytest sample docs clean publish report chromium
.PHONY: bench bench-smoke test-hostile
.PHONY: spark-setup test-spark

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP) ## Create .venv with the pinned dependencies

build: setup ## dbt build (seeds, models, data and unit tests) on the landing dir
	mkdir -p warehouse
	$(DBT) build

demo: build ## Set up, build the warehouse from data/sample, print headline numbers
	$(BIN)/session-analytics summary

lint: setup ## sqlfluff (dbt templater) and ruff
	$(BIN)/ruff check python
	$(BIN)/ruff format --check python
	$(BIN)/sqlfluff lint models macros tests

# pytest-xdist: one worker per core (PYTEST_WORKERS=0 runs in this process), each test
# module on one worker, so a module's shared builds are built once.
PYTEST_WORKERS ?= auto
pytest: setup chromium ## Python tests (the notebook and the report in headless Chromium too)
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile

test: build lint pytest ## Set up, dbt build, lint, pytest

sample: setup ## Regenerate the bundled sample in data/sample
	rm -rf data/sample
	$(BIN)/session-analytics generate --out data/sample --sessions 10000 --days 35 --seed 42

publish: setup ## Build + test into a fresh file, then atomically replace warehouse/published/
	mkdir -p warehouse/published
	$(BIN)/session-analytics publish

report: setup ## Write the HTML dashboard reports/session_analytics_report.html
	@test -f "$${SESSION_ANALYTICS_DB:-warehouse/session_analytics.duckdb}" || $(MAKE) build
	$(BIN)/session-analytics report --out reports/

chromium: ## Install headless Chromium (Debian package) for the report test, when missing
	@command -v chromium >/dev/null 2>&1 \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || echo "chromium could not be installed: the report's browser test will be skipped"

$(SPARK_STAMP): $(STAMP) requirements-spark.lock
	@command -v java >/dev/null 2>&1 \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	       apt-get install -y -qq openjdk-17-jre-headless >/dev/null; } \
	  || { echo "Spark needs Java 17: install a JRE (openjdk-17-jre-headless)"; exit 1; }
	$(BIN)/pip install --quiet --no-deps -r requirements-spark.lock
	touch $(SPARK_STAMP)

spark-setup: $(SPARK_STAMP) ## Add the Spark extra to .venv (dbt-spark, PySpark; Java 17)

test-spark: spark-setup ## Build the sample and a hostile dir on DuckDB and Spark, compare strictly
	$(BIN)/pytest -q -s -p no:cacheprovider python/spark_tests

HOSTILE_EXAMPLES ?= 20
test-hostile: setup ## Large randomized hostile run, by hand (HOSTILE_EXAMPLES=20 dbt builds)
	HOSTILE_EXAMPLES=$(HOSTILE_EXAMPLES) HOSTILE_RANDOM=1 $(BIN)/pytest -q -s \
	  -p no:cacheprovider python/tests/test_hostile.py -k reconciles

docs: build ## Generate the dbt docs site (offline) into target/
	$(DBT) docs generate

SESSIONS ?= 100000
FLOOR_MEMORY_LIMIT ?=
bench: setup ## Benchmark floor vs dbt build vs 1 % incremental into bench/ (SESSIONS=1000000)
	$(BIN)/session-analytics bench --sessions $(SESSIONS) \
	  $(if $(FLOOR_MEMORY_LIMIT),--floor-memory-limit $(FLOOR_MEMORY_LIMIT))

bench-smoke: setup ## 10k-session benchmark smoke run (CI): prints, writes docs/ nothing
	$(BIN)/session-analytics bench --sessions 10000 --no-append

clean: ## Remove build outputs (keeps .venv)
	rm -rf target logs warehouse reports
