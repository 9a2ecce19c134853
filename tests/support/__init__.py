"""What tests, benchmarks and the demo share: configured providers, servers, stacks, call counts.

Imported as `support.<module>` (pytest puts `tests/` on `sys.path`).
"""
