# The two commands of the README: `make demo` and `make test`. Each does all of its set-up first.
.PHONY: demo destroy test lint unit bench tools setup clean

setup:
	bash scripts/setup.sh emulator,test

tools:
	bash scripts/install-pulumi.sh

## demo: start the bundled emulator and run the root Pulumi program with a real `pulumi up`
demo: setup
	.venv/bin/python scripts/demo.py up

## destroy: tear the demo stack down again (against the same emulator data)
destroy: setup
	.venv/bin/python scripts/demo.py destroy

## test: lint, type-check, then every test (emulator and real Pulumi CLI included)
test: setup
	.venv/bin/ruff check provider tests scripts bench examples
	.venv/bin/ruff format --check provider tests scripts bench examples
	.venv/bin/mypy
	.venv/bin/pytest

## bench: the benchmarks under bench/ (tables on stdout, PNG plot in bench/results)
bench:
	bash scripts/setup.sh emulator,test,bench
	.venv/bin/python bench/run.py

clean:
	rm -rf .venv .pulumi-state build dist
