"""CoveoSourceExtensionsProvider against the emulator: check without calls, the map's lifecycle, failures."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.output import Unknown

from pulumi_search_extensions._inputs import UNKNOWN
from pulumi_search_extensions.coveo.client import CoveoClient
from pulumi_search_extensions.coveo.source_extensions_provider import (
    CoveoSourceExtensionsError,
    CoveoSourceExtensionsProvider,
)

from .conftest import SCRIPT, emulator_config, fault, vendor_calls

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

SOURCE_EXTENSIONS = "/rest/organizations/{organizationId}/sources/{sourceId}/extensions"
EMPTY_MAP = {"common": {"preConversionExtensions": [], "postConversionExtensions": []}, "items": {}}


def _provider(emulator: EmulatorHandle, **config: str) -> CoveoSourceExtensionsProvider:
    provider = CoveoSourceExtensionsProvider()
    provider.configure(ConfigureRequest(Config(emulator_config(emulator, **config), "proj")))
    return provider


@pytest.fixture
def provider(clean_emulator: EmulatorHandle) -> CoveoSourceExtensionsProvider:
    """A provider configured (stack config) for the emulator, which starts empty."""
    return _provider(clean_emulator)


@pytest.fixture
def source_id(clean_emulator: EmulatorHandle) -> str:
    """A fresh source of the emulator's main organization, running no extension."""
    return str(clean_emulator.admin.create_source(clean_emulator.coveo_organization_id, "Web pages")["id"])


@pytest.fixture
def new_extension(client: CoveoClient) -> Callable[[str], str]:
    """Creates an extension in the emulator and returns its id."""
    return lambda name: str(client.post_extension({"name": name, "content": SCRIPT})["id"])


def _checked(provider: CoveoSourceExtensionsProvider, **inputs: Any) -> dict[str, Any]:
    result = provider.check({}, inputs)
    assert result.failures == [], [f.reason for f in result.failures]
    return result.inputs


def _reasons(provider: CoveoSourceExtensionsProvider, **inputs: Any) -> list[str]:
    return [f.reason for f in provider.check({}, inputs).failures]


def _stored_map(emulator: EmulatorHandle, source_id: str) -> dict[str, Any]:
    sources = emulator.admin.dump()["coveo"][emulator.coveo_organization_id]["sources"]
    [source] = [s for s in sources if s["id"] == source_id]
    extension_map: dict[str, Any] = source["extensions"]
    return extension_map


def _ids(extension_map: dict[str, Any], stage: str = "preConversionExtensions") -> list[str]:
    return [entry["extensionId"] for entry in extension_map.get("common", {}).get(stage, [])]


# -- check ---------------------------------------------------------------------------------------------------


def test_check_fills_the_defaults_and_makes_no_api_call(
    provider: CoveoSourceExtensionsProvider, clean_emulator: EmulatorHandle
) -> None:
    clean_emulator.admin.clear_requests()
    inputs = _checked(
        provider,
        source_id=" src ",
        pre_conversion=[{"extension_id": "ext-a"}],
        post_conversion=[{"extension_id": "ext-b", "condition": "%[lang] == 'en'", "version_id": "v1"}],
        item_types={"Video": {"post_conversion": [{"extension_id": "ext-c"}]}, "Empty": {}},
    )
    assert inputs["source_id"] == "src"
    assert inputs["pre_conversion"] == [
        {"extension_id": "ext-a", "condition": "", "parameters": {}, "action_on_error": "SKIP_EXTENSION"}
    ]
    assert inputs["post_conversion"][0]["version_id"] == "v1"
    assert list(inputs["item_types"]) == ["Video"]  # an item type with no extension is no declaration
    assert inputs["item_types"]["Video"]["pre_conversion"] == []
    assert (inputs["rebuild"], inputs["adopt"], inputs["allow_duplicates"]) == (False, False, False)
    assert (inputs["organization_id"], inputs["host"]) == (clean_emulator.coveo_organization_id, clean_emulator.url)
    assert "api_key" not in inputs  # from stack config: never stored
    assert clean_emulator.admin.requests()["requests"] == []


def test_a_condition_syntax_error_names_the_stage_entry_and_shows_a_caret(
    provider: CoveoSourceExtensionsProvider,
) -> None:
    [reason] = _reasons(
        provider,
        source_id="src",
        pre_conversion=[{"extension_id": "a"}, {"extension_id": "b", "condition": '%[lang] != "en"'}],
    )
    assert reason.splitlines() == [
        "pre_conversion[1].condition: is not a valid Coveo condition: '!=' is not supported; write "
        "NOT %[meta] == 'value' (at column 9):",
        '    %[lang] != "en"',
        "            ^",
    ]


def test_check_reports_every_problem_at_once(provider: CoveoSourceExtensionsProvider) -> None:
    reasons = _reasons(
        provider,
        pre_conversion=[
            {"extension_id": "a", "action_on_error": "FAIL"},
            {"extensionId": "b"},
            {"extension_id": "c", "parameters": {"limit": 38.0}},
        ],
        item_types={"Video": {"postConversion": []}},
        rebuild="yes",
    )
    assert any(r.startswith("source_id: is required") for r in reasons)
    assert any("pre_conversion[0].action_on_error: must be SKIP_EXTENSION or REJECT_DOCUMENT" in r for r in reasons)
    assert any("pre_conversion[1].extensionId: unknown field; did you mean `extension_id`?" in r for r in reasons)
    assert any("pre_conversion[1].extension_id: is required" in r for r in reasons)
    assert any("pre_conversion[2].parameters['limit']: must be a string" in r and "'38.0'" in r for r in reasons)
    assert any("item_types['Video'].postConversion: unknown field" in r for r in reasons)
    assert any(r.startswith("rebuild: must be true or false") for r in reasons)
    assert len(reasons) == 7


def test_values_not_known_at_preview_pass_check(provider: CoveoSourceExtensionsProvider) -> None:
    # The provider host hands unknowns over as `Unknown` objects at any depth (the wire string is accepted too).
    unknown = Unknown()
    inputs = _checked(
        provider,
        source_id=unknown,
        pre_conversion=[{"extension_id": unknown, "condition": unknown, "parameters": unknown}, unknown],
        post_conversion=UNKNOWN,
        item_types={"Video": unknown, "Image": {"pre_conversion": [{"extension_id": unknown}]}},
    )
    assert inputs["source_id"] is unknown and inputs["post_conversion"] == UNKNOWN
    assert inputs["pre_conversion"][0]["extension_id"] is unknown


def test_an_extension_listed_twice_in_one_stage_prints_a_warning_unless_allowed(
    provider: CoveoSourceExtensionsProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    twice = [{"extension_id": "a"}, {"extension_id": "b"}, {"extension_id": "a"}]
    _checked(provider, source_id="src", pre_conversion=twice, post_conversion=[{"extension_id": "a"}])
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("warning: pre_conversion lists extension a 2 times (positions 0, 2)")
    assert "allow_duplicates=True" in line
    _checked(provider, source_id="src", pre_conversion=twice, allow_duplicates=True)
    assert capsys.readouterr().out == ""


def test_missing_connection_settings_fail_check(clean_emulator: EmulatorHandle) -> None:
    reasons = _reasons(CoveoSourceExtensionsProvider(), source_id="src")
    assert any("coveo:organizationId" in r and "COVEO_ORGANIZATION_ID" in r for r in reasons)
    assert any("coveo:apiKey" in r and "COVEO_API_KEY" in r for r in reasons)


# -- diff ----------------------------------------------------------------------------------------------------


def test_diff_replaces_for_another_source_unwiring_first_and_ignores_the_flags(
    provider: CoveoSourceExtensionsProvider,
) -> None:
    olds = _checked(provider, source_id="src", pre_conversion=[{"extension_id": "a"}])
    moved = provider.diff("src", olds, {**olds, "source_id": "other"})
    assert (moved.changes, moved.replaces, moved.delete_before_replace) == (True, ["source_id"], True)
    flags = provider.diff("src", olds, {**olds, "rebuild": True, "adopt": True, "allow_duplicates": True})
    assert (flags.changes, flags.replaces) == (False, [])
    unknown = provider.diff(
        "src", olds, {**olds, "pre_conversion": [{**olds["pre_conversion"][0], "extension_id": Unknown()}]}
    )
    assert (unknown.changes, unknown.replaces) == (True, [])


# -- create / read / update / delete -------------------------------------------------------------------------


def test_create_applies_the_declared_map_in_order_and_the_extensions_show_it_in_used_by(
    provider: CoveoSourceExtensionsProvider,
    clean_emulator: EmulatorHandle,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    first, second, video = new_extension("first"), new_extension("second"), new_extension("video")
    inputs = _checked(
        provider,
        source_id=source_id,
        pre_conversion=[{"extension_id": second}, {"extension_id": first, "parameters": {"lang": "en"}}],
        post_conversion=[{"extension_id": first, "condition": "%[a] OR %[b]", "action_on_error": "REJECT_DOCUMENT"}],
        item_types={"Video": {"post_conversion": [{"extension_id": video}]}},
    )
    result = provider.create(inputs)
    assert result.id == source_id
    stored = _stored_map(clean_emulator, source_id)
    assert _ids(stored) == [second, first]
    assert stored["common"]["postConversionExtensions"] == [
        {"extensionId": first, "condition": "%[a] OR %[b]", "parameters": {}, "actionOnError": "REJECT_DOCUMENT"}
    ]
    assert stored["items"]["Video"]["postConversionExtensions"][0]["itemType"] == "Video"
    for name in ("pre_conversion", "post_conversion", "item_types"):
        assert result.outs[name] == inputs[name]
    assert result.outs["previous_map"] is None and "api_key" not in result.outs
    assert client.get_extension(first)["usedBy"] == [{"sourceId": source_id, "sourceName": "Web pages"}]


def test_create_refuses_to_overwrite_extensions_configured_elsewhere_and_changes_nothing(
    provider: CoveoSourceExtensionsProvider,
    clean_emulator: EmulatorHandle,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    console = new_extension("console")
    client.put_source_extensions(source_id, {"common": {"preConversionExtensions": [{"extensionId": console}]}})
    with pytest.raises(CoveoSourceExtensionsError, match=rf"already runs 1 extension\(s\): {console}.*adopt=True"):
        provider.create(_checked(provider, source_id=source_id, pre_conversion=[{"extension_id": new_extension("x")}]))
    assert _ids(_stored_map(clean_emulator, source_id)) == [console]


def test_create_again_after_a_lost_answer_accepts_the_map_it_already_applied(
    provider: CoveoSourceExtensionsProvider,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    inputs = _checked(provider, source_id=source_id, pre_conversion=[{"extension_id": new_extension("a")}])
    provider.create(inputs)
    assert provider.create(inputs).outs["previous_map"] is None


def test_adopt_records_the_existing_map_and_delete_puts_it_back(
    provider: CoveoSourceExtensionsProvider,
    clean_emulator: EmulatorHandle,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    console, ours = new_extension("console"), new_extension("ours")
    client.put_source_extensions(source_id, {"common": {"postConversionExtensions": [{"extensionId": console}]}})
    before = client.get_source_extensions(source_id)
    inputs = _checked(provider, source_id=source_id, pre_conversion=[{"extension_id": ours}], adopt=True)
    result = provider.create(inputs)
    assert result.outs["previous_map"] == before
    assert result.outs["post_conversion"] == []  # the program owns the whole map now
    assert _ids(_stored_map(clean_emulator, source_id)) == [ours]
    provider.delete(result.id, result.outs)
    assert client.get_source_extensions(source_id) == before


def test_delete_restores_the_rest_of_an_adopted_map_when_an_extension_in_it_was_deleted(
    provider: CoveoSourceExtensionsProvider,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    kept, gone = new_extension("kept"), new_extension("gone")
    entries = [{"extensionId": kept}, {"extensionId": gone}]
    client.put_source_extensions(source_id, {"common": {"preConversionExtensions": entries}})
    result = provider.create(_checked(provider, source_id=source_id, adopt=True))
    client.delete_extension(gone)  # the program owns the map: `gone` is no longer bound, so this works
    provider.delete(result.id, result.outs)
    assert _ids(client.get_source_extensions(source_id)) == [kept]
    assert f"no longer exist ({gone})" in capsys.readouterr().out


def test_create_on_a_missing_source_says_which_source(provider: CoveoSourceExtensionsProvider) -> None:
    with pytest.raises(CoveoSourceExtensionsError, match=r"Source 'nosuchsource' does not exist.*source_id"):
        provider.create(_checked(provider, source_id="nosuchsource"))


def test_create_naming_an_unknown_extension_fails_with_the_service_message_and_changes_nothing(
    provider: CoveoSourceExtensionsProvider, clean_emulator: EmulatorHandle, source_id: str
) -> None:
    with pytest.raises(CoveoSourceExtensionsError, match=r"INVALID_EXTENSION_ID.*does not exist") as caught:
        provider.create(_checked(provider, source_id=source_id, pre_conversion=[{"extension_id": "ghost"}]))
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert _stored_map(clean_emulator, source_id) == EMPTY_MAP
    assert vendor_calls(clean_emulator)[f"PUT {SOURCE_EXTENSIONS}"] == 1  # refused as a whole: nothing to put back


def test_a_create_whose_outcome_is_lost_puts_the_previous_map_back_and_leaves_nothing_bound(
    clean_emulator: EmulatorHandle, client: CoveoClient, source_id: str, new_extension: Callable[[str], str]
) -> None:
    provider = _provider(clean_emulator, **{"coveo:maxRetries": "0"})
    extension_id = new_extension("a")
    clean_emulator.admin.set_faults(fault("PUT", SOURCE_EXTENSIONS, "fail_after_commit", max_faults=1))
    with pytest.raises(CoveoSourceExtensionsError, match="previous extension map was put back"):
        provider.create(_checked(provider, source_id=source_id, pre_conversion=[{"extension_id": extension_id}]))
    assert client.get_source_extensions(source_id) == EMPTY_MAP
    client.delete_extension(extension_id)  # not bound: deletable
    assert vendor_calls(clean_emulator)[f"PUT {SOURCE_EXTENSIONS}"] == 2


def test_read_shows_stages_changed_in_the_console_as_drift_of_the_inputs(
    provider: CoveoSourceExtensionsProvider,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    first, second = new_extension("first"), new_extension("second")
    inputs = _checked(provider, source_id=source_id, pre_conversion=[{"extension_id": first}, {"extension_id": second}])
    created = provider.create(inputs)
    unchanged = provider.read(created.id, created.outs)
    assert unchanged.outs == created.outs
    client.put_source_extensions(
        source_id,
        {"common": {"preConversionExtensions": [{"extensionId": second, "condition": "%[x]"}, {"extensionId": first}]}},
    )
    drifted = provider.read(created.id, created.outs)
    assert drifted.inputs is not None
    assert [e["extension_id"] for e in drifted.inputs["pre_conversion"]] == [second, first]
    assert drifted.inputs["pre_conversion"][0]["condition"] == "%[x]"
    assert drifted.outs["pre_conversion"] == drifted.inputs["pre_conversion"]
    assert provider.diff(created.id, drifted.outs, inputs).changes is True


def test_read_of_a_deleted_source_reports_it_gone(
    provider: CoveoSourceExtensionsProvider, clean_emulator: EmulatorHandle, source_id: str
) -> None:
    created = provider.create(_checked(provider, source_id=source_id))
    clean_emulator.admin.delete_source(clean_emulator.coveo_organization_id, source_id)
    assert provider.read(created.id, created.outs).id == ""


def test_update_puts_the_new_order_and_keeps_the_adoption_record(
    provider: CoveoSourceExtensionsProvider,
    clean_emulator: EmulatorHandle,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    first, second = new_extension("first"), new_extension("second")
    olds = provider.create(
        _checked(provider, source_id=source_id, pre_conversion=[{"extension_id": first}], adopt=True)
    ).outs
    news = _checked(provider, source_id=source_id, pre_conversion=[{"extension_id": second}, {"extension_id": first}])
    outs = provider.update(source_id, olds, news).outs
    assert _ids(_stored_map(clean_emulator, source_id)) == [second, first]
    assert [e["extension_id"] for e in outs["pre_conversion"]] == [second, first]
    assert outs["previous_map"] == EMPTY_MAP


def test_delete_unwires_every_extension_so_they_can_be_deleted(
    provider: CoveoSourceExtensionsProvider,
    client: CoveoClient,
    source_id: str,
    new_extension: Callable[[str], str],
) -> None:
    first = new_extension("first")
    inputs = _checked(
        provider,
        source_id=source_id,
        post_conversion=[{"extension_id": first}],
        item_types={"Video": {"pre_conversion": [{"extension_id": first}]}},
    )
    created = provider.create(inputs)
    provider.delete(created.id, created.outs)
    assert client.get_source_extensions(source_id) == EMPTY_MAP
    client.delete_extension(first)


def test_delete_of_a_source_that_no_longer_exists_counts_as_done(
    provider: CoveoSourceExtensionsProvider, clean_emulator: EmulatorHandle, source_id: str
) -> None:
    created = provider.create(_checked(provider, source_id=source_id))
    clean_emulator.admin.delete_source(clean_emulator.coveo_organization_id, source_id)
    provider.delete(created.id, created.outs)
