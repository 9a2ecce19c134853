"""The properties of an ElasticExtension, declared once in `schema.ElasticExtensionProperties`: what each one is."""

from __future__ import annotations

from dataclasses import fields

from pulumi_search_extensions.elastic.client import ExtensionRequest
from pulumi_search_extensions.elastic.extension import ElasticExtensionArgs
from pulumi_search_extensions.elastic.extension_provider import schema


def test_a_new_type_or_endpoint_replaces_the_extension_and_credentials_are_secrets() -> None:
    assert schema.REPLACE_FIELDS == ("extension_type", "endpoint")
    assert schema.SECRET_FIELDS == ("api_key", "password")


def test_the_inputs_are_the_arguments_plus_the_file_hash_that_check_computes() -> None:
    arguments = tuple(field.name for field in fields(ElasticExtensionArgs))

    assert sorted(schema.INPUT_FIELDS) == sorted((*arguments, "file_sha256"))
    assert set(schema.SENT_FIELDS) < set(schema.INPUT_FIELDS)
    reported = ("extension_id", "url", "file_size", "file_last_modified", "deployments")
    assert ("file_sha256", *reported) == schema.OUTPUT_ONLY_FIELDS  # no program sets them


def test_the_body_sent_on_create_and_update_is_exactly_the_client_request() -> None:
    assert tuple(field.name for field in fields(ExtensionRequest)) == schema.SENT_FIELDS


def test_diff_compares_every_input_but_adopt_id_on_file_change_and_the_path_whose_bytes_it_compares() -> None:
    # adopt_id and on_file_change are choices of how to act, read from the new inputs: changing one alone changes
    # nothing remote. The path is compared through the file's bytes, as file_sha256.
    ignored = ("adopt_id", "file_path", "on_file_change")
    assert tuple(key for key in schema.INPUT_FIELDS if key not in ignored) == schema.COMPARED_FIELDS
    assert "file_sha256" in schema.COMPARED_FIELDS


def test_an_absent_value_compares_as_its_default_and_a_blank_path_as_absent() -> None:
    assert schema.normalized("description", None) == ""
    assert schema.normalized("file_path", "") is None and schema.normalized("download_url", "") is None
    assert schema.normalized("api_key", "") == ""  # a blank key is an error check reports, not an absent one
    assert schema.normalized("insecure", None) is False
