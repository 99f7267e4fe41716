# Two commands for a fresh machine with Python 3.11+, pip and make:
#   make demo   install, build the demo school and serve it on http://127.0.0.1:8000
#   make test   install what the tests need and run them all
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV) && $(PYTHON) -m pip install --user --quiet virtualenv && $(PYTHON) -m virtualenv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/shuxiang migrate --no-input
	$(BIN)/shuxiang demo
	$(BIN)/shuxiang serve --host 127.0.0.1 --port 8000

test: install-test
	SHUXIANG_HOME=$(CURDIR)/var/test $(BIN)/pytest

lint: install-test
	$(BIN)/ruff check shuxiang tests bench conftest.py
	$(BIN)/ruff format --check shuxiang tests bench conftest.py

format: install-test
	$(BIN)/ruff format shuxiang tests bench conftest.py

# Regenerate the catalogue after changing texts (needs gettext's xgettext and msgfmt).
messages: install
	cd shuxiang && ../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete --no-location \
		--settings=shuxiang.settings --pythonpath=..
	cd shuxiang && ../$(BIN)/django-admin compilemessages -l zh_Hans --settings=shuxiang.settings \
		--pythonpath=..

clean:
	rm -rf $(VENV) var/test
