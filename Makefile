# Two commands matter: `make run` starts the app, `make test` runs every test.
# Each creates .venv on first use and installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# Two stamps: `make run` installs only the app's runtime (requirements.txt); tests, lint and benchmarks add the dev
# tools (requirements-dev.txt, which includes the runtime).
RUN_STAMP := $(VENV)/.run-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.dev-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT ?= 8501
ADDRESS ?= 127.0.0.1
REPLICAS ?= 2
WORKERS ?= 2
XDIST := -n $(WORKERS) --dist loadscope --durations=30 --durations-min=5
STORE ?= sqlite

.PHONY: run class test lint unit e2e bench chromium haproxy redis postgres clean

$(RUN_STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@rm -f $(VENV)/.run-*; touch $@

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@rm -f $(VENV)/.dev-* $(VENV)/.run-*; touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

# A class beyond one process: REPLICAS Streamlit servers behind HAProxy on ADDRESS:PORT (docs/deploy.md).
# STORE=sqlite|redis|postgres: where the class's answers are counted (docs/deploy.md, "The class's tally").
class: $(RUN_STAMP) haproxy $(filter redis postgres,$(STORE))
	$(PY) -m deploy.supervise --replicas $(REPLICAS) --port $(PORT) --address $(ADDRESS) --store $(STORE)

# Debian's HAProxy for `make class` and the proxy tests.
haproxy:
	@if [ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing haproxy for make class and the proxy tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
	else echo "make class and the proxy tests need HAProxy: run 'sudo apt-get install -y haproxy' once."; exit 1; fi

# Debian's Redis and PostgreSQL servers for `make class STORE=redis|postgres` and the tally's tests.
redis:
	@if command -v redis-server >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing redis-server for the class's tally..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	else echo "STORE=redis and the tally tests need Redis: run 'sudo apt-get install -y redis-server' once."; exit 1; fi

postgres:
	@if ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing postgresql for the class's tally..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else echo "STORE=postgres and the tally tests need PostgreSQL: run 'sudo apt-get install -y postgresql' once."; exit 1; fi

# Debian's chromium for the browser tests, and Noto fonts so Hangul and emoji render (and show in screenshots).
chromium:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	fc-list 2>/dev/null | grep -q "Noto Color Emoji" || missing="$$missing fonts-noto-color-emoji"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing$$missing for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	elif [ -x /usr/bin/chromium ]; then echo "Note: install$$missing so Hangul and emoji show in screenshots."; \
	else echo "The browser tests need /usr/bin/chromium: run 'sudo apt-get install -y chromium' once."; exit 1; fi

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy
	@for f in rnnviz/ui/web/*.js; do node --check --input-type=module < $$f || { echo "$$f: not valid JavaScript"; exit 1; }; done
	@[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --silent --no-audit --no-fund
	npx --no-install eslint --max-warnings 0 rnnviz/ui/web/

# Tiers (pyproject's markers): `make unit` needs no server, no browser and no long training (slow); `make test` runs
# every test, as CI does. WORKERS pytest processes share the tests (pytest-xdist), each module on one worker, so a
# module's server and trained models are made once.
test: $(STAMP) chromium haproxy redis postgres lint
	$(PY) -m pytest $(XDIST)

unit: $(STAMP)
	$(PY) -m pytest $(XDIST) -m "not slow and not server and not browser" --ignore=tests/e2e

e2e: $(STAMP) chromium haproxy redis postgres
	$(PY) -m pytest $(XDIST) tests/e2e

bench: $(STAMP) chromium haproxy redis postgres
	$(PY) bench/engine.py
	$(PY) bench/latency.py
	$(PY) bench/train.py
	$(PY) bench/seq2seq.py
	$(PY) bench/load.py
	$(PY) bench/abuse.py
	$(PY) bench/load.py --proxy --replicas 2
	$(PY) bench/load.py --answers --students 60 --window 10 --replicas 2
	$(PY) bench/lab.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache tests/e2e/artifacts
