# The two commands of the README, and a few conveniences around them.
VENV ?= .venv
PY := $(VENV)/bin/python

# Backing services for the integration tests (the fixtures skip, or fail under CI=true,
# when nothing answers there).
export PORTAL_TEST_POSTGRES_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
export PORTAL_TEST_AMQP_URL ?= amqp://guest:guest@127.0.0.1:5672/
export PORTAL_TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# The S3 server `scripts/s3-server start` runs (OpenStack Swift with s3api).
export PORTAL_TEST_S3_ENDPOINT ?= http://127.0.0.1:8080
export PORTAL_TEST_S3_ACCESS_KEY ?= portal:svc
export PORTAL_TEST_S3_SECRET_KEY ?= s3secretkey1234

.PHONY: dev test lint bench install s3

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.installed
	$(VENV)/bin/portal dev --demo

# Two workers, one per core of the machine the suite is sized for; a file's tests stay
# together and in order (some files share one portal across their tests).
test: $(VENV)/.installed
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder

s3:
	scripts/s3-server start

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy services/*/src/portal_* gateway/src/portal_gateway

bench: $(VENV)/.installed
	$(PY) benchmarks/outbox_relay.py
