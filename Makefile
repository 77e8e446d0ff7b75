# Two commands do everything on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DB ?= sitrep.db
OUTDIR ?= out

.PHONY: venv demo test test-fast bench eval clean

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3 setuptools==84.2.1 wheel==0.48.0
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@# pip compiles what it installs, not an editable checkout: without this every start
	@# compiles sitrep's sources again where PYTHONDONTWRITEBYTECODE is set (0.3 s)
	$(BIN)/python -m compileall -q src/sitrep
	$(BIN)/sitrep gazetteer build
	$(BIN)/sitrep basemap build
	touch $(STAMP)

demo: venv
	@mkdir -p $(OUTDIR)
	$(BIN)/sitrep extract samples --format table --save-jsonl $(OUTDIR)/samples.jsonl
	@echo "records written to $(OUTDIR)/samples.jsonl"
	@# The same articles into the embedded database, linked across outlets and reconciled,
	@# then the web page and HTTP API on it. exec: the server is make's own child, so
	@# Ctrl-C stops it cleanly (exit 0) and make reports nothing.
	$(BIN)/sitrep ingest samples demo --db $(DB)
	$(BIN)/sitrep link --db $(DB)
	$(BIN)/sitrep incidents --db $(DB)
	@echo "Ctrl-C stops the server"
	exec $(BIN)/sitrep serve --db $(DB) --host $(HOST) --port $(PORT)

test: venv
	$(BIN)/python -m pytest -q

test-fast: venv
	$(BIN)/python -m pytest -q -m "not slow"

bench: venv
	$(BIN)/python -m compileall -q src/sitrep
	$(BIN)/python benchmarks/extract.py

# The quality figures the README reports (needs ../shared beside the checkout).
eval: venv
	@mkdir -p out
	$(BIN)/sitrep eval gold ../shared/data/gold --json benchmarks/results/eval-gold.json
	$(BIN)/sitrep eval fakes ../shared/data/fakes-dev.csv --json benchmarks/results/eval-fakes.json
	$(BIN)/sitrep extract samples -o out/samples.jsonl 2>/dev/null || true
	$(BIN)/sitrep eval gold tests/fixtures/samples-gold --pred out/samples.jsonl --json benchmarks/results/eval-samples.json
	@# The SATP and CASE reports list the data sets' coded values by id: kept out of the repository.
	$(BIN)/sitrep eval satp ../shared/data/satp-dev.jsonl --json out/eval-satp.json
	$(BIN)/sitrep eval case ../shared/data/case2021-dev.tsv --json out/eval-case.json

clean:
	rm -rf $(VENV) out src/sitrep/knowledge/build src/sitrep/serve/static/build
