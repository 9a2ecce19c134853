"""ElasticExtensionProvider.check: bad input is rejected with the field and the fix, with zero API calls."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_search_extensions._inputs import UNKNOWN, is_unknown
from pulumi_search_extensions.elastic.extension_provider.provider import ElasticExtensionProvider
from pulumi_search_extensions.emulator import EmulatorHandle
from support.calls import vendor_calls
from support.files import CLASSIC_DESCRIPTOR, descriptor_text, make_plugin_zip, make_zip
from support.providers import configured_provider, elastic_stack_config


def _inputs(**overrides: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {"name": "synonyms", "extension_type": "bundle", "version": "8.*", "description": ""}
    inputs.update(overrides)
    return inputs


def _failures(provider: ElasticExtensionProvider, **overrides: Any) -> dict[str, str]:
    result = provider.check({}, _inputs(**overrides))
    return {failure.property: failure.reason for failure in result.failures}


def test_valid_inputs_pass_and_get_the_effective_endpoint_and_file_hash(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle, zip_file: Path
) -> None:
    result = provider.check({}, _inputs(file_path=str(zip_file), description=None))

    assert result.failures == []
    assert result.inputs["endpoint"] == clean_emulator.url
    assert result.inputs["file_sha256"] == hashlib.sha256(zip_file.read_bytes()).hexdigest()
    assert result.inputs["description"] == ""
    assert "api_key" in result.inputs and result.inputs["api_key"] is None  # the config key is never stored
    assert vendor_calls(clean_emulator, "/api/v1/") == {}


def test_each_bad_field_is_named_with_its_fix_and_nothing_is_sent(
    provider: ElasticExtensionProvider,
    clean_emulator: EmulatorHandle,
    tmp_path: Path,
    zip_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Short paths: a value over 80 characters is reported without its property name (`without_long_values`),
    # and a temporary folder's path may be that long (pytest-xdist's are).
    monkeypatch.chdir(tmp_path)
    not_zip = tmp_path / "notes.txt"
    not_zip.write_text("not an archive")
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"name": "my synonyms!"}, "name", "ASCII letters, digits"),
        ({"name": ""}, "name", "not a valid extension name"),
        ({"extension_type": "library"}, "extension_type", "'bundle' or 'plugin'"),
        ({"extension_type": "plugin", "version": "8.*"}, "version", "exact Elasticsearch version x.y.z"),
        ({"extension_type": "plugin", "version": "8.11"}, "version", "x.y.z"),
        ({"version": "eight"}, "version", "wildcard such as 8.*"),
        ({"download_url": "ftp://files.example.com/b.zip"}, "download_url", "http:// or https://"),
        ({"download_url": "https://files.example.com/b.zip", "file_path": str(zip_file)}, "download_url", "not both"),
        ({"file_path": "missing.zip"}, "file_path", "does not exist"),
        ({"file_path": "."}, "file_path", "not a regular file"),
        ({"file_path": not_zip.name}, "file_path", "not a zip archive"),
        ({"endpoint": "api.elastic-cloud.com"}, "endpoint", "not an http(s) URL"),
        ({"endpoint": "https://user:pw@cloud.example.com"}, "endpoint", "must not carry credentials"),
    ]
    for overrides, field, fix in cases:
        failures = _failures(provider, **overrides)
        assert field in failures, (overrides, failures)
        assert failures[field].startswith(f"{field}: ") and fix in failures[field], (overrides, failures)
    assert vendor_calls(clean_emulator, "/api/v1/") == {}


def test_an_oversized_file_is_rejected_naming_the_configurable_limit(
    clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    big = make_zip(tmp_path / "big.zip", stored_bytes=2 * 1024 * 1024)
    provider = configured_provider(
        ElasticExtensionProvider, elastic_stack_config(clean_emulator, **{"ec:uploadLimitMb": "1"})
    )

    failures = _failures(provider, file_path=str(big))

    assert "over the upload limit of 1 MB" in failures["file_path"]
    assert "ec:uploadLimitMb" in failures["file_path"] and "download_url" in failures["file_path"]
    assert (
        _failures(
            configured_provider(ElasticExtensionProvider, elastic_stack_config(clean_emulator)), file_path=str(big)
        )
        == {}
    )


def test_an_unreadable_file_is_rejected(clean_emulator: EmulatorHandle, tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "secret.zip")
    archive.chmod(0o000)
    script = (
        "from pulumi.dynamic import ConfigureRequest\n"
        "from pulumi.dynamic.config import Config\n"
        "from pulumi_search_extensions.elastic.extension_provider.provider import ElasticExtensionProvider\n"
        "p = ElasticExtensionProvider()\n"
        f"p.configure(ConfigureRequest(Config({elastic_stack_config(clean_emulator)!r}, 'proj')))\n"
        "r = p.check({}, {'name': 'n', 'extension_type': 'bundle', 'version': '8.*', "
        f"'file_path': {str(archive)!r}}})\n"
        "print([f.reason for f in r.failures])\n"
    )
    # Root reads any file: run the check without the capabilities that bypass file permissions.
    drop_bypass = "-dac_override,-dac_read_search"
    as_unprivileged = (
        ["setpriv", f"--inh-caps={drop_bypass}", f"--bounding-set={drop_bypass}"] if os.geteuid() == 0 else []
    )
    run = subprocess.run([*as_unprivileged, sys.executable, "-c", script], capture_output=True, text=True, check=True)

    assert "cannot be read" in run.stdout and "fix its permissions" in run.stdout


def test_missing_credentials_name_all_three_ways_to_give_them(clean_emulator: EmulatorHandle) -> None:
    provider = configured_provider(ElasticExtensionProvider, {"ec:endpoint": clean_emulator.url, "ec:apikey": "  "})

    failures = _failures(provider)

    reason = failures["api_key"]
    for way in ("`api_key` resource argument", "ec:apikey", "$EC_API_KEY", "ec:username", "ec:password"):
        assert way in reason
    only_user = _failures(provider, username="admin")
    assert "password" in only_user and "ec:password" in only_user["password"]


def test_credentials_may_come_from_the_environment(
    clean_emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = configured_provider(ElasticExtensionProvider, {})
    monkeypatch.setenv("EC_HOST", clean_emulator.url + "/api/v1/")
    monkeypatch.setenv("EC_USER", "admin")
    monkeypatch.setenv("EC_PASS", "emulator-password")

    result = provider.check({}, _inputs())

    assert result.failures == []
    assert result.inputs["endpoint"] == clean_emulator.url
    assert result.inputs["username"] is None and result.inputs["password"] is None


def test_default_endpoint_is_elastic_cloud(clean_emulator: EmulatorHandle) -> None:
    provider = configured_provider(ElasticExtensionProvider, {"ec:apikey": "key"})

    assert provider.check({}, _inputs()).inputs["endpoint"] == "https://api.elastic-cloud.com"


def test_malformed_time_limit_settings_are_rejected(clean_emulator: EmulatorHandle) -> None:
    provider = configured_provider(
        ElasticExtensionProvider, elastic_stack_config(clean_emulator, **{"ec:timeout": "soon"})
    )

    result = provider.check({}, _inputs())

    assert len(result.failures) == 1 and "ec:timeout" in result.failures[0].reason
    ok = configured_provider(
        ElasticExtensionProvider,
        elastic_stack_config(clean_emulator, **{"ec:timeout": "1m30s", "ec:uploadTimeout": "2h"}),
    )
    assert ok.check({}, _inputs()).failures == []


def test_unknown_values_pass_at_preview(provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle) -> None:
    # The provider host hands unknowns over as `Unknown` objects; the wire string is accepted too.
    for unknown in (Unknown(), UNKNOWN):
        names = ("name", "extension_type", "version", "download_url", "file_path", "api_key", "endpoint")
        result = provider.check({}, _inputs(**dict.fromkeys(names, unknown)))

        assert result.failures == []
        assert is_unknown(result.inputs["file_sha256"]) and is_unknown(result.inputs["endpoint"])
    assert vendor_calls(clean_emulator, "/api/v1/") == {}


def test_an_unknown_file_path_conflicts_with_nothing_until_it_is_known(
    provider: ElasticExtensionProvider, zip_file: Path
) -> None:
    assert provider.check({}, _inputs(download_url=Unknown(), file_path=str(zip_file))).failures == []
    assert provider.check({}, _inputs(download_url="https://x.example.com/b.zip", file_path=Unknown())).failures == []


# The archive rules (elastic/archive.py, one unit test per rule in tests/elastic/test_archive.py), at preview:
# each documented rule refuses a bad archive naming the field, with no call to Elastic.
ARCHIVE_RULES: dict[str, tuple[dict[str, Any], str, str]] = {
    "1 path outside the root": ({"extra": {"../evil.jar": "x"}}, "file_path", "resolves outside the plugin's folder"),
    "4 wildcard plugin version": ({"version": "8.*"}, "version", "archive's plugin-descriptor.properties says 8.15.0"),
    "6 no descriptor": ({"descriptor_member": None}, "file_path", "no plugin-descriptor.properties"),
    "7 elasticsearch/ folder": ({"extra": {"elasticsearch/a.jar": "x"}}, "file_path", "older plugin structure"),
    "8 unknown key": ({"descriptor": {"sandboxed": "true"}}, "file_path", "unknown key `sandboxed`"),
    "9 another version": ({"version": "8.14.0"}, "version", "installs only on that exact version"),
    "10 no root jar": ({"jar": None}, "file_path", "no .jar at its root"),
    "11 bundle with a descriptor": ({"extension_type": "bundle"}, "extension_type", "so it is a plugin"),
}


def _plugin_archive(path: Path, spec: dict[str, Any]) -> Path:
    files: dict[str, str | bytes] = {"analysis.jar": b"x", **spec.get("extra", {})}
    if "jar" in spec:
        del files["analysis.jar"]
    if "descriptor_member" not in spec:
        files["plugin-descriptor.properties"] = descriptor_text({**CLASSIC_DESCRIPTOR, **spec.get("descriptor", {})})
    return make_zip(path, files)


@pytest.mark.parametrize("rule", sorted(ARCHIVE_RULES))
def test_an_archive_breaking_a_documented_rule_is_refused_at_preview_with_no_call(
    provider: ElasticExtensionProvider,
    clean_emulator: EmulatorHandle,
    tmp_path: Path,
    rule: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A short path: a value over 80 characters is reported without its property name (`without_long_values`),
    # and a temporary folder's path may be that long (pytest-xdist's are).
    monkeypatch.chdir(tmp_path)
    spec, field, said = ARCHIVE_RULES[rule]
    archive = _plugin_archive(Path("plugin.zip"), spec)
    declared = {"extension_type": spec.get("extension_type", "plugin"), "version": spec.get("version", "8.15.0")}

    result = provider.check({}, _inputs(file_path=str(archive), **declared))

    reasons = [f.reason for f in result.failures if f.property == field]
    assert len(reasons) == 1 and reasons[0].startswith(f"{field}: ") and said in reasons[0], result.failures
    assert vendor_calls(clean_emulator, "/api/v1/") == {}


def test_a_valid_plugin_archive_passes_and_is_hashed(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    archive = make_plugin_zip(tmp_path / "plugin.zip")

    result = provider.check({}, _inputs(file_path=str(archive), extension_type="plugin", version="8.15.0"))

    assert result.failures == []
    assert result.inputs["file_sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert vendor_calls(clean_emulator, "/api/v1/") == {}


def test_a_wildcard_plugin_version_gets_one_failure_saying_what_the_archive_holds(
    provider: ElasticExtensionProvider, tmp_path: Path
) -> None:
    archive = make_plugin_zip(tmp_path / "plugin.zip")

    failures = provider.check({}, _inputs(file_path=str(archive), extension_type="plugin", version="8.*")).failures

    assert [f.reason for f in failures] == [
        "version: '8.*' is not valid for a plugin: plugins need the exact Elasticsearch version, and the archive's "
        "plugin-descriptor.properties says 8.15.0; set version='8.15.0'"
    ]


def test_an_inferred_rule_is_a_warning_printed_at_preview_not_a_failure(
    provider: ElasticExtensionProvider, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = make_zip(tmp_path / "bundle.zip", {"stopwords.txt": "a\nthe\n"})

    result = provider.check({}, _inputs(file_path=str(archive)))

    assert result.failures == []
    printed = capsys.readouterr().out
    assert printed.startswith("warning: file_path: the bundle has 'stopwords.txt' at its root")


def test_the_type_and_version_rules_wait_for_unknown_values(provider: ElasticExtensionProvider, tmp_path: Path) -> None:
    archive = make_plugin_zip(tmp_path / "plugin.zip")

    assert provider.check({}, _inputs(file_path=str(archive), extension_type=UNKNOWN, version="8.*")).failures == []
    assert provider.check({}, _inputs(file_path=str(archive), extension_type="plugin", version=UNKNOWN)).failures == []


def test_on_file_change_is_update_by_default_and_only_update_or_replace(provider: ElasticExtensionProvider) -> None:
    assert provider.check({}, _inputs()).inputs["on_file_change"] == "update"
    assert provider.check({}, _inputs(on_file_change="replace")).inputs["on_file_change"] == "replace"
    assert _failures(provider, on_file_change="swap") == {
        "on_file_change": "on_file_change: 'swap' is not valid: use 'update' (upload the new file into the same "
        "extension) or 'replace' (a new extension for the new file, the old one deleted once nothing uses it)"
    }


def test_the_archive_is_read_once_per_check(
    provider: ElasticExtensionProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pulumi_search_extensions.elastic import archive

    reads: list[str] = []
    read = archive.read_archive
    monkeypatch.setattr(archive, "read_archive", lambda path: reads.append(str(path)) or read(path))
    plugin = make_plugin_zip(tmp_path / "plugin.zip")

    provider.check({}, _inputs(file_path=str(plugin), extension_type="plugin", version="8.*"))

    assert reads == [str(plugin)]


# -- the warning of both ways in (the plugin's check, the dynamic resource's constructor) ----------------------


def test_an_extension_without_download_url_file_path_or_adopt_id_gets_the_no_file_warning() -> None:
    from pulumi_search_extensions.elastic.extension_provider.check import NO_SOURCE_WARNING, preview_warnings

    assert preview_warnings(_inputs()) == [NO_SOURCE_WARNING]
    assert preview_warnings(_inputs(download_url="", file_path=None)) == [NO_SOURCE_WARNING]  # "" is no value
    assert preview_warnings(_inputs(download_url="https://example.com/a.zip")) == []
    assert preview_warnings(_inputs(file_path="/bundles/a.zip")) == []
    assert preview_warnings(_inputs(adopt_id="4295092658")) == []
    assert preview_warnings(_inputs(file_path=UNKNOWN)) == []  # not known at preview: it may well be a file


def test_the_archive_of_a_path_recorded_relative_to_the_project_is_read_from_the_projects_folder(
    provider: ElasticExtensionProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A provider started in the folder `main:` names (a sub-folder): the recorded path is the project's.
    (tmp_path / "Pulumi.yaml").write_text("name: shared\nruntime: python\nmain: src/\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "assets").mkdir()
    plugin = make_plugin_zip(tmp_path / "assets" / "plugin.zip")
    monkeypatch.chdir(tmp_path / "src")

    checked = provider.check({}, _inputs(file_path="assets/plugin.zip", extension_type="plugin", version="8.*"))

    # The archive was read: the failure says what its descriptor holds, not that the file cannot be read.
    assert [f.reason for f in checked.failures] == [
        "version: '8.*' is not valid for a plugin: plugins need the exact Elasticsearch version, and the archive's "
        "plugin-descriptor.properties says 8.15.0; set version='8.15.0'"
    ]
    passed = provider.check({}, _inputs(file_path="assets/plugin.zip", extension_type="plugin", version="8.15.0"))
    assert passed.failures == []
    assert passed.inputs["file_sha256"] == hashlib.sha256(plugin.read_bytes()).hexdigest()
