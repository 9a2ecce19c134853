"""CoveoExtensionProvider.create against the emulator: POST once, follow-ups as a transaction, adopt."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pulumi_search_extensions._create import AmbiguousCreateError
from pulumi_search_extensions.coveo.client import CoveoClient
from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider
from pulumi_search_extensions.coveo.extension_provider.errors import CoveoExtensionError
from support.calls import fault_rule, vendor_calls
from support.providers import configured_provider, coveo_stack_config
from support.remote import coveo_extensions

from ..helpers import SCRIPT, checked

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

EXTENSIONS = "/rest/organizations/{organizationId}/extensions"
EXTENSION = EXTENSIONS + "/{extensionId}"
TIMEOUTS = "/rest/organizations/*/extensions/*/timeouts"


def test_create_posts_and_returns_what_the_service_stored(
    provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    inputs = checked(provider, description="cleans titles", required_data_streams=["BODY_TEXT"])
    result = provider.create(inputs)
    [stored] = coveo_extensions(clean_emulator)
    assert result.id == stored["id"] == result.outs["extension_id"]
    outs = result.outs
    assert (outs["name"], outs["description"]) == ("cleaner", "cleans titles")
    assert outs["content_sha256"] == hashlib.sha256(stored["content"].encode()).hexdigest()
    assert stored["content"] == SCRIPT and "content" not in outs  # the inputs hold the one copy of the script
    assert outs["required_data_streams"] == ["BODY_TEXT"] and outs["enabled"] is True
    assert outs["execution_timeout"] == 5 and outs["api_version"] == "v1"
    assert outs["version_id"] and outs["created_date"].endswith("Z") and outs["last_modified"].endswith("Z")
    assert outs["status"]["duration_health"]["health_indicator"] == "UNKNOWN" and outs["used_by"] == []
    assert "daily_statistics" not in outs["status"]  # counters that change all day: not drift, not kept
    assert (outs["organization_id"], outs["host"]) == (clean_emulator.coveo_organization_id, clean_emulator.url)
    assert "api_key" not in outs  # the key came from stack config: it must never reach the state
    assert vendor_calls(clean_emulator)[f"POST {EXTENSIONS}"] == 1


def test_use_vault_is_sent_stored_and_read_back(
    provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    result = provider.create(checked(provider, use_vault=True))
    [stored] = coveo_extensions(clean_emulator)
    assert stored["useVault"] is True and result.outs["use_vault"] is True
    assert provider.read(str(result.id), result.outs).outs["use_vault"] is True


def test_create_with_a_script_file_sends_its_text_and_keeps_only_path_and_hash(
    provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    script = tmp_path / "cleaner.py"
    script.write_text(SCRIPT, encoding="utf-8")
    result = provider.create(provider.check({}, {"name": "cleaner", "script_path": str(script)}).inputs)
    [stored] = coveo_extensions(clean_emulator)
    assert stored["content"] == SCRIPT
    assert result.outs["script_path"] == str(script) and "content" not in result.outs
    assert result.outs["content_sha256"] == hashlib.sha256(SCRIPT.encode()).hexdigest()


def test_create_disabled_with_a_timeout_makes_the_follow_up_calls(
    provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    result = provider.create(checked(provider, enabled=False, execution_timeout=12))
    [stored] = coveo_extensions(clean_emulator)
    assert stored["enabled"] is False and stored["timeout"] == 12
    assert result.outs["enabled"] is False and result.outs["execution_timeout"] == 12


def test_a_key_given_as_argument_is_kept_in_the_outputs_for_later_calls(clean_emulator: EmulatorHandle) -> None:
    config = coveo_stack_config(clean_emulator)
    del config["coveo:apiKey"]
    provider = configured_provider(CoveoExtensionProvider, config)
    result = provider.create(checked(provider, api_key=clean_emulator.coveo_api_key))
    assert result.outs["api_key"] == clean_emulator.coveo_api_key  # the resource marks it secret
    provider.delete(result.id, result.outs)
    assert coveo_extensions(clean_emulator) == []


def test_a_failed_follow_up_deletes_the_new_extension_and_says_so(clean_emulator: EmulatorHandle) -> None:
    provider = configured_provider(
        CoveoExtensionProvider, coveo_stack_config(clean_emulator, **{"coveo:retryBudget": "1"})
    )
    clean_emulator.admin.set_faults(fault_rule("PUT", TIMEOUTS, faults={"500": 1.0}))
    with pytest.raises(CoveoExtensionError, match=r"(?s)500.*deleted again: nothing was left behind") as caught:
        provider.create(checked(provider, execution_timeout=9))
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert coveo_extensions(clean_emulator) == []


def test_when_the_undo_fails_too_the_error_names_the_extension_left_behind(clean_emulator: EmulatorHandle) -> None:
    provider = configured_provider(
        CoveoExtensionProvider, coveo_stack_config(clean_emulator, **{"coveo:retryBudget": "1"})
    )
    clean_emulator.admin.set_faults(
        {
            "rules": [
                {"method": "PUT", "route": TIMEOUTS, "faults": {"500": 1}},
                {"method": "DELETE", "route": "/rest/organizations/*/extensions/*", "faults": {"503": 1}},
            ]
        }
    )
    with pytest.raises(CoveoExtensionError) as caught:
        provider.create(checked(provider, execution_timeout=9))
    [left] = coveo_extensions(clean_emulator)
    assert f"{left['id']} was left behind" in str(caught.value) and f"adopt_id={left['id']!r}" in str(caught.value)


def test_a_create_applied_but_unanswered_is_reconciled_not_duplicated(
    provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    clean_emulator.admin.set_faults(fault_rule("POST", EXTENSIONS, faults={"fail_after_commit": 1.0}, max_faults=1))
    result = provider.create(checked(provider))
    [stored] = coveo_extensions(clean_emulator)
    assert result.id == stored["id"]
    assert vendor_calls(clean_emulator)[f"POST {EXTENSIONS}"] == 1


def test_a_create_refused_with_503_is_sent_again(
    provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    clean_emulator.admin.set_faults(fault_rule("POST", EXTENSIONS, faults={"503": 1.0}, max_faults=1))
    result = provider.create(checked(provider))
    assert [e["id"] for e in coveo_extensions(clean_emulator)] == [result.id]
    assert vendor_calls(clean_emulator)[f"POST {EXTENSIONS}"] == 2


def test_an_ambiguous_create_lists_the_candidates_and_how_to_adopt_one(
    provider: CoveoExtensionProvider, client: CoveoClient, clean_emulator: EmulatorHandle
) -> None:
    twin = client.post_extension({"name": "cleaner", "content": SCRIPT, "description": ""})
    clean_emulator.admin.set_faults(fault_rule("POST", EXTENSIONS, faults={"fail_after_commit": 1.0}, max_faults=1))
    # Not a CoveoExtensionError: that one says nothing changed, this one that something may exist.
    with pytest.raises(AmbiguousCreateError, match="adopt_id") as caught:
        provider.create(checked(provider))
    for extension in coveo_extensions(clean_emulator):
        assert extension["id"] in str(caught.value)
    assert twin.id in str(caught.value)


def test_a_wrong_key_gives_one_clear_error_without_the_key(clean_emulator: EmulatorHandle) -> None:
    provider = configured_provider(
        CoveoExtensionProvider, coveo_stack_config(clean_emulator, **{"coveo:apiKey": "xx-wrong-key"})
    )
    with pytest.raises(CoveoExtensionError) as caught:
        provider.create(checked(provider))
    message = str(caught.value)
    assert "401" in message and "rejected the API key from stack config `coveo:apiKey`" in message
    assert caught.value.status == 401 and caught.value.code is not None
    assert "xx-wrong-key" not in message and caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_key_of_another_organization_is_explained(clean_emulator: EmulatorHandle) -> None:
    provider = configured_provider(
        CoveoExtensionProvider,
        coveo_stack_config(clean_emulator, **{"coveo:apiKey": clean_emulator.coveo_other_api_key}),
    )
    with pytest.raises(CoveoExtensionError, match=r"(?s)403.*\napi_key: .*lacks the privilege.*another organization"):
        provider.create(checked(provider))


def test_adopt_takes_over_an_existing_extension_and_brings_it_to_the_declared_state(
    provider: CoveoExtensionProvider, client: CoveoClient, clean_emulator: EmulatorHandle
) -> None:
    existing = client.post_extension({"name": "from console", "content": "log('old')\n", "enabled": False})
    clean_emulator.admin.clear_requests()
    result = provider.create(checked(provider, adopt_id=existing.id, execution_timeout=7))
    assert result.id == existing.id
    [stored] = coveo_extensions(clean_emulator)
    assert (stored["name"], stored["content"], stored["enabled"], stored["timeout"]) == ("cleaner", SCRIPT, True, 7)
    assert f"POST {EXTENSIONS}" not in vendor_calls(clean_emulator)


def test_adopting_an_unknown_id_fails_clearly(provider: CoveoExtensionProvider) -> None:
    with pytest.raises(CoveoExtensionError, match=r"Cannot adopt .* does not exist"):
        provider.create(checked(provider, adopt_id="searchdemoorg-aaaaaaaaaaaaaaaaaaaaaaaaaa"))
