# Two commands do everything on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo test test-fast bench clean

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/sitrep gazetteer build
	touch $(STAMP)

demo: venv
	@mkdir -p out
	@# One sample is deliberately not English: its error line and exit code 1 are expected.
	$(BIN)/sitrep extract samples --format table --save-jsonl out/samples.jsonl; \
	  status=$$?; echo "records written to out/samples.jsonl"; [ $$status -le 1 ]

test: venv
	$(BIN)/python -m pytest -q

test-fast: venv
	$(BIN)/python -m pytest -q -m "not slow"

bench: venv
	$(BIN)/python benchmarks/extract.py

clean:
	rm -rf $(VENV) out src/sitrep/knowledge/build
