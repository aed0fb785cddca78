# One place for set-up: both README commands go through here.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: example test test-windows lint bench clean

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

# The suite runs twice: as on Linux, then imitating Windows (docs/windows.md): worker processes
# started by spawn only (no os.fork), a cp1252 console and locale, Python's UTF-8 mode off.
# Each run spreads its tests over every core (pytest-xdist); a worker that runs out of tests
# takes some from the other's queue (worksteal), as a few modules take far longer than the rest.
# xdist starts its workers as new interpreters (execnet's popen), so they inherit the imitation's
# environment; tests/conftest.py checks in every worker that it took hold.
WINDOWS_LOCALE := $(VENV)/locale
PARALLEL ?= -n auto --dist worksteal
test: $(STAMP)
	$(BIN)/ruff check packbuilder tests tools bench
	$(BIN)/ruff format --check packbuilder tests tools bench
	$(BIN)/mypy
	$(BIN)/pytest -q $(PARALLEL)
	$(MAKE) --no-print-directory test-windows

test-windows: $(STAMP)
	@mkdir -p $(WINDOWS_LOCALE)
	@test -d $(WINDOWS_LOCALE)/en_GB.CP1252 || localedef -i en_GB -f CP1252 \
	    $(WINDOWS_LOCALE)/en_GB.CP1252 2>/dev/null || echo "no cp1252 locale: console only"
	PACKBUILDER_IMITATE_WINDOWS=1 PYTHONPATH=$(CURDIR)/.ci/windows \
	    LOCPATH=$(CURDIR)/$(WINDOWS_LOCALE) LC_ALL=en_GB.CP1252 \
	    PYTHONIOENCODING=cp1252 PYTHONUTF8=0 $(BIN)/pytest -q -p no:cacheprovider $(PARALLEL)

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info
