"""The soak test drives the real CLI like the end-to-end tests: it shares their fixtures."""

from e2e.conftest import new_stack, pulumi_command, pulumi_env

__all__ = ["new_stack", "pulumi_command", "pulumi_env"]
