"""The tests a CoveoExtension declares (`tests=[...]`): their arguments, documented for every language."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

__all__ = ["CoveoExtensionExpectationArgs", "CoveoExtensionTestArgs", "plain_tests"]


@dataclass(kw_only=True)
class CoveoExtensionExpectationArgs:
    """What a test expects of the run. A plain dict with the same keys works too."""

    status: pulumi.Input[str] | None = None
    """The run's status: `SUCCESS` (the default), `REJECTED`, `EXECUTION_ERROR` or `TIMEOUT`."""

    metadata: pulumi.Input[Mapping[str, Any]] | None = None
    """Metadata values after the run, by name, as a look-up with no origin gives them (the newest origin, so
    the extension's own additions first): `{"section": ["intranet"]}`; `[]` means absent or unset. Metadata
    not named is not compared."""

    logs: pulumi.Input[list[pulumi.Input[str]]] | None = None
    """Texts that must appear, in this order, in the comments the script logs (each a part of one comment)."""


@dataclass(kw_only=True)
class CoveoExtensionTestArgs:
    """A test of the extension, run by `pulumi preview` (in `check`) on the script with the local runtime,
    with no call to Coveo: a failing test stops the preview. A plain dict with the same keys works too."""

    name: pulumi.Input[str]
    """What the test checks, named in its failure message."""

    document: pulumi.Input[Mapping[str, Any]] | None = None
    """The mock document in the shape of Coveo's test API (`ExtensionTestDocumentModel`): `{"id": uri,
    "metadata": [{"origin": "crawler", "values": {"title": ["Home"]}}], "dataStreams": [...],
    "permissions": [...]}`. Defaults to an empty document."""

    parameters: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """The script's `parameters`, as a source's entry would give them. Defaults to none."""

    stage: pulumi.Input[str] | None = None
    """Either post_conversion (the default) or pre_conversion: which origins and data streams exist."""

    expect: pulumi.Input[CoveoExtensionExpectationArgs | Mapping[str, Any]] | None = None
    """What to expect; defaults to a `SUCCESS` status and nothing else."""


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    return value


def plain_tests(tests: Any) -> Any:
    """`tests` as the provider receives them: Args objects as dicts (in Outputs too); anything else as given."""
    if isinstance(tests, pulumi.Output):
        return tests.apply(plain_tests)
    if isinstance(tests, (list, tuple)):
        return [_plain(test) for test in tests]
    return tests
