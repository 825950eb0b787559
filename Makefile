# The three commands the README promises, and the ones CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test eval bench bench-scale bench-real lint

setup:  ## virtual environment, every dependency, map libraries, a browser for the page tests, Java for Spark, the gazetteer index
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	cd eventwatch/web && npm ci --no-audit --no-fund --loglevel=error
	command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; } || \
	  echo "note: Debian's chromium is not installed: the browser tests will be skipped"
	command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless; } || \
	  echo "note: no Java runtime: the Spark job's tests will be skipped"
	$(BIN)/eventwatch gazetteer build

run:  ## the main job on the bundled example article
	$(BIN)/eventwatch extract examples/article.txt --published 2024-11-22

test:  ## unit, end-to-end and quality-gate tests
	$(BIN)/python -m pytest -q

eval:  ## the development scorecard
	$(BIN)/eventwatch evaluate ../shared/eval/dev.jsonl

bench:  ## speed and memory
	$(BIN)/python benchmarks/speed.py

bench-scale:  ## per-stage speed beside spaCy, memory, cost of 1k/10k/100k articles (~4 min; the spaCy yardsticks need pip install -e '.[bench]')
	$(BIN)/python benchmarks/scale.py

bench-real:  ## quality on real text: the validation part of each learning set in ../shared/data (docs/realworld.md)
	$(BIN)/python benchmarks/realworld.py

lint:
	$(BIN)/ruff check eventwatch tests benchmarks training
