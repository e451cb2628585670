# Two commands for a newcomer: `make demo` (the main job, offline) and `make test` (everything).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_OUT ?= out/demo

.PHONY: demo test lab bench clean

$(VENV)/.base: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.base
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

demo: $(VENV)/.base
	scripts/sysdeps.sh demo
	$(BIN)/dwarf-nb design examples/shop.txt -o $(DEMO_OUT) --force
	@echo "wrote $(DEMO_OUT)/BACKEND_DESIGN.md and its artifacts"

test: $(VENV)/.dev
	scripts/sysdeps.sh test
	$(BIN)/python -m pytest -q -p no:cacheprovider tests --nbmake notebooks

lab: $(VENV)/.dev
	scripts/sysdeps.sh demo
	$(BIN)/jupyter lab $(LAB_ARGS) $$([ "$$(id -u)" = 0 ] && echo --allow-root) notebooks/01-quickstart.ipynb

bench: $(VENV)/.dev
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) out .dwarf
