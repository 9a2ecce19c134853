"""The one error path of both vendors: `clear_errors` turns what a vendor explains into one `ServiceError`,
lets everything else keep its traceback, and `transient` says what to do about a failure that may pass."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from pulumi_search_extensions._create import AmbiguousCreateError
from pulumi_search_extensions._http import ApiError
from pulumi_search_extensions._service_errors import ServiceError, clear_errors, shaped, transient


def _api_error(status: int | None, code: str | None = None) -> ApiError:
    return ApiError("Coveo", "POST", "/rest/organizations/acme/extensions", "refused", status=status, code=code)


def _explain_401(exc: Exception, props: Mapping[str, Any]) -> ServiceError | None:
    if isinstance(exc, ApiError) and exc.status == 401:
        return ServiceError.of(shaped("Creating the thing", exc, f"api_key: rejected for {props.get('name')}"), exc)
    return None


def test_a_failure_the_vendor_explains_becomes_one_service_error_with_status_code_and_fix() -> None:
    @clear_errors(_explain_401)
    def create(props: Mapping[str, Any]) -> None:
        raise _api_error(401, "INVALID_TOKEN")

    with pytest.raises(ServiceError) as raised:
        create({"name": "cleaner"})
    assert (raised.value.status, raised.value.code) == (401, "INVALID_TOKEN")
    assert str(raised.value).splitlines() == [
        "Creating the thing failed: Coveo API error 401 INVALID_TOKEN on POST /rest/organizations/acme/extensions: "
        "refused",
        "api_key: rejected for cleaner",
    ]
    assert raised.value.__cause__ is None and raised.value.__suppress_context__  # no chain of low-level errors


def test_a_failure_no_vendor_knows_is_a_bug_and_keeps_its_own_exception() -> None:
    @clear_errors(_explain_401)
    def read(props: Mapping[str, Any]) -> None:
        raise KeyError("status")

    with pytest.raises(KeyError):
        read({})


@pytest.mark.parametrize(
    "error", [ServiceError("already clear", status=400), AmbiguousCreateError("two candidates: a, b")]
)
def test_clear_errors_and_ambiguous_creates_pass_unchanged(error: Exception) -> None:
    @clear_errors(_explain_401)
    def create(props: Mapping[str, Any]) -> None:
        raise error

    with pytest.raises(type(error)) as raised:
        create({})
    assert raised.value is error


@pytest.mark.parametrize(
    ("status", "fix"),
    [
        (
            429,
            "Elastic is throttling or failing right now; run the command again later, or give calls more time "
            "with stack config `ec:retryBudget` (seconds).",
        ),
        (
            503,
            "Elastic is throttling or failing right now; run the command again later, or give calls more time "
            "with stack config `ec:retryBudget` (seconds).",
        ),
        (None, "No answer in time: run the command again, or raise stack config `ec:timeout` (seconds)."),
        (409, None),
        (400, None),
    ],
)
def test_transient_says_what_to_do_about_throttling_failures_and_silence_only(status: int | None, fix: str) -> None:
    assert transient(_api_error(status), "Elastic", "ec") == fix
