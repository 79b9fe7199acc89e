# Two commands on a fresh machine:
#   make lab   - install everything into .venv and open the series in JupyterLab
#   make test  - install everything into .venv and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install lab test unit notebooks clean instructor student assignments

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

test: install instructor
	$(BIN)/python -m pytest

# Unit tests only (no notebooks): quick feedback while editing the library.
unit: install
	$(BIN)/python -m pytest tests -p no:nbval -o addopts=""

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

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
