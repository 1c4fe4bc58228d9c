# OPOP Jatim. `make run` and `make test` are all a new machine needs; `make help` lists the rest.
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
MANAGE := $(PY) manage.py

.DEFAULT_GOAL := help
.PHONY: help run test test-hostile lint format install migrate seed messages makemessages worker beat procfile clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	@python=$$(.ci/find-python) || exit 1; \
	  if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	    rm -rf $(VENV); echo "Creating $(VENV) with $$python"; $$python -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

install: $(VENV)/.installed ## Create .venv and install requirements.txt

messages: install ## Compile the translations (.po -> .mo)
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

makemessages: install ## Collect new translatable strings into the .po files
	$(MANAGE) makemessages -l id -l en --ignore=.venv --ignore=staticfiles --no-obsolete

migrate: install ## Apply database migrations
	$(MANAGE) migrate --noinput

seed: migrate ## Load the demo data (idempotent)
	$(MANAGE) seed_demo

run: messages seed ## Set up everything and serve the portal at http://127.0.0.1:8000
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# The suite runs in two processes (pytest-xdist), on SQLite and on PostgreSQL + Redis alike: each process has
# its own test database (pytest-django) and its own Redis databases (opop/settings/test.py).
TEST_PROCESSES ?= -n 2

test: messages ## Run the whole test suite
	$(PY) -m pytest $(TEST_PROCESSES)

test-hostile: messages ## Attack every form and upload with many more hypothesis examples (slow)
	HYPOTHESIS_PROFILE=thorough HOSTILE_TALLY=hostile-tally.json $(PY) -m pytest -p no:cacheprovider \
		tests/test_hostile_endpoints.py */tests/test_hostile_input.py */*/tests/test_hostile_input.py \
		opop/tests/test_uploads.py */tests/test_uploads.py */*/tests/test_uploads.py

lint: install ## ruff lint and format check, and the import contracts (pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install ## A Celery worker (needs CELERY_BROKER_URL)
	$(VENV)/bin/celery -A opop worker --loglevel=INFO

beat: install ## Celery beat, the one scheduler (needs CELERY_BROKER_URL)
	$(VENV)/bin/celery -A opop beat --loglevel=INFO

procfile: messages migrate ## Web (gunicorn), worker and beat together from the Procfile (honcho)
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-opop.settings.dev} WEB_CONCURRENCY=$${WEB_CONCURRENCY:-2} \
	  GUNICORN_BIND=127.0.0.1:$(PORT) $(VENV)/bin/honcho start

clean: ## Remove the venv, the SQLite database and collected files
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .test-media
