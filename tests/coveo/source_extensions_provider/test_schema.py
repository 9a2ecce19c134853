"""The properties of a CoveoSourceExtensions are declared once; the key lists the operations use follow from them."""

from __future__ import annotations

import dataclasses

from pulumi_search_extensions.coveo.source_extensions import CoveoAppliedExtensionArgs, CoveoSourceExtensionsArgs
from pulumi_search_extensions.coveo.source_extensions_provider.schema import (
    ENTRY_FIELDS,
    FLAG_FIELDS,
    KEPT_FIELDS,
    REPLACE_FIELDS,
    UPDATE_FIELDS,
    CoveoSourceExtensionsProperties,
)


def test_every_argument_is_a_declared_property_and_the_adopted_map_only_an_output() -> None:
    arguments = {f.name for f in dataclasses.fields(CoveoSourceExtensionsArgs)}
    properties = {f.name for f in dataclasses.fields(CoveoSourceExtensionsProperties)}
    assert arguments == properties - {"previous_map"}
    assert tuple(f.name for f in dataclasses.fields(CoveoAppliedExtensionArgs)) == ENTRY_FIELDS


def test_the_key_lists_follow_from_the_declaration() -> None:
    assert REPLACE_FIELDS == ("source_id", "organization_id", "host")
    assert UPDATE_FIELDS == ("pre_conversion", "post_conversion", "item_types", "api_key")
    assert FLAG_FIELDS == ("rebuild", "adopt", "allow_duplicates")
    assert set(KEPT_FIELDS) == {"source_id", "organization_id", "host", "region", "api_key", *FLAG_FIELDS}
