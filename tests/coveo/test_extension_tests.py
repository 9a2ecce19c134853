"""`CoveoExtensionTestArgs` and `CoveoExtensionExpectationArgs`: typed tests reach the provider as plain dicts."""

from __future__ import annotations

from pulumi_search_extensions.coveo.extension_tests import (
    CoveoExtensionExpectationArgs,
    CoveoExtensionTestArgs,
    plain_tests,
)


def test_typed_tests_become_the_dicts_check_reads_with_unset_fields_left_out() -> None:
    typed = CoveoExtensionTestArgs(
        name="tags", parameters={"section": "a"}, expect=CoveoExtensionExpectationArgs(metadata={"section": ["a"]})
    )
    assert plain_tests([typed, {"name": "as a dict"}]) == [
        {"name": "tags", "parameters": {"section": "a"}, "expect": {"metadata": {"section": ["a"]}}},
        {"name": "as a dict"},
    ]


def test_no_tests_stay_none() -> None:
    assert plain_tests(None) is None
