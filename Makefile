# The three commands the README promises, and the ones CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# Every Python package `make setup` installs is pinned, with the hash of each of its files, in
# requirements/dev.txt (made from pyproject.toml by `make lock`); pip refuses any file whose hash
# differs. The map libraries are pinned with their hashes in eventwatch/web/package-lock.json.
LOCK_PYTHON := 3.11
COMPILE = $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version $(LOCK_PYTHON) \
	--generate-hashes --custom-compile-command "make lock" $(UPGRADE)

.PHONY: setup lock run test eval bench bench-scale bench-sizes bench-real train lint

setup:  ## virtual environment, every dependency (from the lock), map libraries, a browser for the page tests, Java for Spark, the gazetteer index
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	cd eventwatch/web && npm ci --no-audit --no-fund --loglevel=error
	command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; } || \
	  echo "note: Debian's chromium is not installed: the browser tests will be skipped"
	command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless; } || \
	  echo "note: no Java runtime: the Spark job's tests will be skipped"
	$(BIN)/eventwatch gazetteer build

lock:  ## requirements/{runtime,dev,bench}.txt from pyproject.toml, keeping current pins (UPGRADE=--upgrade: newest allowed)
	$(COMPILE) -o requirements/runtime.txt
	$(COMPILE) --extra dev -o requirements/dev.txt
	$(COMPILE) --extra dev --extra bench -o requirements/bench.txt

train:  ## the learned models (eventwatch/learned/weights) from ../shared/data's training parts and training/examples (~2 min)
	$(BIN)/python -m training.train

run:  ## the main job on the bundled example article
	$(BIN)/eventwatch extract examples/article.txt --published 2024-11-22

test:  ## unit, end-to-end and quality-gate tests
	$(BIN)/python -m pytest -q

eval:  ## the development scorecard
	$(BIN)/eventwatch evaluate ../shared/eval/dev.jsonl

bench:  ## speed and memory
	$(BIN)/python benchmarks/speed.py

bench-scale:  ## per-stage speed beside spaCy, memory, cost of 1k/10k/100k articles (~4 min; the spaCy yardsticks need .venv/bin/pip install --require-hashes -r requirements/bench.txt)
	$(BIN)/python benchmarks/scale.py

bench-sizes:  ## extraction time of one article at 12.5-200 KB in eight shapes, and its log-log slope (~2 min)
	$(BIN)/python benchmarks/sizes.py

bench-real:  ## quality on real text: the validation part of each learning set in ../shared/data (docs/realworld.md)
	$(BIN)/python benchmarks/realworld.py

lint:
	$(BIN)/ruff check eventwatch tests benchmarks training
