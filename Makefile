# Two commands on a fresh machine:
#   make lab   - install everything into .venv and open the series in JupyterLab
#   make test  - install everything into .venv and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install lab test unit notebooks clean instructor student assignments
.PHONY: browser test-browser test-binder links

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

lab: install
	$(BIN)/jupyter lab $(LAB_ARGS) --ServerApp.root_dir=. \
	  --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

# Everything: unit tests, nbval over every notebook, coursework (nbgrader), the real-browser
# test in chromium (installed by `make browser` if missing) and the fresh Binder environment.
test: install instructor browser
	BACKPROP_BROWSER_TESTS=1 BACKPROP_BINDER_TEST=1 $(BIN)/python -m pytest

# Unit tests only (no notebooks): quick feedback while editing the library.
unit: install
	$(BIN)/python -m pytest tests -p no:nbval -o addopts=""

# Benchmarks (docs/performance.md): training step vs scikit-learn / PyTorch / GEMM floor,
# the whole series' execution time, explorer callback latency. BENCH_ARGS="--quick" for a look.
.PHONY: bench
bench: install
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Re-create every .ipynb from its jupytext .py source and execute it in place.
notebooks: install
	cd notebooks && for src in [0-9][0-9]_*.py; do \
	  ../$(BIN)/jupytext --to ipynb --execute "$$src" || exit 1; \
	done

# Instructor extras (nbgrader), on top of `install`; learners' `make lab` never needs them.
INSTRUCTOR := $(VENV)/.installed-instructor
instructor: $(INSTRUCTOR)

$(INSTRUCTOR): $(STAMP) requirements-instructor.txt
	$(BIN)/python -m pip install --quiet -r requirements-instructor.txt
	touch $(INSTRUCTOR)

# Coursework (docs/instructors.md). `make student` regenerates the committed student versions
# in student/ (and the points table in docs/instructors.md) from notebooks/; `make assignments`
# builds the nbgrader course (source/ + release/) in coursework/course/.
student: instructor
	$(BIN)/python -m coursework.build student

assignments: instructor
	$(BIN)/python -m coursework.build assignments

# Real-browser test (tests/test_browser_notebooks.py): JupyterLab driven by Playwright (its
# Python package comes with requirements.txt) in Debian's chromium, installed here if missing
# and we are root; otherwise the browser tests skip and say why. Screenshots go to artifacts/.
BROWSER_TESTS := tests/test_browser_notebooks.py
SLOW_PYTEST   := $(BIN)/python -m pytest -p no:nbval -o addopts="-ra -p no:cacheprovider"

browser:
	@if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1; then \
	  echo "browser: $$(command -v chromium || echo /usr/bin/chromium)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "browser: installing Debian's chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	    || echo "browser: could not install chromium: the browser tests will skip"; \
	else \
	  echo "browser: no chromium, and installing it needs root and apt-get: the browser tests will skip"; \
	fi

# The slow parts of `make test` on their own.
test-browser: install browser
	BACKPROP_BROWSER_TESTS=1 $(SLOW_PYTEST) $(BROWSER_TESTS)

# What a Binder learner gets: a fresh venv from binder/requirements.txt alone runs every notebook.
test-binder: install
	BACKPROP_BINDER_TEST=1 $(SLOW_PYTEST) tests/test_binder_env.py

# After changing REPO/BRANCH in backprop_lib/links.py: rewrite every Binder link to match.
links: install
	$(BIN)/python -m backprop_lib.links sync

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
