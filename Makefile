# Civic Challenge Procurement. `make run` and `make test` set everything up themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# pytest-xdist: one process per core, each on its own test database (test_<name>_gw0, ...);
# a test file stays on one worker so its module-scoped data is built once.
TEST_WORKERS ?= auto

.PHONY: run test install install-dev lock lint format worker beat migrate demo screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# What production installs; `make run` needs nothing more.
$(STAMP): requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

# The same pins plus the development packages (tests, linting, screenshots).
$(DEV_STAMP): requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(DEV_STAMP)

# axe-core for the browser tests' accessibility checks, at the version package-lock.json pins.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

# Both locks from pyproject.toml, with pip-tools in a throwaway venv. Pins are kept unless
# UPGRADE=1; the production lock starts from the development one so both pin the same versions.
LOCK_VENV := .venv-lock
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet \
	--allow-unsafe --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links \
	$(if $(UPGRADE),--upgrade)
lock:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet pip-tools
	$(PIP_COMPILE) --extra=dev --output-file=requirements-dev.lock pyproject.toml
	cp requirements-dev.lock requirements.lock
	$(PIP_COMPILE) --output-file=requirements.lock pyproject.toml
	rm -rf $(LOCK_VENV)

# Zero setup: SQLite, demo data, the development server with a Celery worker and beat on a local
# folder queue (no Redis). A process that exits is restarted; Ctrl-C stops all three.
# `make run HOST=0.0.0.0 PORT=8080`: links in e-mails and open data follow (SITE_URL).
run: export DEBUG ?= 1
run: export SITE_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),localhost,$(HOST)):$(PORT)
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py ocds_backfill
	$(BIN)/python manage.py run_local $(HOST):$(PORT)

# The whole suite on PostgreSQL and Redis (see .ci/run, which starts them on a fresh machine).
test: export DATABASE_URL ?= $(TEST_DATABASE_URL)
test: export REDIS_URL ?= $(TEST_REDIS_URL)
test: export DEBUG = 0
test: export SECRET_KEY ?= test-only-secret-key-not-for-production
test: export SECURE_SSL_REDIRECT = 0
test: export EMAIL_BACKEND = django.core.mail.backends.locmem.EmailBackend
test: $(DEV_STAMP) $(NODE_STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/pytest --create-db -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: export DEBUG ?= 1
demo: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py ocds_backfill

# SETS="french phone" (or all) for the French and 320 px phone shots of the key pages;
# SETS=governance or SETS=engagement for those pages alone (English, French, phone).
screenshots: $(DEV_STAMP)
	$(BIN)/python docs/screenshots/make_screenshots.py $(foreach set,$(SETS),--set $(set))

# Against Redis (REDIS_URL) and the configured database; run any number of workers, one beat.
worker: $(STAMP)
	$(BIN)/celery -A config worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A config beat --loglevel=INFO --schedule $(or $(CELERY_BEAT_SCHEDULE),celerybeat-schedule)

clean:
	rm -rf $(VENV) $(LOCK_VENV) node_modules db.sqlite3 staticfiles .pytest_cache .ruff_cache .celery
