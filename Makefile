# The two set-up commands of the README: `make run` (the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint check migrate seed worker beat clean

# uv (from the package index) installs the same pinned requirements several times faster than
# pip; if it cannot be had, pip does the work.
UV_VERSION := 0.13.8
define install
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	( $(PY) -m pip install --quiet uv==$(UV_VERSION) \
	  && $(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r $(1) ) \
	  || $(PY) -m pip install --quiet -r $(1)
endef

# The demo needs only the runtime packages; tests and checks add theirs.
$(VENV)/.installed-runtime: requirements.txt
	$(call install,requirements.txt)
	touch $@

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(call install,requirements-dev.txt)
	touch $(VENV)/.installed-runtime $@

## run: install, migrate, seed the demo data and serve it on http://127.0.0.1:8000/
run: $(VENV)/.installed-runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --base-url http://$(HOST):$(PORT)
	@# A Celery worker with its beat beside the web server, on a folder broker (no Redis needed):
	@# distributor reports go out for real. With REDIS_URL set, Redis is used instead.
	mkdir -p var/celery/queue var/celery/processed var/celery/control
	export CELERY_FOLDER_BROKER=$(CURDIR)/var/celery; \
	  $(VENV)/bin/celery -A astro_site worker -B --concurrency=1 --loglevel=WARNING \
	    --schedule=var/celerybeat-schedule & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

## test: the whole test suite (SQLite by default; DATABASE_URL/REDIS_URL point it elsewhere)
test: $(VENV)/.installed
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## check: what CI checks besides the tests
check: $(VENV)/.installed lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy
	DJANGO_SETTINGS_MODULE=astro_site.settings.production \
	  SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))") \
	  DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3} \
	  REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} ALLOWED_HOSTS=astro.example.com \
	  FIELD_ENCRYPTION_KEYS=$$($(PY) -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())") \
	  $(PY) manage.py check --deploy --fail-level WARNING

migrate: $(VENV)/.installed-runtime
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

## worker / beat: Celery processes against REDIS_URL (production starts them from the Procfile)
worker: $(VENV)/.installed-runtime
	$(VENV)/bin/celery -A astro_site worker --loglevel=INFO

beat: $(VENV)/.installed-runtime
	$(VENV)/bin/celery -A astro_site beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
