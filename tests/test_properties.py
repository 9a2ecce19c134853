"""The one vocabulary of every resource's schema: what a property is follows from its metadata alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi_search_extensions._properties import defaults, names, prop


@dataclass(frozen=True)
class RuleProperties:
    """A made-up resource with one property of each kind."""

    name: str = field(metadata=prop(sent=True))
    enabled: bool = field(metadata=prop(declared=True, default=True))
    tags: list[str] = field(metadata=prop(sent=True, default=[]))
    region: str = field(metadata=prop(kept=True, replaces=True))
    api_key: str | None = field(metadata=prop(kept=True, credential=True, secret=True))
    adopt_id: str | None = field(metadata=prop(kept=True, blank_is_absent=True))
    script_sha256: str = field(metadata=prop(declared=True, output_only=True))
    rule_id: str = field(metadata=prop(output_only=True))
    note: Any = None  # no metadata: not a property


def test_sent_implies_declared_and_diff_compares_declared_replacing_and_credential_properties() -> None:
    assert names(RuleProperties, lambda p: p.sent) == ("name", "tags")
    assert names(RuleProperties, lambda p: p.declared) == ("name", "enabled", "tags", "script_sha256")
    assert names(RuleProperties, lambda p: p.compared) == (
        "name", "enabled", "tags", "region", "api_key", "script_sha256",
    )  # fmt: skip


def test_inputs_are_every_property_but_what_only_the_service_reports() -> None:
    assert names(RuleProperties, lambda p: p.input) == (
        "name", "enabled", "tags", "region", "api_key", "adopt_id", "script_sha256",
    )  # fmt: skip
    assert names(RuleProperties, lambda p: p.output_only) == ("script_sha256", "rule_id")


def test_only_properties_with_a_default_get_one_and_each_reading_is_a_fresh_copy() -> None:
    first, second = defaults(RuleProperties), defaults(RuleProperties)
    assert first == {"enabled": True, "tags": []}
    assert first["tags"] is not second["tags"]
