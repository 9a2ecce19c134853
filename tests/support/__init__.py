"""What tests, benchmarks and the demo share, one module per job:

- `providers`: providers configured the way the engine configures them, stack configs, checked inputs;
- `calls`: what the emulator saw (vendor calls, logged requests) and the fault rules tests give it;
- `remote`: what the emulated services hold, and calls to them behind the providers' back;
- `servers`: loopback HTTP servers (a folder for `download_url`, or a test's own handler);
- `files`: bundle zips;
- `toolchain`: finding the Pulumi CLI, the language hosts and the dynamic-provider launcher; a local backend;
- `smoke`: a no-HTTP dynamic resource (the smoke test, the benchmarks' baseline);
- `stacks`: the one Automation API stack factory (tests, `bench/`, `scripts/demo.py`);
- `pulumi_fixtures`: the pytest fixtures over `stacks` (registered once, by tests/conftest.py);
- `state`, `state_vs_emulator`: reading a Pulumi state, and comparing it with what the emulator holds.

Imported as `support.<module>`: pytest puts `tests/` on `sys.path`; `bench/_common.py` and `scripts/demo.py`
put it there themselves. Only `pulumi_fixtures` needs pytest, so a benchmark or the demo runs from a fresh
clone with the package and its `emulator` extra. Inside a test package, its own helpers are imported
relatively (`from .programs import ...`).
"""
