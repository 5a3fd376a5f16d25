# The two commands a new user needs: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install bench audit

$(STAMP): pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/healthgap serve

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -n 2

# Known advisories for the pinned versions (constraints.txt); ignores listed in audit-ignore.txt.
# pip-audit reads PyPI's vulnerability data; where that cannot be reached the probe (an old
# requests with known advisories) finds nothing, and the audit says so instead of passing
# silently (it fails then when HEALTHGAP_REQUIRE_AUDIT=1). See docs/deploy.md.
AUDIT := $(VENV)/bin/pip-audit --no-deps --disable-pip --progress-spinner off
audit: $(STAMP)
	@printf 'requests==2.19.0\n' > $(VENV)/.audit-probe.txt
	@if $(AUDIT) -r $(VENV)/.audit-probe.txt -f json 2>/dev/null | grep -q '"id"'; then \
	    $(AUDIT) --strict -r constraints.txt \
	        $$(sed -n 's/^\([A-Z][A-Za-z0-9-]*\) *|.*/--ignore-vuln \1/p' audit-ignore.txt); \
	else \
	    echo "make audit: vulnerability data unreachable from this machine; audit NOT performed"; \
	    test "$${HEALTHGAP_REQUIRE_AUDIT:-0}" != 1; \
	fi

bench: $(STAMP)
	$(PY) bench/run.py
