# Open Doors. `make run` starts everything on the embedded default; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed-$(shell sha1sum requirements-dev.lock | cut -c1-12)

.PHONY: run test lint format deploy-check lock bench screenshots clean

$(STAMP): requirements-dev.lock
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@rm -f $(VENV)/.installed-* && touch $@

var:
	@mkdir -p var/broker/queue var/broker/control

## run: web on http://127.0.0.1:$(PORT) (8000 unless PORT=...) plus a Celery worker with beat
## (and one for mailbox scans); Ctrl-C stops all. SITE_URL (links in emails) follows the port
## unless it is set.
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP) var
	@$(BIN)/python -m config.port_free $(PORT)
	@$(MANAGE) migrate --noinput
	@$(MANAGE) seed_demo
	@echo "Open Doors: http://127.0.0.1:$(PORT)  (Ctrl-C stops the web server, worker and beat)"
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	export SITE_URL="$(SITE_URL)"; \
	$(BIN)/celery -A config worker --beat --loglevel INFO --concurrency 1 \
		--schedule var/celerybeat-schedule & \
	$(BIN)/celery -A config worker -Q capture --loglevel INFO --concurrency 1 -n capture@%h & \
	$(MANAGE) runserver 127.0.0.1:$(PORT); \
	status=$$?; echo "The web server stopped (exit $$status): stopping the worker and beat too."; \
	exit $$status

## test: the whole suite; DATABASE_URL / REDIS_URL select PostgreSQL and Redis.
test: $(STAMP) var
	@$(BIN)/pytest $(PYTEST_ARGS)

## screenshots: re-take docs/screenshots/*.png with the end-to-end tests.
screenshots: $(STAMP) var
	@UPDATE_SCREENSHOTS=1 $(BIN)/pytest tests/e2e -q

## lint: ruff, and the import layers of the apps (import-linter, contracts in pyproject.toml).
lint: $(STAMP)
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/lint-imports --no-cache

format: $(STAMP)
	@$(BIN)/ruff format .
	@$(BIN)/ruff check --fix .

## deploy-check: Django's deployment checklist with production values.
deploy-check: $(STAMP)
	@DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=opendoors.example \
		$(MANAGE) check --deploy --fail-level WARNING

## lock: re-pin dependencies after editing pyproject.toml.
lock:
	@$(PYTHON) -m pip install --quiet uv
	@$(PYTHON) -m uv pip compile pyproject.toml --python-version 3.11 -q -o requirements.lock
	@$(PYTHON) -m uv pip compile pyproject.toml --extra dev --python-version 3.11 -q -o requirements-dev.lock

bench: $(STAMP) var
	@$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) var
