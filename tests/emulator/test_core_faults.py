"""Fault and latency injection: rates, shapes per vendor, dropped connections, fail-after-commit."""

from __future__ import annotations

import math
import time
from collections import Counter
from typing import Any

import pytest
import requests

from pulumi_search_extensions.emulator import EmulatorHandle, run_emulator

from .coveo_api import CoveoApi, check_coveo_response
from .spec_validation import validate_elastic

COVEO_LIST = "/rest/organizations/{organizationId}/extensions"
COVEO_ONE = "/rest/organizations/{organizationId}/extensions/{extensionId}"
ELASTIC_LIST = "/api/v1/deployments/extensions"


def _binomial_bounds(trials: int, probability: float, sigmas: float = 5.0) -> tuple[float, float]:
    """Mean +- 5 standard deviations: a false failure is rarer than one run in a million."""
    mean = trials * probability
    spread = sigmas * math.sqrt(trials * probability * (1 - probability))
    return mean - spread, mean + spread


def _outcome(session: requests.Session, url: str) -> str:
    try:
        return str(session.get(url, timeout=10).status_code)
    except requests.ConnectionError:
        return "drop"


def test_429s_come_at_the_configured_rate(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    emulator.admin.set_faults({"rules": [{"route": COVEO_LIST, "faults": {"429": 0.25}}]})
    outcomes = Counter(_outcome(coveo.session, coveo.url()) for _ in range(400))
    low, high = _binomial_bounds(400, 0.25)
    assert low <= outcomes["429"] <= high, outcomes
    assert outcomes["429"] + outcomes["200"] == 400
    assert emulator.admin.faults()["injected"]["429"] == outcomes["429"]


def test_every_kind_comes_at_its_rate(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    rates = {"429": 0.2, "500": 0.15, "503": 0.15, "drop": 0.1}
    emulator.admin.set_faults({"rules": [{"route": COVEO_LIST, "faults": rates}]})
    outcomes = Counter(_outcome(coveo.session, coveo.url()) for _ in range(400))
    for kind, rate in rates.items():
        low, high = _binomial_bounds(400, rate)
        assert low <= outcomes[kind] <= high, (kind, outcomes)
    injected = emulator.admin.faults()["injected"]
    assert {kind: injected[kind] for kind in rates} == {kind: outcomes[kind] for kind in rates}


def test_the_same_seed_gives_the_same_faults(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    config = {"seed": 1234, "rules": [{"route": COVEO_LIST, "faults": {"429": 0.3, "503": 0.3}}]}
    runs = []
    for _ in range(2):
        emulator.admin.set_faults(config)
        runs.append([_outcome(coveo.session, coveo.url()) for _ in range(60)])
    assert runs[0] == runs[1]
    assert len(set(runs[0])) == 3


def test_a_coveo_429_has_coveos_body_and_retry_after(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    emulator.admin.set_faults({"rules": [{"route": "/rest/*", "faults": {"429": 1}, "retry_after_s": 7}]})
    response = coveo.call("GET", expect=429)
    assert response.headers["Retry-After"] == "7"
    assert response.json()["errorCode"] == "TOO_MANY_REQUESTS"


def test_an_elastic_429_has_elastics_body_and_error_code_header(emulator: EmulatorHandle) -> None:
    emulator.admin.set_faults({"rules": [{"route": "/api/v1/*", "faults": {"429": 1}}]})
    response = requests.get(
        emulator.url + ELASTIC_LIST, headers={"Authorization": f"ApiKey {emulator.elastic_api_key}"}, timeout=10
    )
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    body = response.json()
    validate_elastic("BasicFailedReply", body)
    assert response.headers["x-cloud-error-codes"] == body["errors"][0]["code"]


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_have_each_vendors_shape(emulator: EmulatorHandle, coveo: CoveoApi, status: int) -> None:
    emulator.admin.set_faults({"rules": [{"route": "*", "faults": {str(status): 1}}]})
    coveo.call("GET", expect=status)
    response = requests.get(emulator.url + ELASTIC_LIST, timeout=10)
    assert response.status_code == status
    validate_elastic("BasicFailedReply", response.json())
    assert response.headers["x-cloud-error-codes"]


def test_a_dropped_connection_is_a_connection_error_and_changes_nothing(
    emulator: EmulatorHandle, coveo: CoveoApi
) -> None:
    emulator.admin.set_faults({"rules": [{"method": "POST", "route": COVEO_LIST, "faults": {"drop": 1}}]})
    with pytest.raises(requests.ConnectionError):
        coveo.session.post(coveo.url(), json={"name": "lost", "content": "pass"}, timeout=10)
    emulator.admin.clear_faults()
    assert coveo.call("GET", expect=200, schema="ExtensionModel[]").json() == []


def test_a_dropped_upload_is_a_connection_error(emulator: EmulatorHandle) -> None:
    emulator.admin.set_faults({"rules": [{"method": "PUT", "route": "/api/v1/*", "faults": {"drop": 1}}]})
    with pytest.raises(requests.ConnectionError):
        requests.put(
            f"{emulator.url}{ELASTIC_LIST}/123",
            data=b"\0" * (4 * 1024 * 1024),
            headers={"Content-Type": "application/zip"},
            timeout=10,
        )


def test_fail_after_commit_applies_the_change_but_the_client_sees_a_connection_error(
    emulator: EmulatorHandle, coveo: CoveoApi
) -> None:
    emulator.admin.set_faults({"rules": [{"method": "POST", "route": COVEO_LIST, "faults": {"fail_after_commit": 1}}]})
    with pytest.raises(requests.ConnectionError):
        coveo.session.post(coveo.url(), json={"name": "committed", "content": "pass"}, timeout=10)
    emulator.admin.clear_faults()
    listed = coveo.call("GET", expect=200, schema="ExtensionModel[]").json()
    assert [extension["name"] for extension in listed] == ["committed"]
    logged = emulator.admin.requests()["requests"][0]
    assert (logged["status"], logged["fault"]) == (201, "fail_after_commit")


def test_max_faults_stops_a_rule_after_that_many(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    emulator.admin.set_faults({"rules": [{"route": COVEO_LIST, "faults": {"503": 1}, "max_faults": 2}]})
    statuses = [_outcome(coveo.session, coveo.url()) for _ in range(5)]
    assert statuses == ["503", "503", "200", "200", "200"]


def test_a_rule_matches_method_and_route_template(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    extension = coveo.create()
    emulator.admin.set_faults({"rules": [{"method": "GET", "route": COVEO_ONE, "faults": {"500": 1}}]})
    coveo.call("GET", f"/{extension['id']}", expect=500)
    coveo.call("GET", expect=200, schema="ExtensionModel[]")  # another route
    coveo.call("PUT", f"/{extension['id']}", json={"name": "n", "content": "x"}, expect=200, schema="ExtensionModel")


def test_a_rule_can_match_the_concrete_path(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    first, second = coveo.create(), coveo.create()
    emulator.admin.set_faults({"rules": [{"route": f"*/{first['id']}", "faults": {"500": 1}}]})
    coveo.call("GET", f"/{first['id']}", expect=500)
    coveo.call("GET", f"/{second['id']}", expect=200, schema="ExtensionModel")


def test_the_first_matching_rule_wins(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    emulator.admin.set_faults({"rules": [{"route": COVEO_LIST, "faults": {}}, {"route": "*", "faults": {"500": 1}}]})
    coveo.call("GET", expect=200, schema="ExtensionModel[]")
    coveo.call("GET", "/page", expect=500)


def _elapsed(session: requests.Session, url: str) -> float:
    start = time.perf_counter()
    session.get(url, timeout=10)
    return time.perf_counter() - start


def test_fixed_latency_delays_every_api_request(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    emulator.admin.set_faults({"latency_ms": 300})
    assert all(_elapsed(coveo.session, coveo.url()) >= 0.3 for _ in range(3))
    assert _elapsed(coveo.session, f"{emulator.url}/_emulator/health") < 0.3


def test_jitter_spreads_the_delay_within_its_bound(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    emulator.admin.set_faults({"latency_ms": 20, "jitter_ms": 80})
    delays = [_elapsed(coveo.session, coveo.url()) for _ in range(20)]
    assert min(delays) >= 0.02
    assert max(delays) < 0.1 + 0.2  # the bound plus generous slack for a busy machine
    assert max(delays) - min(delays) > 0.01


def test_rule_latency_applies_only_to_matching_requests(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    emulator.admin.set_faults({"rules": [{"route": "*/page", "latency_ms": 500}]})
    assert _elapsed(coveo.session, coveo.url("/page")) >= 0.5
    assert _elapsed(coveo.session, coveo.url()) < 0.5


def test_admin_paths_are_never_faulted(emulator: EmulatorHandle) -> None:
    emulator.admin.set_faults({"latency_ms": 1000, "rules": [{"route": "*", "faults": {"500": 1}}]})
    start = time.perf_counter()
    assert emulator.admin.health() == {"status": "ok"}
    emulator.admin.dump()
    assert time.perf_counter() - start < 1.0
    assert emulator.admin.faults()["injected"]["500"] == 0


def test_get_faults_reports_the_config_and_counts_per_rule(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    emulator.admin.set_faults({"seed": 5, "rules": [{"route": COVEO_LIST, "faults": {"429": 1}}]})
    coveo.call("GET", expect=429)
    status = emulator.admin.faults()
    assert status["config"]["seed"] == 5
    assert status["config"]["rules"][0]["injected"]["429"] == 1
    assert status["injected"] == {"429": 1, "500": 0, "503": 0, "drop": 0, "fail_after_commit": 0}


def test_delete_and_reset_clear_the_faults(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    emulator.admin.set_faults({"rules": [{"route": "*", "faults": {"500": 1}}]})
    emulator.admin.clear_faults()
    coveo.call("GET", expect=200, schema="ExtensionModel[]")
    emulator.admin.set_faults({"rules": [{"route": "*", "faults": {"500": 1}}]})
    emulator.admin.reset()
    coveo.call("GET", expect=200, schema="ExtensionModel[]")
    assert emulator.admin.faults()["config"]["rules"] == []


@pytest.mark.parametrize(
    "config",
    [
        {"rules": [{"faults": {"429": 0.7, "500": 0.7}}]},
        {"rules": [{"faults": {"404": 0.1}}]},
        {"rules": [{"faults": {"429": -0.1}}]},
        {"rules": [{"route": ""}]},
        {"rules": [{"max_faults": -1}]},
        {"rules": [{"unknown": 1}]},
        {"latency_ms": -5},
        {"seed": "abc"},
        {"rules": {}},
        [],
    ],
)
def test_an_invalid_fault_config_is_400_and_changes_nothing(emulator: EmulatorHandle, config: Any) -> None:
    emulator.admin.set_faults({"latency_ms": 1})
    response = requests.put(f"{emulator.url}/_emulator/faults", json=config, timeout=10)
    assert response.status_code == 400
    assert response.json()["error"]
    assert emulator.admin.faults()["config"]["latency_ms"] == 1


def test_faults_and_latency_can_be_set_at_start() -> None:
    config = {"rules": [{"route": "/rest/*", "faults": {"503": 1}}]}
    with run_emulator(fault_config=config, latency_ms=100, jitter_ms=10, seed=9) as handle:
        status = handle.admin.faults()["config"]
        assert (status["latency_ms"], status["jitter_ms"], status["rules"][0]["faults"]) == (100, 10, {"503": 1})
        coveo = CoveoApi(handle.url, handle.coveo_organization_id, handle.coveo_api_key)
        start = time.perf_counter()
        response = coveo.session.get(coveo.url(), timeout=10)
        assert time.perf_counter() - start >= 0.1
        assert response.status_code == 503
        check_coveo_response(response, None)
