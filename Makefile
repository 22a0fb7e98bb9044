# One entry point for people and CI. Each target creates the virtual environment when missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test check fmt lint types imports schemas bench-import bench-batch bench-memory bench-validator report-screenshot clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

## Offline demo: the seed article, answered from its cassette.
demo: $(STAMP)
	$(BIN)/khabar extract fixtures/cases/seed_military_visit/article.txt \
		--replay fixtures/cases/seed_military_visit/cassette.json

## The whole test suite (offline).
test: $(STAMP)
	$(BIN)/python -m pytest -q

fmt: $(STAMP)
	$(BIN)/ruff format --check agent tests benchmarks scripts

lint: $(STAMP)
	$(BIN)/ruff check agent tests benchmarks scripts

types: $(STAMP)
	$(BIN)/mypy

## The layer contracts (docs/architecture.md): e.g. matching and checking never import the SDK.
imports: $(STAMP)
	$(BIN)/lint-imports

## Formatting, lint, types, import contracts and tests: run before every commit (CI runs it).
check: fmt lint types imports test

schemas: $(STAMP)
	$(BIN)/khabar schema export schemas

## The README screenshot of the seed article's HTML report (needs chromium + chromium-driver).
report-screenshot: $(STAMP)
	$(BIN)/python -m tests.browser.harness docs/report-seed.png

bench-import: $(STAMP)
	$(BIN)/python benchmarks/import_time.py

## Batch throughput vs the ideal and vs langextract (langextract needs the bench extra).
bench-batch: $(STAMP)
	$(BIN)/python benchmarks/batch.py --quick

## Validator false flags on hand-written answers and seeded-error detection, vs commit 6b03841.
bench-validator: $(STAMP)
	$(BIN)/python -m benchmarks.validator

## Peak memory of khabar batch as the input grows (1,000 vs 100,000 articles).
bench-memory: $(STAMP)
	$(BIN)/python benchmarks/memory.py --quick

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
