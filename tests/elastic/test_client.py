"""ElasticClient against the emulator: one method per operation, streaming upload, errors, retries."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from pathlib import Path

import pytest
import requests

from pulumi_search_extensions._http import ApiError, HttpSettings
from pulumi_search_extensions.elastic.client import (
    ElasticClient,
    ExtensionRequest,
    api_base_url,
    parse_elastic_error,
)
from pulumi_search_extensions.emulator import EmulatorHandle
from support.calls import fault_rule, vendor_calls
from support.files import make_zip
from support.remote import elastic_extensions

from .helpers import EXTENSION_ROUTE, EXTENSIONS_ROUTE, emulator_client


def test_every_operation_round_trips(client: ElasticClient, clean_emulator: EmulatorHandle, zip_file: Path) -> None:
    created = client.post_extension(ExtensionRequest("synonyms", "bundle", "8.*", "first"))
    assert created.url == f"repo://{created.id}" and created.file is None and created.created

    uploaded = client.put_extension_file(created.id, zip_file)
    assert uploaded.file is not None and uploaded.file.size == zip_file.stat().st_size

    updated = client.post_extension_metadata(created.id, ExtensionRequest("synonyms", "bundle", "8.11.*", "second"))
    assert (updated.version, updated.description) == ("8.11.*", "second")

    clean_emulator.admin.create_deployment("search-prod", [created.id])
    fetched = client.get_extension(created.id, include_deployments=True)
    assert fetched.deployments is not None and len(fetched.deployments) == 1
    assert client.get_extension(created.id).deployments is None

    assert [extension.id for extension in client.list_extensions()] == [created.id]


def test_the_endpoint_may_be_given_with_or_without_api_v1(clean_emulator: EmulatorHandle) -> None:
    for endpoint in (clean_emulator.url, clean_emulator.url + "/", clean_emulator.url + "/api/v1/"):
        client = ElasticClient(endpoint, f"ApiKey {clean_emulator.elastic_api_key}", HttpSettings())
        assert client.list_extensions() == []
    assert api_base_url("https://ece.example.com:12443/api/v1") == "https://ece.example.com:12443/api/v1"


def test_delete_removes_and_a_deleted_id_answers_403_on_elastic_cloud(client: ElasticClient) -> None:
    created = client.post_extension(ExtensionRequest("synonyms", "bundle", "8.*"))

    client.delete_extension(created.id)

    with pytest.raises(ApiError) as raised:
        client.get_extension(created.id)
    assert (raised.value.status, raised.value.code) == (403, "extensions.unauthorised")


def test_errors_carry_status_codes_and_messages_but_never_the_key(clean_emulator: EmulatorHandle) -> None:
    wrong = ElasticClient(clean_emulator.url, "ApiKey very-secret-wrong-key", HttpSettings())
    with pytest.raises(ApiError) as unauthorized:
        wrong.list_extensions()
    assert (unauthorized.value.status, unauthorized.value.code) == (401, "root.unauthorized")
    assert "very-secret-wrong-key" not in str(unauthorized.value)

    client = emulator_client(clean_emulator)
    with pytest.raises(ApiError) as invalid:
        client.post_extension(ExtensionRequest("bad name", "plugin", "8.*"))
    error = invalid.value
    assert error.status == 400 and error.code == "extensions.invalid_name, extensions.invalid_version"
    assert "Invalid extension name [bad name]" in error.message and "(fields: version)" in error.message
    assert str(error).startswith("Elastic API error 400 extensions.invalid_name, extensions.invalid_version on POST")


def test_an_error_without_a_json_body_still_reads_its_codes_from_the_header() -> None:
    response = requests.Response()
    response.status_code = 502
    response.reason = "Bad Gateway"
    response.headers["x-cloud-error-codes"] = "root.gateway"
    response._content = b"<html>upstream down</html>"

    assert parse_elastic_error(response) == ("root.gateway", "<html>upstream down</html>", None)

    response._content = json.dumps({"errors": [{"code": "a.b", "message": "m"}]}).encode()
    assert parse_elastic_error(response)[:2] == ("a.b, root.gateway", "m")


def test_upload_streams_the_file_in_constant_memory(
    client: ElasticClient, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    archive = make_zip(tmp_path / "large.zip", stored_bytes=16 * 1024 * 1024)
    created = client.post_extension(ExtensionRequest("large", "bundle", "8.*"))

    tracemalloc.start()
    try:
        client.put_extension_file(created.id, archive)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 2 * 1024 * 1024, f"upload held {peak} bytes in memory"
    [stored] = elastic_extensions(clean_emulator)
    assert stored["file_metadata"]["size"] == archive.stat().st_size


def test_a_failed_upload_attempt_is_retried_from_the_start_of_the_file(
    client: ElasticClient, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    archive = make_zip(tmp_path / "retried.zip", stored_bytes=512 * 1024)
    created = client.post_extension(ExtensionRequest("retried", "bundle", "8.*"))
    clean_emulator.admin.set_faults(fault_rule("PUT", EXTENSION_ROUTE, faults={"503": 1}, max_faults=1))

    client.put_extension_file(created.id, archive)

    [stored] = elastic_extensions(clean_emulator)
    assert stored["file_sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert vendor_calls(clean_emulator, "/api/v1/")[f"PUT {EXTENSION_ROUTE}"] == 2


def test_reads_are_retried_on_throttling_and_server_errors(
    client: ElasticClient, clean_emulator: EmulatorHandle
) -> None:
    clean_emulator.admin.set_faults(
        fault_rule("GET", EXTENSIONS_ROUTE, faults={"429": 0.5, "503": 0.5}, max_faults=2, retry_after_s=0)
    )

    assert client.list_extensions() == []
    assert vendor_calls(clean_emulator, "/api/v1/")[f"GET {EXTENSIONS_ROUTE}"] == 3


def test_the_create_post_is_never_retried_blindly(client: ElasticClient, clean_emulator: EmulatorHandle) -> None:
    clean_emulator.admin.set_faults(fault_rule("POST", EXTENSIONS_ROUTE, faults={"503": 1}, max_faults=1))

    with pytest.raises(ApiError) as raised:
        client.post_extension(ExtensionRequest("synonyms", "bundle", "8.*"))

    assert raised.value.status == 503 and raised.value.code == "root.service_unavailable"
    assert vendor_calls(clean_emulator, "/api/v1/")[f"POST {EXTENSIONS_ROUTE}"] == 1


def test_an_upload_is_not_cut_by_the_call_time_limit_or_the_retry_budget(
    clean_emulator: EmulatorHandle, zip_file: Path
) -> None:
    # The service takes 1.2 s to answer; metadata calls give up after 0.4 s between bytes.
    settings = HttpSettings(timeout=0.4, retry_budget=0.2, max_retries=0)
    client = ElasticClient(clean_emulator.url, f"ApiKey {clean_emulator.elastic_api_key}", settings, upload_timeout=5.0)
    created = client.post_extension(ExtensionRequest("slow", "bundle", "8.*"))
    clean_emulator.admin.set_faults(fault_rule("*", EXTENSION_ROUTE, latency_ms=1200))

    uploaded = client.put_extension_file(created.id, zip_file)

    assert uploaded.file is not None
    with pytest.raises(ApiError, match="no answer within the time limit"):
        client.get_extension(created.id)
