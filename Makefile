# The two commands: `make run` and `make test` (README). Everything they need is
# installed here, so a fresh clone on a new machine works without steps by hand.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
SYSTEM_PACKAGES := fonts-noto-cjk fonts-arphic-ukai libharfbuzz-subset0 poppler-utils postgresql-client-15
TEST_SYSTEM_PACKAGES := chromium
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/beidaihe
TEST_REDIS_URL ?= redis://127.0.0.1:6379/14

.PHONY: run test bench deps system-deps test-system-deps check-services clean

run: deps
	@bash scripts/run.sh

test: deps test-system-deps check-services
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" \
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=test-only-secret-key-not-used-anywhere-else-0123456789 \
	DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_STATIC_MANIFEST=0 \
	$(PY) -m pytest $(ARGS)

# The suite and the benchmarks serve static files under their plain names
# (settings.STATIC_MANIFEST): no collectstatic needed, a stale var/staticfiles never read;
# core/tests/test_serving.py collects its own and checks the fingerprinted names.
# Benchmarks measure production settings (DEBUG off: no template debug annotations, no
# query log); HTTPS redirect is off only because the test client speaks plain HTTP.
bench: deps check-services
	export DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" DJANGO_DEBUG=0 \
	DJANGO_SECRET_KEY=bench-only-secret-key-not-used-anywhere-else-0123456789abcdef \
	DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_STATIC_MANIFEST=0 && \
	$(PY) scripts/ensure_database.py && $(PY) manage.py migrate --noinput -v0 && \
	$(PY) manage.py bench $(ARGS)

deps: $(STAMP) system-deps

$(STAMP): requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

# Debian packages: CJK fonts for the PDFs, HarfBuzz's subsetter (WeasyPrint subsets
# fonts about fifty times slower without it), poppler for the PDF checks, and the
# PostgreSQL client of the server's major version (15) for `manage.py backup`/`restore`
# (pg_dump refuses a newer server; a dump from a newer pg_dump may not restore).
system-deps:
	@bash scripts/apt-ensure.sh $(SYSTEM_PACKAGES)

test-system-deps:
	@bash scripts/apt-ensure.sh $(TEST_SYSTEM_PACKAGES)

check-services:
	@DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" \
	$(PY) scripts/check_services.py

clean:
	rm -rf var/celery var/staticfiles .pytest_cache
