"""elastic.archive: the rules Elasticsearch and Elastic Cloud apply to an extension's zip, one test per rule.

Rule numbers are those of the reference's table (tests/specs/elastic-extension-archives.md, section 5). Each
test shows a good archive accepted and a bad one refused with the field, what is wrong and the fix; rules the
documentation only implies are warnings (`error=False`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_search_extensions.elastic.archive import (
    GB,
    MB,
    ArchiveContents,
    ArchiveError,
    Finding,
    findings,
    read_archive,
)
from support.files import CLASSIC_DESCRIPTOR, SYNONYMS, descriptor_text, make_plugin_zip, make_zip


def _plugin(tmp_path: Path, **kwargs: object) -> ArchiveContents:
    return read_archive(make_plugin_zip(tmp_path / "plugin.zip", **kwargs))  # type: ignore[arg-type]


def _bundle(tmp_path: Path, files: dict[str, str | bytes]) -> ArchiveContents:
    return read_archive(make_zip(tmp_path / "bundle.zip", files))


def _of(contents: ArchiveContents, extension_type: str = "plugin", version: str | None = "8.15.0") -> list[Finding]:
    return findings(contents, extension_type=extension_type, version=version)


def _the_one(found: list[Finding], rule: int) -> Finding:
    assert [f.rule for f in found] == [rule], [f.message for f in found]
    return found[0]


def _without(key: str) -> dict[str, str]:
    return {k: v for k, v in CLASSIC_DESCRIPTOR.items() if k != key}


def test_valid_archives_pass_every_rule(tmp_path: Path) -> None:
    assert _of(_plugin(tmp_path)) == []
    assert _of(read_archive(make_plugin_zip(tmp_path / "stable.zip", stable=True)), version="8.16.2") == []
    assert _of(_bundle(tmp_path, dict(SYNONYMS)), "bundle", "8.*") == []
    geoip = {"ingest-geoip/Company-City.mmdb": b"\0", "truststore/my_store-1.jks": b"\0"}
    assert _of(_bundle(tmp_path, geoip), "bundle", "*") == []


def test_reading_gives_the_entries_and_only_the_root_descriptors(tmp_path: Path) -> None:
    path = make_plugin_zip(tmp_path / "p.zip", extra={"lib/plugin-descriptor.properties": "name=inner\n"})

    contents = read_archive(path)

    assert contents.size == path.stat().st_size
    assert "lib/plugin-descriptor.properties" in contents.names
    assert dict(contents.descriptors) == {"plugin-descriptor.properties": CLASSIC_DESCRIPTOR}


def test_rule_1_a_file_that_is_no_zip_cannot_be_read(tmp_path: Path) -> None:
    not_zip = tmp_path / "plugin.zip"
    not_zip.write_bytes(b"PK\x05\x06" + b"\0" * 10)

    with pytest.raises(ArchiveError):
        read_archive(not_zip)


@pytest.mark.parametrize("entry", ["../outside.txt", "/etc/cron.d/job", "lib/../../escape.jar", "C:/evil.jar"])
def test_rule_1_a_plugin_path_escaping_its_root_is_refused(tmp_path: Path, entry: str) -> None:
    found = _the_one(_of(_plugin(tmp_path, extra={entry: b"x"})), 1)

    assert found.error and found.field == "file_path"
    assert repr(entry) in found.reason and "outside the plugin's folder" in found.reason
    assert "relative paths" in found.reason
    assert _of(_plugin(tmp_path, extra={"lib/../inside.txt": b"x"})) == []  # normalizes inside the root


def test_rule_1_a_bundle_path_escaping_its_root_is_a_warning(tmp_path: Path) -> None:
    found = _the_one(_of(_bundle(tmp_path, {"../app/evil.txt": "x"}), "bundle", "8.*"), 1)

    assert not found.error and "/app/config" in found.reason


def test_rule_4_a_wildcard_plugin_version_names_the_descriptors_version(tmp_path: Path) -> None:
    found = _the_one(_of(_plugin(tmp_path), version="8.*"), 4)

    assert found.message == (
        "version: '8.*' is not valid for a plugin: plugins need the exact Elasticsearch version, and the "
        "archive's plugin-descriptor.properties says 8.15.0; set version='8.15.0'"
    )


def test_rule_5_sizes(tmp_path: Path) -> None:
    small_plugin = _plugin(tmp_path)
    bundle = _bundle(tmp_path, dict(SYNONYMS))

    def sized(contents: ArchiveContents, size: int) -> ArchiveContents:
        return ArchiveContents(size, contents.names, contents.descriptors)

    over_20 = _the_one(_of(sized(bundle, 30 * MB), "bundle", "8.*"), 5)
    assert not over_20.error and "20 MB" in over_20.reason and "ec:uploadLimitMb" in over_20.reason
    assert findings(sized(bundle, 30 * MB), extension_type="bundle", version="8.*", upload_limit_configured=True) == []
    big_plugin = _the_one(_of(sized(small_plugin, 201 * MB)), 5)
    assert big_plugin.error and "over 200 MB only from a download_url" in big_plugin.reason
    assert [f.rule for f in _of(sized(bundle, 201 * MB), "bundle", "8.*") if f.error] == []
    over_8 = _the_one(_of(sized(bundle, 9 * GB), "bundle", "8.*"), 5)
    assert over_8.error and "over the 8 GB" in over_8.reason


def test_rule_6_exactly_one_descriptor_at_the_root(tmp_path: Path) -> None:
    both = _plugin(tmp_path, extra={"stable-plugin-descriptor.properties": descriptor_text(_without("classname"))})
    assert "both plugin-descriptor.properties and stable-plugin-descriptor.properties" in _the_one(_of(both), 6).reason

    neither = read_archive(make_zip(tmp_path / "neither.zip", {"analysis.jar": b"x"}))
    assert "no plugin-descriptor.properties" in _the_one(_of(neither), 6).reason
    assert "extension_type='bundle'" in _the_one(_of(neither), 6).reason

    folder = {"analysis/plugin-descriptor.properties": descriptor_text(CLASSIC_DESCRIPTOR), "analysis.jar": b"x"}
    nested = read_archive(make_zip(tmp_path / "folder.zip", folder))
    assert "zip the plugin folder's content, not the folder" in _the_one(_of(nested), 6).reason


def test_rule_6_over_5_gb_the_descriptor_is_the_first_entry(tmp_path: Path) -> None:
    jar_first = read_archive(
        make_zip(
            tmp_path / "p.zip", {"a.jar": b"x", "plugin-descriptor.properties": descriptor_text(CLASSIC_DESCRIPTOR)}
        )
    )
    huge = ArchiveContents(6 * GB, jar_first.names, jar_first.descriptors)

    assert any(f.rule == 6 and "first entry is 'a.jar'" in f.reason for f in _of(huge))
    assert _of(jar_first) == []


def test_rule_7_no_top_level_elasticsearch_folder_nor_subfolders_of_bin_or_config(tmp_path: Path) -> None:
    older = _plugin(tmp_path, extra={"elasticsearch/analysis.jar": b"x"})
    assert "older plugin structure" in _the_one(_of(older), 7).reason

    nested = _plugin(tmp_path, extra={"config/sub/settings.yml": "a: b"})
    assert "subfolder of bin/ or config/" in _the_one(_of(nested), 7).reason
    assert _of(_plugin(tmp_path, extra={"config/settings.yml": "a: b", "bin/tool": "#!"})) == []


@pytest.mark.parametrize(
    ("descriptor", "stable", "said"),
    [
        (_without("classname"), False, "`classname` is missing or blank"),
        ({**CLASSIC_DESCRIPTOR, "java.version": " "}, False, "`java.version` is missing or blank"),
        (_without("description"), False, "`description` is missing"),
        ({**CLASSIC_DESCRIPTOR, "sandboxed": "true"}, False, "unknown key `sandboxed`"),
        ({**CLASSIC_DESCRIPTOR, "licensed": "yes"}, False, "`licensed` is 'yes', not true or false"),
        ({**CLASSIC_DESCRIPTOR, "has.native.controller": "true"}, False, "the plugin installer refuses"),
        ({**CLASSIC_DESCRIPTOR, "java.version": "17-ea"}, False, "not dotted integers"),
        ({**CLASSIC_DESCRIPTOR, "modular": "true"}, False, "unknown key `modular`"),
        ({**CLASSIC_DESCRIPTOR, "elasticsearch.version": "8.15.0-SNAPSHOT"}, False, "not a released Elasticsearch"),
        ({**CLASSIC_DESCRIPTOR, "licensed": "true "}, False, "`licensed` is 'true ', not true or false"),
        (dict(CLASSIC_DESCRIPTOR), True, "`classname` is not allowed in a stable plugin"),
        ({**_without("classname"), "extended.plugins": "analysis-common"}, True, "unknown key `extended.plugins`"),
    ],
)
def test_rule_8_the_descriptor_parses_as_elasticsearch_reads_it(
    tmp_path: Path, descriptor: dict[str, str], stable: bool, said: str
) -> None:
    found = _the_one(_of(_plugin(tmp_path, descriptor=descriptor, stable=stable)), 8)

    assert found.error and found.field == "file_path" and said in found.reason
    kind = "stable-plugin-descriptor.properties" if stable else "plugin-descriptor.properties"
    assert f"the archive's {kind} is not one Elasticsearch installs" in found.reason


def test_rule_8_java_properties_syntax_is_read_as_java_reads_it(tmp_path: Path) -> None:
    text = (
        "! comment\nname : analysis-example\nclassname org.example.AnalysisExamplePlugin\n"
        "description=An analysis \\\n    plugin\nversion=1.0.0\njava.version=17\nelasticsearch.version=8.15.0\n"
        "modular=true\n"
    )
    contents = read_archive(make_zip(tmp_path / "p.zip", {"stable-plugin-descriptor.properties": text, "a.jar": "x"}))

    assert contents.descriptors["stable-plugin-descriptor.properties"]["description"] == "An analysis plugin"
    assert [f.rule for f in _of(contents)] == [8]  # classname is not for stable plugins; modular is
    assert "classname" in _of(contents)[0].reason and "modular" not in _of(contents)[0].reason


def test_rule_9_a_classic_plugin_needs_the_exact_version_it_was_built_for(tmp_path: Path) -> None:
    found = _the_one(_of(_plugin(tmp_path), version="8.14.3"), 9)

    assert found.field == "version" and found.error
    assert "elasticsearch.version=8.15.0" in found.reason and "set version='8.15.0'" in found.reason


def test_rule_9_a_stable_plugin_runs_on_its_major_from_its_build_version_on(tmp_path: Path) -> None:
    stable = read_archive(make_plugin_zip(tmp_path / "s.zip", stable=True))  # built for 8.15.0

    assert _of(stable, version="8.15.0") == [] and _of(stable, version="8.17.1") == []
    assert "a newer version" in _the_one(_of(stable, version="8.14.0"), 9).reason
    assert "another major version" in _the_one(_of(stable, version="9.0.0"), 9).reason


def test_version_rules_wait_while_the_version_is_unknown(tmp_path: Path) -> None:
    assert _of(_plugin(tmp_path), version=None) == []


def test_rule_10_root_jars_and_no_sources(tmp_path: Path) -> None:
    no_jar = read_archive(
        make_zip(
            tmp_path / "p.zip", {"plugin-descriptor.properties": descriptor_text(CLASSIC_DESCRIPTOR), "lib/a.jar": "x"}
        )
    )
    assert "no .jar at its root" in _the_one(_of(no_jar), 10).reason

    sources = _the_one(_of(_plugin(tmp_path, extra={"src/Plugin.java": "class Plugin {}"})), 10)
    assert not sources.error and "Java source code" in sources.reason


def test_rule_11_a_bundle_carries_no_descriptor(tmp_path: Path) -> None:
    found = _the_one(_of(_plugin(tmp_path), "bundle", "8.*"), 11)

    assert found.field == "extension_type" and found.error
    assert "it has plugin-descriptor.properties at its root, so it is a plugin" in found.reason


def test_rule_11_a_plugin_and_its_dictionaries_are_separate_extensions(tmp_path: Path) -> None:
    found = _the_one(_of(_plugin(tmp_path, extra=dict(SYNONYMS))), 11)

    assert found.error and "separate extensions" in found.reason


def test_rule_11_geoip_databases_are_named_and_placed_as_elasticsearch_reads_them(tmp_path: Path) -> None:
    def reasons(name: str) -> list[str]:
        return [f.reason for f in _of(_bundle(tmp_path, {name: b"\0"}), "bundle", "8.*") if f.error]

    assert any("not in an ingest-geoip/ folder" in r for r in reasons("geoip/Company-City.mmdb"))
    assert any("*-City.mmdb" in r for r in reasons("ingest-geoip/Company.mmdb"))
    assert any("the database Elasticsearch ships" in r for r in reasons("ingest-geoip/GeoLite2-City.mmdb"))
    assert reasons("ingest-geoip/Company-ASN.mmdb") == []


def test_rule_11_trust_store_names_and_dictionary_placement_are_warnings(tmp_path: Path) -> None:
    stores = {"truststore/my store.jks": b"\0", "truststore/other.p12": b"\0"}
    found = _of(_bundle(tmp_path, stores), "bundle", "8.*")
    assert [f.rule for f in found] == [11, 11] and not any(f.error for f in found)
    assert "'truststore/my store.jks'" in found[0].reason and "one trust store" in found[1].reason

    loose = _the_one(_of(_bundle(tmp_path, {"synonyms.txt": "a, b"}), "bundle", "8.*"), 11)
    assert not loose.error and "dictionaries/ folder" in loose.reason
