VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: install dev run test clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

install: $(VENV)/.installed

$(VENV)/.dev-installed: $(VENV)/.installed
	$(PIP) install --quiet -e '.[dev,scale]'
	touch $@

dev: $(VENV)/.dev-installed

run: install
	$(VENV)/bin/eventcoder extract examples/ --format table
	$(VENV)/bin/eventcoder extract examples/ --format acled-csv --output events.csv
	@echo "wrote events.csv"
	$(VENV)/bin/eventcoder ingest examples/ --db eventcoder.db --no-progress
	@echo "open http://127.0.0.1:8000/  (API: /docs; Ctrl-C to stop)"
	$(VENV)/bin/eventcoder serve --db eventcoder.db

test: dev
	$(VENV)/bin/python -m pytest

clean:
	rm -rf $(VENV) events.csv eventcoder.db eventcoder.db-* build *.egg-info src/*.egg-info
