# The two commands: `make up` runs the whole forum locally, `make test` runs every test.
# Both install what is missing: uv (into .tools/ if it is not on PATH), then the locked packages.

UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
ARGS ?=
PYTEST_ARGS ?=
# Tests run in parallel, two workers per core: most of a test's time is spent waiting for NATS, a
# database or a browser (TEST_WORKERS=0 runs them in one process).
TEST_WORKERS ?= $(shell python3 -c "import os; print(2 * (os.cpu_count() or 1))")
# The fast tier starts quicker in one process than workers take to start.
FAST_WORKERS ?= 0

.PHONY: install up test test-fast fuzz lint bench lock clean watch replay announce admin token

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install: $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen --quiet

up: install
	$(UV) run --frozen forum up $(ARGS)

test: install
	$(UV) run --frozen pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# The domain and use-case tests, on SQLite, without NATS, PostgreSQL, an app in process or a
# browser: well under a minute.
test-fast: install
	$(UV) run --frozen pytest -m "not servers and not http" -n $(FAST_WORKERS) -p no:cacheprovider -q $(PYTEST_ARGS)

# Property-based fuzzing of every service's OpenAPI document, and of signposting against the Open
# Referral UK profile (tests/test_fuzz.py); FORUM_FUZZ_SECONDS bounds each run (20 s): about 3 minutes.
fuzz: install
	$(UV) run --frozen pytest -m fuzz -n $(TEST_WORKERS) -p no:cacheprovider -q $(PYTEST_ARGS)

# ruff, mypy (strict on the kit and each service's rules) and the import contracts (pyproject.toml).
lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen mypy
	$(UV) run --frozen lint-imports

# Follow escalations as a governor on the forum `make up` runs: make watch NAME="Your Name"
watch: install
	.venv/bin/forum governors watch --name "$(NAME)" $(ARGS)

# A service's first administrator on the forum `make up` runs:
#   make admin SERVICE=feedback EMAIL=you@example.org NAME="Your Name"
admin: install
	.venv/bin/forum admin create --service $(SERVICE) --email "$(EMAIL)" --name "$(NAME)" $(ARGS)

# An API token for a partner's program: make token SERVICE=feedback NAME="SUN Network import"
token: install
	.venv/bin/forum token create --service $(SERVICE) --name "$(NAME)" $(ARGS)

# Have a service read its history again from the streams: make replay SERVICE=meetings
replay: install
	.venv/bin/forum replay $(SERVICE) --data var $(ARGS)

# Have an owner announce again what other services keep from its events (for a partner that
# joined after the streams dropped the first ones): make announce SERVICE=signposting
announce: install
	.venv/bin/forum announce $(SERVICE) --data var $(ARGS)

bench: install
	$(UV) run --frozen python -m benchmarks $(ARGS)

lock: $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv)
	$(UV) lock

clean:
	rm -rf var .venv .tools
