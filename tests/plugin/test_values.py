"""Values between the engine and the operations follow the typed models: properties renamed, map keys kept."""

from __future__ import annotations

from pulumi.provider.experimental.property_value import PropertyValue

from pulumi_search_extensions._inputs import UNKNOWN
from pulumi_search_extensions._properties import camel
from pulumi_search_extensions.coveo.extension_provider.schema import CoveoExtensionProperties
from pulumi_search_extensions.coveo.source_extensions_provider.schema import CoveoSourceExtensionsProperties
from pulumi_search_extensions.plugin.values import from_engine, to_engine


def _value(plain: object) -> PropertyValue:
    if isinstance(plain, dict):
        return PropertyValue({key: _value(item) for key, item in plain.items()})
    if isinstance(plain, list):
        return PropertyValue([_value(item) for item in plain])
    return PropertyValue(float(plain) if isinstance(plain, int) and not isinstance(plain, bool) else plain)


def test_camel_case_is_the_schema_spelling_of_python_names() -> None:
    assert [camel(name) for name in ("api_key", "file_sha256", "name", "pre_conversion")] == [
        "apiKey", "fileSha256", "name", "preConversion",
    ]  # fmt: skip


def test_nested_objects_are_renamed_but_map_keys_are_the_programs_own() -> None:
    engine = {
        "sourceId": _value("src"),
        "preConversion": _value([{"extensionId": "x", "parameters": {"Mode_Name": "a"}, "actionOnError": "SKIP"}]),
        "itemTypes": _value({"Video_Type": {"postConversion": [{"extensionId": "y"}]}}),
        "unknownToTheModel": _value("dropped"),
    }
    assert from_engine(engine, CoveoSourceExtensionsProperties) == {
        "source_id": "src",
        "pre_conversion": [{"extension_id": "x", "parameters": {"Mode_Name": "a"}, "action_on_error": "SKIP"}],
        "item_types": {"Video_Type": {"post_conversion": [{"extension_id": "y"}]}},
    }


def test_numbers_are_integers_where_the_model_says_so_and_unknowns_stay_unknown() -> None:
    props = from_engine({"executionTimeout": _value(5), "content": _value(UNKNOWN)}, CoveoExtensionProperties)
    assert props == {"execution_timeout": 5, "content": UNKNOWN} and isinstance(props["execution_timeout"], int)


def test_outputs_go_back_in_camel_case_with_secrets_marked_and_untyped_values_untouched() -> None:
    outs = to_engine(
        {"api_key": "k", "status": {"duration_health": {"health_indicator": "GOOD"}}, "used_by": [{"source_id": "s"}]},
        CoveoExtensionProperties,
        secrets=frozenset({"api_key"}),
    )
    assert outs["apiKey"] == PropertyValue("k", is_secret=True)
    assert outs["status"] == _value({"duration_health": {"health_indicator": "GOOD"}})  # `Any`: kept as Coveo says
    assert outs["usedBy"] == _value([{"sourceId": "s"}])
    assert to_engine({"content": UNKNOWN}, CoveoExtensionProperties)["content"] == PropertyValue(UNKNOWN)


def test_a_declared_tests_mock_document_keeps_the_test_apis_spelling() -> None:
    document = {"metadata": [{"origin": "crawler", "values": {"file_type": ["html"]}}], "dataStreams": []}
    engine = {"tests": _value([{"name": "t", "document": document, "expect": {"metadata": {"my_field": ["a"]}}}])}
    assert from_engine(engine, CoveoExtensionProperties) == {
        "tests": [{"name": "t", "document": document, "expect": {"metadata": {"my_field": ["a"]}}}]
    }
