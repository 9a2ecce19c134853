"""The end-to-end tests drive the real Pulumi CLI and engine: the fixtures of `support.pulumi_fixtures`."""

from support.pulumi_fixtures import new_stack, pulumi_command, pulumi_env

__all__ = ["new_stack", "pulumi_command", "pulumi_env"]
