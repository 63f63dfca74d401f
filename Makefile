# Factmark developer commands. `make run` and `make test` are the README's two commands.
PY := .venv/bin/python
PIP := .venv/bin/pip
PYTEST := $(PY) -m pytest
PORT ?= 8000

.PHONY: run test test-fast venv deps chromium bench check serve-prod profile

# pip is pinned: older pips do not match the `lxml[html_clean]` extra that jusText asks
# for with lxml's `html-clean` and warn on every install.
venv:
	@test -x $(PY) || python3 -m venv .venv
	@$(PIP) install -q --disable-pip-version-check 'pip==25.3'

deps: venv
	@$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt

# Browser tests drive Debian's Chromium (playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "Install Chromium first: sudo apt-get install chromium" >&2; exit 1; fi; }

# The app on SQLite with demo data, at http://127.0.0.1:8000/, and a task worker beside it
# (source snapshots, excerpt checks, re-checks); the worker stops when runserver does.
run: deps
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	$(PY) manage.py recheck_sources --schedule
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Every test, browser tests included. Uses DATABASE_URL when set (PostgreSQL), SQLite otherwise.
test: deps chromium
	$(PYTEST) -q -n 2 --dist loadgroup

# Everything but the browser tests (CI's second pass on SQLite).
test-fast: deps
	$(PYTEST) -q -n 2 -m "not browser"

check: deps
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Benchmark on PostgreSQL (role factmark/factmark on 127.0.0.1:5432, its own database
# factmark_bench): prints one table, see BENCHMARKS.md. BENCH_ARGS=--big adds the
# 1,000,000-verdict export.
bench: deps
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; \
	  else echo "Install wrk first: sudo apt-get install wrk" >&2; exit 1; fi; }
	$(PY) bench/suggest.py
	$(PY) bench/sources.py
	$(PY) bench/memory.py
	-$(PY) bench/verdict.py  # a miss is reported (exit 1, "ignored") and does not stop run.py
	$(PY) bench/run.py $(BENCH_ARGS)

# Flame graph of API claim creation under load (py-spy on bench's gunicorn, its own database):
# bench/out/profile-create_api.svg, and the top of the profile printed. See BENCHMARKS.md.
profile: deps
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; \
	  else echo "Install wrk first: sudo apt-get install wrk" >&2; exit 1; fi; }
	$(PY) bench/flame.py $(PROFILE_ARGS)
