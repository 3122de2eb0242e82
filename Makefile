# Treaty-compliance tracker. New here? `make run`, then `make test`.
# Everything is done by scripts/bootstrap.sh; see its header for the settings
# (DATABASE_URL, DATABASE_OWNER, TRACKER_DB_PORT, PORT) and where the local cluster lives.

SHELL := /bin/bash
BOOTSTRAP := scripts/bootstrap.sh
ARGS ?=

.PHONY: run serve test bench db stop lint messages

run:    ## install what is missing, migrate, load the demo, serve on 127.0.0.1:${PORT:-8000}
	$(BOOTSTRAP) run

serve:  ## production serving: DEBUG off, gunicorn + whitenoise on 127.0.0.1:${PORT:-8000}, behind a TLS proxy
	$(BOOTSTRAP) serve

test:   ## run the test suite (make test ARGS='-k zones -x')
	$(BOOTSTRAP) test $(ARGS)

bench:  ## run each bench/*.py against the local database
	$(BOOTSTRAP) bench $(ARGS)

db:     ## only start the local PostgreSQL cluster (outside the clone, see scripts/bootstrap.sh; port ${TRACKER_DB_PORT:-54329})
	$(BOOTSTRAP) db

stop:   ## stop the local PostgreSQL cluster
	$(BOOTSTRAP) stop

messages: ## bring the Ukrainian and Russian catalogues (*/locale/) up to date with the code, then compile them
	$(BOOTSTRAP) messages

lint:   ## ruff, if installed
	@if [ -x .venv/bin/ruff ]; then .venv/bin/ruff check . $(ARGS); \
	elif command -v ruff >/dev/null; then ruff check . $(ARGS); \
	else echo "ruff is not installed (it comes with requirements-dev.txt: make test installs it)"; fi
