# Two commands on a fresh machine:
#   make lab   - install the series into .venv and open it in JupyterLab
#   make test  - install the series and every test tool into .venv and run the whole test suite
# Every install is pinned by constraints.txt; pyproject.toml names the extras.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet -c constraints.txt
LEARNER := $(VENV)/.installed
TESTING := $(VENV)/.installed-test

.PHONY: install install-test lab test unit lint notebooks student assignments handout browser
.PHONY: test-browser test-binder links bench clean

# What a learner gets (requirements.txt): backprop_lib, backprop_course and JupyterLab.
install: $(LEARNER)

$(LEARNER): requirements.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(PIP) -r requirements.txt
	touch $(LEARNER)

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

lab: install
	$(BIN)/jupyter lab $(LAB_ARGS) --ServerApp.root_dir=. \
	  --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

# Test tools, the browser test's packages and nbgrader, on top of the learner's install.
install-test: $(TESTING)

$(TESTING): $(LEARNER)
	$(PIP) -e ".[course,lab,test,browser,instructor]"
	touch $(TESTING)

# Everything: lint, the unit tests, nbval over every notebook, the coursework (nbgrader), the
# real-browser test in chromium (installed by `make browser` if missing) and a fresh Binder
# environment. The README's test command; CI runs exactly this.
test: install-test browser lint
	$(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The core's and the course's unit tests: no notebook, no server, no browser, no pip.
unit: install-test
	$(BIN)/python -m pytest tests/lib tests/course -p no:nbval -o addopts="-p no:cacheprovider" -q

# Re-create every .ipynb from its jupytext .py source and execute it in place.
notebooks: install-test
	cd notebooks && for src in [0-9][0-9]_*.py; do \
	  ../$(BIN)/jupytext --to ipynb --execute "$$src" || exit 1; \
	done

# Coursework (docs/instructors.md). `make student` regenerates the committed student versions
# in student/ (and the points table and rubrics in docs/instructors.md) from notebooks/;
# `make assignments` builds the nbgrader course (source/ + release/) in coursework/course/,
# rewriting its grading_settings.py and never an nbgrader_config.py that is there;
# `make handout` writes what students receive for graded work to dist/handout/
# (HANDOUT_ARGS="--repo <where you publish it> --branch <tag>" points its links there).
student: install-test
	$(BIN)/python -m coursework.build student

assignments: install-test
	$(BIN)/python -m coursework.build assignments

handout: install-test
	$(BIN)/python -m coursework.handout $(HANDOUT_ARGS)

# Debian's chromium for the browser test, installed here if missing and we are root;
# otherwise the browser tests skip and say why. Screenshots go to artifacts/.
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
SLOW_PYTEST := $(BIN)/python -m pytest -p no:nbval -o addopts="-ra -p no:cacheprovider"
test-browser: install-test browser
	$(SLOW_PYTEST) tests/e2e -m browser

# What a Binder learner gets: a fresh venv from binder/requirements.txt alone runs every notebook.
test-binder: install-test
	$(SLOW_PYTEST) tests/e2e -m binder

# After changing REPO/BRANCH in coursework/links.py: rewrite every Binder link to match.
links: install-test
	$(BIN)/python -m coursework.links sync

# Benchmarks (docs/performance.md). BENCH_ARGS="--quick" for a look.
bench: install-test
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
