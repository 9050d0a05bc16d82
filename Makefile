SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help demo test test-tutor tutor-venv check-lms-constraints compile-requirements upgrade clean services

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LMS_CONSTRAINTS ?= ../shared/lms-constraints.txt
TEST_DATABASE_URL ?= mysql://root@127.0.0.1:3306/panorama_lms
# Tutor 21 conflicts with the app's Celery (click versions): the Tutor plugin (tutor/) is tested with a Tutor of
# its own virtualenv, which tests/tutor/ calls through this path.
TUTOR_VENV := .venv-tutor
TUTOR_EXECUTABLE ?= $(CURDIR)/$(TUTOR_VENV)/bin/tutor
DEMO_SCALE ?= 0.01
# The embedded default: a SQLite stand-in LMS and a local datalake folder, no cloud at all.
DEMO_ENV := DATABASE_URL=sqlite:///var/demo/lms.sqlite3 LMS_STUB_VAR=$(CURDIR)/var/demo \
	PANORAMA_MODE=CUSTOM PANORAMA_DATALAKE_DIR=$(CURDIR)/datalake LMS_HOST=local.openedx.io LMS_STUB_MONGOMOCK=true \
	PANORAMA_TRACKING_REDIS_URL=redis://127.0.0.1:6379/12 PANORAMA_LOGS_UPLOAD_TIMEOUT=1s

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-24s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements/test.txt requirements/base.txt setup.py
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements/test.txt -c requirements/lms-constraints.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(TUTOR_VENV)/bin/activate:
	$(PYTHON) -m venv $(TUTOR_VENV)

$(TUTOR_VENV)/.installed: $(TUTOR_VENV)/bin/activate tutor/pyproject.toml
	$(TUTOR_VENV)/bin/pip install -q --upgrade pip
	$(TUTOR_VENV)/bin/pip install -q -e "./tutor[mfe]"
	touch $@

tutor-venv: $(TUTOR_VENV)/.installed ## the virtualenv of the Tutor plugin: Tutor 21, tutor-mfe, tutor-contrib-panorama (editable)

demo: $(VENV)/.installed ## seed the stand-in LMS (SQLite), export it and its tracking events into ./datalake
	rm -rf var/demo datalake && mkdir -p var/demo
	$(DEMO_ENV) $(BIN)/python manage.py check
	$(DEMO_ENV) $(BIN)/python manage.py migrate -v0
	$(DEMO_ENV) $(BIN)/python manage.py panorama_settings
	$(DEMO_ENV) $(BIN)/python manage.py seed_lms --scale $(DEMO_SCALE)
	$(DEMO_ENV) $(BIN)/python manage.py panorama_export
	$(DEMO_ENV) $(BIN)/python manage.py emit_demo_events --count 500 --reset
	sleep 1
	$(DEMO_ENV) $(BIN)/python manage.py panorama_upload_logs
	$(DEMO_ENV) $(BIN)/python manage.py demo_report

test: $(VENV)/.installed $(TUTOR_VENV)/.installed ## run the whole suite on MariaDB and Redis (see .ci/run to start them)
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python manage.py check
	DATABASE_URL=$(TEST_DATABASE_URL) TUTOR_EXECUTABLE=$(TUTOR_EXECUTABLE) $(BIN)/pytest

test-tutor: $(VENV)/.installed $(TUTOR_VENV)/.installed ## only the Tutor plugin's tests (tests/tutor: no database, no Docker)
	TUTOR_EXECUTABLE=$(TUTOR_EXECUTABLE) $(BIN)/pytest tests/tutor

check-lms-constraints: $(VENV)/.installed ## the package installs under the LMS's pinned versions, unchanged
	@mkdir -p var
	@$(BIN)/pip install --dry-run --ignore-installed -c $(LMS_CONSTRAINTS) -e . > var/lms-constraints.log 2>&1 \
		|| { grep -v "^WARNING: Location" var/lms-constraints.log; exit 1; }
	@grep "^Would install" var/lms-constraints.log

compile-requirements: $(VENV)/.installed ## pip-compile requirements/*.in against the LMS pins
	$(BIN)/pip install -q pip-tools
	for f in base test dev; do \
		$(BIN)/pip-compile -q --no-emit-index-url --no-emit-find-links --strip-extras --allow-unsafe \
			$(PIP_COMPILE_OPTS) -o requirements/$$f.txt requirements/$$f.in; \
	done
	# test.txt leaves Django out so that tox can pick 4.2 or 5.2 (the venv takes the LMS's pin instead)
	awk '/^django==/{skip=1; next} skip && /^    #/{next} {skip=0; print}' requirements/test.txt > requirements/test.tmp
	mv requirements/test.tmp requirements/test.txt

upgrade: PIP_COMPILE_OPTS = --upgrade
upgrade: compile-requirements ## recompile every requirements file with the newest allowed versions

clean: ## remove the virtualenvs, the demo data and caches
	rm -rf $(VENV) $(TUTOR_VENV) var datalake build dist *.egg-info tutor/*.egg-info tutor/build .pytest_cache \
		.coverage coverage.xml
	find . -name __pycache__ -prune -exec rm -rf {} +
