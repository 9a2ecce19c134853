# The two commands of the README: `make demo` and `make test`. Each does all of its set-up first.
# `make test` is `make lint` followed by every test; `make unit`, `make e2e` and `make soak` split
# the tests by what they need (unit: no Pulumi CLI and no wheel; e2e and soak: the real CLI and engine).
.PHONY: demo destroy test lint unit e2e soak bench tools setup venv clean clean-demo-state

# The demo's two loopback ports: `make demo DEMO_EMULATOR_PORT=19480 DEMO_FILES_PORT=19481` when taken.
DEMO_EMULATOR_PORT ?= 18480
DEMO_FILES_PORT ?= 18481
DEMO_PORTS = DEMO_EMULATOR_PORT=$(DEMO_EMULATOR_PORT) DEMO_FILES_PORT=$(DEMO_FILES_PORT)

setup:
	bash scripts/setup.sh emulator,test

## venv: the virtualenv alone (no Pulumi CLI): all `make unit` needs
venv:
	bash scripts/setup.sh emulator,test --venv-only

tools:
	bash scripts/install-pulumi.sh

## demo: start the bundled emulator and run the root Pulumi program with a real `pulumi up`
demo: setup
	$(DEMO_PORTS) .venv/bin/python scripts/demo.py up

## destroy: tear the demo stack down again (against the same emulator data)
destroy: setup
	$(DEMO_PORTS) .venv/bin/python scripts/demo.py destroy

## test: lint, type-check, then every test (emulator and real Pulumi CLI included)
test: setup lint
	.venv/bin/pytest

## lint: ruff (rules and formatting) and strict mypy
lint: venv
	.venv/bin/ruff check provider tests scripts bench examples
	.venv/bin/ruff format --check provider tests scripts bench examples
	.venv/bin/mypy

## unit: every test that needs no Pulumi CLI and builds no wheel (emulator, providers, clients over HTTP)
unit: venv
	.venv/bin/pytest -m "not e2e" --ignore=tests/soak -n 2

## e2e: the tests that drive the real Pulumi CLI and engine, or build the wheel (the soak apart)
e2e: setup
	.venv/bin/pytest -m e2e --ignore=tests/soak

## soak: 60 resources through 5 rounds of up/update/destroy under injected faults (~2.5 min)
soak: setup
	.venv/bin/pytest tests/soak

## unit-pythons: the unit tests under each Python from 3.10 to 3.13 found here (a virtualenv each, in .venvs/)
.PHONY: unit-pythons tools-newest e2e-newest
unit-pythons:
	bash scripts/unit-pythons.sh

## tools-newest: the newest Pulumi CLI the Go module proxy serves (and its language hosts) in .tools-newest/
PULUMI_NEWEST ?= $(shell bash scripts/install-pulumi.sh --newest-version)
tools-newest:
	PULUMI_VERSION=$(PULUMI_NEWEST) bash scripts/install-pulumi.sh $(CURDIR)/.tools-newest

## e2e-newest: the end-to-end tests with that newest CLI instead of the pinned one (the soak and the
## tests marked pinned_cli, facts of the pinned CLI itself, apart)
e2e-newest: setup tools-newest
	SEARCH_EXTENSIONS_TOOLS=$(CURDIR)/.tools-newest .venv/bin/pytest -m "e2e and not pinned_cli" --ignore=tests/soak

## bench: the benchmarks under bench/ (tables on stdout, PNG plot in bench/results)
bench:
	bash scripts/setup.sh emulator,test,bench
	.venv/bin/python bench/run.py

## clean: remove build output only (build/, dist/, *.egg-info, caches); never a stack, a passphrase or .venv
clean:
	rm -rf build dist provider/*.egg-info .pytest_cache .mypy_cache .ruff_cache
	find provider tests scripts bench examples -name __pycache__ -type d -prune -exec rm -rf {} +

## clean-demo-state: delete the demo's state (.pulumi-state: emulator data, local backend, passphrase); says what
clean-demo-state:
	@$(if $(wildcard .venv/bin/python),.venv/bin/python,python3) scripts/demo.py clean-state
