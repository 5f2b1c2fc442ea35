# policy_nlp: `make run` (pipeline over corpus/ into out/) and `make test`.
# Both create .venv with Python 3.10+ (PYTHON=python3.11 make … to choose) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint format bench models clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/policy-nlp run corpus --out out --xlsx --overwrite
	$(BIN)/policy-nlp report out

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

models: $(STAMP)
	$(BIN)/policy-nlp fit topics corpus --models models
	$(BIN)/policy-nlp fit tense corpus tests/data/train --exclude tests/data/gold/docs \
		--exclude tests/data/heldout/docs --exclude tests/data/blind/docs --out models/tense.npz

MB ?= 10
bench: $(STAMP)
	$(BIN)/python bench/run_bench.py --mb $(MB)
	$(BIN)/python bench/claims_speed.py

clean:
	rm -rf $(VENV) out .pytest_cache
