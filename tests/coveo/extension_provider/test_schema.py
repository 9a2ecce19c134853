"""The properties of a CoveoExtension are declared once; the key lists the operations use follow from them."""

from __future__ import annotations

import dataclasses

from pulumi_search_extensions.coveo.extension import CoveoExtensionArgs
from pulumi_search_extensions.coveo.extension_provider.schema import (
    DEFAULTS,
    KEPT_FIELDS,
    OUTPUT_ONLY_FIELDS,
    REPLACE_FIELDS,
    SENT_FIELDS,
    UPDATE_FIELDS,
    CoveoExtensionProperties,
)


def test_every_argument_is_a_declared_property_and_no_output_is_an_argument() -> None:
    arguments = {f.name for f in dataclasses.fields(CoveoExtensionArgs)}
    properties = {f.name for f in dataclasses.fields(CoveoExtensionProperties)}
    assert arguments == properties - set(OUTPUT_ONLY_FIELDS)


def test_the_key_lists_follow_from_the_declaration() -> None:
    assert REPLACE_FIELDS == ("organization_id", "host")
    assert SENT_FIELDS == ("name", "description", "content_sha256", "required_data_streams", "api_version", "use_vault")
    assert (*SENT_FIELDS, "enabled", "execution_timeout", "api_key") == UPDATE_FIELDS
    assert set(KEPT_FIELDS) == {"organization_id", "host", "region", "api_key", "adopt_id", "script_path"}
    assert DEFAULTS == {
        "description": "",
        "required_data_streams": [],
        "api_version": "v1",
        "use_vault": False,
        "enabled": True,
        "execution_timeout": 5,
    }
