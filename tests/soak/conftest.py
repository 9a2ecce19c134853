"""The soak test drives the real CLI like the end-to-end tests: the fixtures of `support.pulumi_fixtures`."""

from support.pulumi_fixtures import new_stack, pulumi_command, pulumi_env

__all__ = ["new_stack", "pulumi_command", "pulumi_env"]
