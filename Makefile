# The two commands of the README: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_SQLITE := instance/pojo-test.sqlite3

.PHONY: run test install lint translations extract-messages bench serve-gunicorn scheduler

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Pojo needs Python 3.11 or newer, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) translations

# Compiled catalogues are build output, so they are made here rather than committed.
translations: $(STAMP)
	@$(BIN)/pybabel compile -f -d pojo/translations

# Serve the app with demo data at http://127.0.0.1:5000 on the embedded SQLite.
# The demo step prints the logins on every run (all of them: `flask --app pojo demo logins`).
run: install
	$(BIN)/flask --app pojo db upgrade
	$(BIN)/flask --app pojo demo --if-empty
	POJO_SCHEDULER=1 $(BIN)/flask --app pojo run --host 127.0.0.1 --port 5000

# The whole suite: lint, tests on SQLite (and PostgreSQL when POJO_TEST_DATABASE_URL is set),
# then the ledger invariants over what the last tests left in each database.
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	POJO_TEST_SQLITE_PATH=$(TEST_SQLITE) $(BIN)/pytest
	DATABASE_URL=sqlite:///$(abspath $(TEST_SQLITE)) $(BIN)/flask --app pojo ledger verify
	@if [ -n "$$POJO_TEST_DATABASE_URL" ]; then \
		DATABASE_URL="$$POJO_TEST_DATABASE_URL" $(BIN)/flask --app pojo ledger verify; fi

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the message catalogues after changing user-visible strings.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -o pojo/translations/messages.pot .
	$(BIN)/pybabel update -i pojo/translations/messages.pot -d pojo/translations

# Benchmarks print figures and ratios; set POJO_BENCH_DATABASE_URL to a scratch PostgreSQL database
# for the PostgreSQL and gunicorn parts (the benches rebuild what they use there).
bench: install
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_market.py
	$(BIN)/python bench/bench_request_path.py

# Production-style serving: several workers, plus ONE scheduler process next to them.
serve-gunicorn: install
	$(BIN)/gunicorn --workers 4 --bind 127.0.0.1:8000 wsgi:app

scheduler: install
	$(BIN)/flask --app pojo scheduler
