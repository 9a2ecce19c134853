"""Uploading an extension file (PUT), its temporary download link, the size limit and memory use."""

from __future__ import annotations

import hashlib
import os
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psutil
import pytest
import requests

from pulumi_search_extensions.emulator import DEFAULT_ELASTIC_UPLOAD_LIMIT_MB, EmulatorHandle, run_emulator
from support.files import CLASSIC_DESCRIPTOR, make_plugin_zip

from .elastic_api import ISO_8601_UTC, ElasticApi, error_codes

MIB = 1024 * 1024
ZIP_BYTES = b"PK\x03\x04" + bytes(range(256)) * 64  # not a real archive: the service does not unpack it


@pytest.fixture
def elastic(emulator: EmulatorHandle) -> Iterator[ElasticApi]:
    """The extensions API with the emulator's API key."""
    with ElasticApi(emulator.url, api_key=emulator.elastic_api_key) as api:
        yield api


def _download(url: str) -> bytes:
    response = requests.get(url, timeout=60)
    assert response.status_code == 200, response.text
    return response.content


def _multipart_body(field: str, content: bytes, boundary: str, *, before: bytes = b"") -> bytes:
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="ext.zip"\r\n'
        "Content-Type: application/zip\r\n\r\n"
    ).encode()
    return before + head + content + f"\r\n--{boundary}--\r\n".encode()


def test_a_raw_zip_body_becomes_the_extension_file(elastic: ElasticApi, emulator: EmulatorHandle) -> None:
    created = elastic.create()

    uploaded = elastic.upload(created["id"], ZIP_BYTES)

    metadata = uploaded["file_metadata"]
    assert metadata["size"] == len(ZIP_BYTES)
    assert ISO_8601_UTC.fullmatch(metadata["last_modified_date"])
    uploaded_at = datetime.fromisoformat(metadata["last_modified_date"].replace("Z", "+00:00"))
    assert abs(datetime.now(timezone.utc) - uploaded_at) < timedelta(minutes=1)
    assert _download(metadata["url"]) == ZIP_BYTES
    [dumped] = emulator.admin.dump()["elastic"]["extensions"]
    assert dumped["file_sha256"] == hashlib.sha256(ZIP_BYTES).hexdigest()


def test_the_upload_answer_is_what_a_later_get_returns(elastic: ElasticApi) -> None:
    created = elastic.create()

    uploaded = elastic.upload(created["id"], ZIP_BYTES)

    assert elastic.call("GET", f"/{created['id']}", expect=200, definition="Extension").json() == uploaded
    assert {key: uploaded[key] for key in created} == created  # only file_metadata was added


@pytest.mark.parametrize("content_type", ["application/octet-stream", None])
def test_a_raw_body_of_any_other_type_is_accepted_too(elastic: ElasticApi, content_type: str | None) -> None:
    created = elastic.create()
    headers = {"Content-Type": content_type} if content_type else {}

    response = elastic.call(
        "PUT", f"/{created['id']}", data=ZIP_BYTES, headers=headers, expect=200, definition="Extension"
    )

    assert _download(response.json()["file_metadata"]["url"]) == ZIP_BYTES


def test_the_multipart_file_field_becomes_the_extension_file(elastic: ElasticApi) -> None:
    created = elastic.create()

    response = elastic.call(
        "PUT",
        f"/{created['id']}",
        files={"file": ("ext.zip", ZIP_BYTES, "application/zip")},
        expect=200,
        definition="Extension",
    )

    metadata = response.json()["file_metadata"]
    assert metadata["size"] == len(ZIP_BYTES)
    assert _download(metadata["url"]) == ZIP_BYTES


def test_multipart_fields_other_than_file_are_ignored(elastic: ElasticApi) -> None:
    created = elastic.create()
    boundary = uuid.uuid4().hex
    other = f'--{boundary}\r\nContent-Disposition: form-data; name="comment"\r\n\r\nnot the file\r\n'.encode()

    response = elastic.call(
        "PUT",
        f"/{created['id']}",
        data=_multipart_body("file", ZIP_BYTES, boundary, before=other),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        expect=200,
        definition="Extension",
    )

    assert _download(response.json()["file_metadata"]["url"]) == ZIP_BYTES


def test_a_multipart_body_without_a_file_field_is_refused(elastic: ElasticApi, emulator: EmulatorHandle) -> None:
    created = elastic.create()

    response = elastic.call("PUT", f"/{created['id']}", files={"archive": ("ext.zip", ZIP_BYTES)}, expect=400)

    assert error_codes(response) == ["extensions.request_execution_failed"]
    assert emulator.admin.dump()["elastic"]["extensions"][0]["file_sha256"] is None


def test_a_truncated_multipart_body_is_refused(elastic: ElasticApi) -> None:
    created = elastic.create()
    boundary = uuid.uuid4().hex
    truncated = _multipart_body("file", ZIP_BYTES, boundary)[: -len(f"\r\n--{boundary}--\r\n")]

    response = elastic.call(
        "PUT",
        f"/{created['id']}",
        data=truncated,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        expect=400,
    )

    assert error_codes(response) == ["extensions.request_execution_failed"]


def test_an_empty_body_is_refused(elastic: ElasticApi) -> None:
    created = elastic.create()

    response = elastic.call("PUT", f"/{created['id']}", data=b"", expect=400)

    assert error_codes(response) == ["extensions.request_execution_failed"]


def test_a_new_upload_replaces_the_file_and_keeps_the_id(elastic: ElasticApi) -> None:
    created = elastic.create()
    first = elastic.call("PUT", f"/{created['id']}", data=b"first", expect=200, definition="Extension")

    second = elastic.call("PUT", f"/{created['id']}", data=b"second file", expect=200, definition="Extension")

    assert second.json()["id"] == created["id"]
    assert second.json()["file_metadata"]["size"] == len(b"second file")
    assert _download(second.json()["file_metadata"]["url"]) == b"second file"
    assert int(second.headers["x-cloud-resource-version"]) == int(first.headers["x-cloud-resource-version"]) + 1


def test_a_file_exactly_at_the_upload_limit_is_accepted(elastic: ElasticApi) -> None:
    created = elastic.create()
    at_limit = b"\x00" * (DEFAULT_ELASTIC_UPLOAD_LIMIT_MB * MIB)

    assert elastic.upload(created["id"], at_limit)["file_metadata"]["size"] == len(at_limit)


def test_a_file_over_the_upload_limit_is_refused_with_400_and_nothing_changes(
    elastic: ElasticApi, emulator: EmulatorHandle
) -> None:
    # The spec lists no 413 for the upload: its one documented refusal of a file is 400
    # extensions.request_execution_failed ("Could not accept the extensions file").
    created = elastic.create()
    elastic.upload(created["id"], ZIP_BYTES)

    response = elastic.call(
        "PUT", f"/{created['id']}", data=b"\x00" * (DEFAULT_ELASTIC_UPLOAD_LIMIT_MB * MIB + 1), expect=400
    )

    assert error_codes(response) == ["extensions.request_execution_failed"]
    assert "limit" in response.json()["errors"][0]["message"]
    [dumped] = emulator.admin.dump()["elastic"]["extensions"]
    assert dumped["file_sha256"] == hashlib.sha256(ZIP_BYTES).hexdigest()


def test_an_upload_to_an_unknown_id_is_answered_even_while_the_body_is_large(elastic: ElasticApi) -> None:
    # The emulator refuses before storing anything but still reads the body, so the client gets
    # the 403 instead of a reset connection.
    response = elastic.call("PUT", "/1234567890", data=b"\x00" * (8 * MIB), expect=403)

    assert error_codes(response) == ["extensions.unauthorised"]


def test_the_download_link_is_404_without_a_file_and_after_delete(elastic: ElasticApi) -> None:
    created = elastic.create()
    link = elastic.upload(created["id"], ZIP_BYTES)["file_metadata"]["url"]
    other = elastic.create(name="no-file")

    assert requests.get(link.replace(created["id"], other["id"]), timeout=30).status_code == 404
    elastic.call("DELETE", f"/{created['id']}", expect=200, definition="EmptyResponse")
    assert requests.get(link, timeout=30).status_code == 404


@pytest.fixture(scope="module")
def roomy_emulator() -> Iterator[EmulatorHandle]:
    """An emulator whose upload limit (128 MiB, as on larger plans) lets a 64 MiB file through."""
    with run_emulator(elastic_upload_limit_mb=128) as handle:
        yield handle


class PeakRss:
    """Samples a process's resident memory in a background thread and keeps the peak."""

    def __init__(self, pid: int) -> None:
        self._process = psutil.Process(pid)
        self.baseline: int = self._process.memory_info().rss
        self.peak: int = self.baseline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._process.memory_info().rss)
            time.sleep(0.005)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._process.memory_info().rss)

    @property
    def growth(self) -> int:
        """Peak minus the resident memory before sampling began."""
        return self.peak - self.baseline


@pytest.fixture(scope="module")
def file_of_64_mib(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A 64 MiB file of random bytes, and its SHA-256."""
    path = tmp_path_factory.mktemp("big") / "big.zip"
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        for _ in range(64):
            chunk = os.urandom(MIB)
            digest.update(chunk)
            handle.write(chunk)
    return path, digest.hexdigest()


def _streamed_multipart(path: Path, boundary: str) -> Iterator[bytes]:
    """A multipart body read from disk piece by piece (sent chunked, never held in memory)."""
    head, tail = _multipart_body("file", b"\x00", boundary).split(b"\x00")
    yield head
    with path.open("rb") as handle:
        while chunk := handle.read(MIB):
            yield chunk
    yield tail


@pytest.mark.parametrize("encoding", ["raw", "multipart"])
def test_a_64_mib_upload_is_streamed_to_disk_in_constant_memory(
    roomy_emulator: EmulatorHandle, file_of_64_mib: tuple[Path, str], encoding: str
) -> None:
    path, sha256 = file_of_64_mib
    roomy_emulator.admin.reset()
    with ElasticApi(roomy_emulator.url, api_key=roomy_emulator.elastic_api_key) as api:
        extension_id = api.create()["id"]
        api.upload(extension_id, ZIP_BYTES)  # warm up every code path before measuring
        boundary = uuid.uuid4().hex

        with PeakRss(roomy_emulator.pid) as rss, path.open("rb") as handle:
            if encoding == "raw":
                api.call("PUT", f"/{extension_id}", data=handle, expect=200, definition="Extension")
            else:
                api.call(
                    "PUT",
                    f"/{extension_id}",
                    data=_streamed_multipart(path, boundary),
                    headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
                    expect=200,
                    definition="Extension",
                )

    assert rss.growth < 50 * MIB, f"the emulator grew by {rss.growth / MIB:.1f} MiB"
    [dumped] = roomy_emulator.admin.dump()["elastic"]["extensions"]
    assert dumped["file_sha256"] == sha256
    assert dumped["file_metadata"]["size"] == 64 * MIB


def test_an_archive_elasticsearch_would_refuse_is_accepted_as_the_service_does(
    elastic: ElasticApi, tmp_path: Path
) -> None:
    # No check of the archive's content is documented for the upload (reference, section 3): Elastic Cloud
    # accepts a plugin built for another version, with the 5.x layout and a path escaping its root, and the
    # failure comes when a node installs it. That is why the provider's check reads the archive at preview.
    archive = make_plugin_zip(
        tmp_path / "broken.zip",
        {**CLASSIC_DESCRIPTOR, "elasticsearch.version": "7.17.0", "sandboxed": "true"},
        extra={"elasticsearch/old.jar": b"x", "../escape.txt": b"x"},
    )
    extension_id = elastic.create(extension_type="plugin", version="8.15.0", name="broken-plugin")["id"]

    uploaded = elastic.upload(extension_id, archive.read_bytes())

    assert uploaded["file_metadata"]["size"] == archive.stat().st_size
