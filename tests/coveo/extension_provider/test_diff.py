"""CoveoExtensionProvider.diff: replacement only for a new organization or host; no perpetual diff."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from pulumi_search_extensions._inputs import UNKNOWN
from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider

from ..helpers import SCRIPT

EXTENSION_ID = "searchdemoorg-aaaaaaaaaaaaaaaaaaaaaaaaaa"
SCRIPT_SHA256 = hashlib.sha256(SCRIPT.encode()).hexdigest()
CHECKED: dict[str, Any] = {
    "name": "cleaner",
    "content": SCRIPT,
    "content_sha256": SCRIPT_SHA256,
    "description": "",
    "required_data_streams": ["BODY_TEXT"],
    "enabled": True,
    "api_version": "v1",
    "execution_timeout": 5,
    "organization_id": "searchdemoorg",
    "host": "http://emulator:1",
}
# What the outputs of the same extension look like once it exists (numbers come back as floats): no copy of
# the script, its hash.
OUTPUTS: dict[str, Any] = {
    **{key: value for key, value in CHECKED.items() if key != "content"},
    "execution_timeout": 5.0,
    "extension_id": EXTENSION_ID,
    "version_id": "v1",
    "created_date": "2025-01-01T00:00:00.000Z",
    "last_modified": "2025-01-01T00:00:00.000Z",
    "status": {"timeout_likeliness": "NONE"},
    "used_by": [],
}


def diff(olds: dict[str, Any], news: dict[str, Any]) -> tuple[bool | None, list[str]]:
    result = CoveoExtensionProvider().diff(EXTENSION_ID, olds, news)
    return result.changes, list(result.replaces or [])


def test_an_unchanged_program_has_no_diff() -> None:
    assert diff(OUTPUTS, CHECKED) == (False, [])


def test_output_only_fields_never_cause_a_diff() -> None:
    changed_outputs = {**OUTPUTS, "version_id": "v9", "status": {"x": 1}, "used_by": [{"source_id": "s"}]}
    assert diff(changed_outputs, CHECKED) == (False, [])


@pytest.mark.parametrize("field", ["organization_id", "host"])
def test_a_new_organization_or_host_replaces_the_extension(field: str) -> None:
    assert diff(OUTPUTS, {**CHECKED, field: "other"}) == (True, [field])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("content_sha256", hashlib.sha256(b"log('v2')\n").hexdigest()),
        ("name", "renamed"),
        ("description", "new"),
        ("required_data_streams", ["BODY_HTML"]),
        ("enabled", False),
        ("api_version", "v2"),
        ("execution_timeout", 9),
        ("api_key", "rotated-key"),
    ],
)
def test_any_other_change_is_an_in_place_update(field: str, value: Any) -> None:
    assert diff(OUTPUTS, {**CHECKED, field: value}) == (True, [])


def test_a_region_change_that_keeps_the_same_host_changes_nothing() -> None:
    assert diff({**OUTPUTS, "region": "us"}, CHECKED) == (False, [])


def test_unknown_values_count_as_changes() -> None:
    assert diff(OUTPUTS, {**CHECKED, "content": UNKNOWN, "content_sha256": UNKNOWN}) == (True, [])
    assert diff(OUTPUTS, {**CHECKED, "organization_id": UNKNOWN}) == (True, ["organization_id"])


def test_adopt_id_of_the_managed_extension_or_dropped_after_adoption_changes_nothing() -> None:
    adopted = {**OUTPUTS, "adopt_id": EXTENSION_ID}
    assert diff(adopted, {**CHECKED, "adopt_id": EXTENSION_ID}) == (False, [])
    assert diff(adopted, CHECKED) == (False, [])


def test_adopting_another_extension_replaces_the_managed_one() -> None:
    assert diff(OUTPUTS, {**CHECKED, "adopt_id": "searchdemoorg-bbbbbbbbbbbbbbbbbbbbbbbbbb"}) == (True, ["adopt_id"])


def test_the_same_script_moved_from_content_to_a_file_changes_nothing() -> None:
    from_file = {**{k: v for k, v in CHECKED.items() if k != "content"}, "script_path": "/scripts/cleaner.py"}
    assert diff(OUTPUTS, from_file) == (False, [])


def test_a_state_without_a_later_property_compares_as_its_default() -> None:
    # A state written before `use_vault` existed holds no value: its default (false) is no change, true is one.
    provider = CoveoExtensionProvider()
    assert not provider.diff(EXTENSION_ID, OUTPUTS, {**CHECKED, "use_vault": False}).changes
    assert provider.diff(EXTENSION_ID, OUTPUTS, {**CHECKED, "use_vault": True}).changes
