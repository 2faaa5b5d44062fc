PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup install messages test lint e2e-deps clean

# The server, the task worker and the scheduler (Procfile), under honcho: Ctrl+C stops all three, and if one of them
# exits the others are stopped too.
run: setup
	HOST=$(HOST) WEB_PORT=$(PORT) $(VENV)/bin/honcho -f Procfile start

setup: install messages
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	$(PY) manage.py search_index

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

messages: install
	@for dir in $$(find . -path ./$(VENV) -prune -o -path ./var -prune -o -type d -name locale -print); do \
		$(VENV)/bin/pybabel -q compile -d "$$dir" -D django || exit 1; \
		if ls "$$dir"/*/LC_MESSAGES/djangojs.po >/dev/null 2>&1; then \
			$(VENV)/bin/pybabel -q compile -d "$$dir" -D djangojs || exit 1; \
		fi; \
	done

test: install messages
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) var
