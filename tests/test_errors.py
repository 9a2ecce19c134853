"""The provider host reports our own errors by their message and keeps full tracebacks for bugs."""

from __future__ import annotations

from pulumi_search_extensions import CoveoExtensionError
from pulumi_search_extensions._errors import format_exc
from pulumi_search_extensions._http import ApiError


def test_an_error_of_this_package_is_reported_as_its_type_and_message_only() -> None:
    try:
        raise CoveoExtensionError("api_key: the key was refused; give a key with the Extensions privilege")
    except CoveoExtensionError:
        reported = format_exc()
    assert reported == "CoveoExtensionError: api_key: the key was refused; give a key with the Extensions privilege"


def test_any_other_exception_keeps_its_traceback() -> None:
    try:
        {}["missing"]
    except KeyError:
        reported = format_exc()
    assert reported.startswith("Traceback (most recent call last)")
    assert "KeyError: 'missing'" in reported


def test_api_errors_are_ours_too() -> None:
    assert ApiError.__module__.startswith("pulumi_search_extensions.")
