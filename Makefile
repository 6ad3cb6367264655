# Two commands: `make run` (set up and serve) and `make test` (set up and run every check).
# Both work on a fresh Debian machine: as root they apt-get what is missing, otherwise they say what to install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi
SYSTEM_PACKAGES := chromium poppler-utils libharfbuzz-subset0 fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0 postgresql-client fonts-noto-color-emoji

.PHONY: run test test-only setup system translations db demo secret clean bench

# The Procfile's two processes under honcho: the web server and the queue worker; Ctrl-C stops both.
run: setup secret db demo
	@echo "Serving on http://$(HOST):$(PORT) with a queue worker  (demo logins are in README.md)"
	SECRET_KEY="$${SECRET_KEY:-$$(cat instance/secret_key)}" HOST=$(HOST) PATH="$(CURDIR)/$(BIN):$$PATH" \
	  $(BIN)/honcho start --procfile Procfile --port $(PORT)

test: setup $(VENV)/.dev-installed test-only

# Two workers (pytest-xdist), a test file per worker at a time: the 2-core machine's suite in about half the time.
PYTEST_WORKERS ?= 2
test-only:
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile

setup: system $(VENV)/.installed translations

system:
	@missing=""; \
	if command -v dpkg >/dev/null 2>&1; then \
	  for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Please install the system packages:  sudo apt-get install$$missing"; \
	  fi; \
	fi

$(VENV)/.installed: requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

translations: $(VENV)/.installed
	$(BIN)/python -m app.i18n compile

secret:
	@mkdir -p instance
	@test -s instance/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > instance/secret_key

db: secret
	SECRET_KEY="$$(cat instance/secret_key)" $(BIN)/flask db upgrade

# Idempotent: the first run loads the demo workspace; later runs add only what new features bring.
demo: db
	SECRET_KEY="$$(cat instance/secret_key)" $(BIN)/flask demo-data

bench: setup $(VENV)/.dev-installed
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) test-artifacts
