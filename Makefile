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
WINDOWS_LOCALE := $(VENV)/locale
test: $(STAMP)
	$(BIN)/ruff check packbuilder tests tools bench
	$(BIN)/ruff format --check packbuilder tests tools bench
	$(BIN)/mypy
	$(BIN)/pytest -q
	$(MAKE) --no-print-directory test-windows

test-windows: $(STAMP)
	@mkdir -p $(WINDOWS_LOCALE)
	@test -d $(WINDOWS_LOCALE)/en_GB.CP1252 || localedef -i en_GB -f CP1252 \
	    $(WINDOWS_LOCALE)/en_GB.CP1252 2>/dev/null || echo "no cp1252 locale: console only"
	PACKBUILDER_IMITATE_WINDOWS=1 PYTHONPATH=$(CURDIR)/.ci/windows \
	    LOCPATH=$(CURDIR)/$(WINDOWS_LOCALE) LC_ALL=en_GB.CP1252 \
	    PYTHONIOENCODING=cp1252 PYTHONUTF8=0 $(BIN)/pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info
