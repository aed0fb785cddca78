# One place for set-up: both README commands go through here.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: example test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

# The bundled example programme: check and build each recorded month in order.
example: $(STAMP)
	$(BIN)/packbuilder plan check
	$(BIN)/packbuilder build 2023-07
	$(BIN)/packbuilder build 2023-08

test: $(STAMP)
	$(BIN)/ruff check packbuilder tests tools bench
	$(BIN)/ruff format --check packbuilder tests tools bench
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info
