"""The public surface of ElasticExtension that needs no engine (the rest is in tests/e2e)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import dill
import pytest

from pulumi_search_extensions import ElasticExtension, ElasticExtensionArgs
from pulumi_search_extensions.elastic.extension import default_extension_name
from pulumi_search_extensions.elastic.extension_provider.provider import ElasticExtensionProvider
from pulumi_search_extensions.elastic.extension_provider.schema import OUTPUT_ONLY_FIELDS, SECRET_FIELDS
from support.providers import configured_provider

from .helpers import checked


def test_the_default_name_is_the_resource_name_made_valid() -> None:
    assert default_extension_name("synonyms bundle/v2") == "synonyms-bundle-v2"
    assert default_extension_name("ok_name-1.2") == "ok_name-1.2"


def test_args_are_keyword_only_with_required_fields_first() -> None:
    with pytest.raises(TypeError):
        ElasticExtensionArgs("bundle", "8.*")  # type: ignore[misc]
    args = ElasticExtensionArgs(extension_type="bundle", version="8.*")
    assert (args.name, args.description, args.file_path) == (None, None, None)


def test_the_resource_takes_args_or_keywords_but_not_both() -> None:
    args = ElasticExtensionArgs(extension_type="bundle", version="8.*")
    with pytest.raises(TypeError, match="not both"):
        ElasticExtension("synonyms", args, version="7.*")
    with pytest.raises(TypeError, match="unexpected keyword argument 'file_hash'"):
        ElasticExtension("synonyms", extension_type="bundle", version="8.*", file_hash="abc")


def test_the_provider_keeps_no_state_so_nothing_secret_is_pickled_into_pulumi_state() -> None:
    provider = configured_provider(
        ElasticExtensionProvider, {"ec:apikey": "very-secret-key", "ec:password": "very-secret-password"}
    )

    assert vars(provider) == {}
    pickled = dill.dumps(provider, recurse=True)
    assert b"very-secret" not in pickled


def test_every_output_of_the_provider_is_an_argument_or_a_property_the_resource_declares_empty(
    provider: ElasticExtensionProvider, zip_file: Path
) -> None:
    outs = provider.create(checked(provider, file_path=str(zip_file))).outs or {}

    arguments = {field.name for field in fields(ElasticExtensionArgs)}
    assert set(outs) == arguments | set(OUTPUT_ONLY_FIELDS)
    assert not arguments & set(OUTPUT_ONLY_FIELDS) and set(SECRET_FIELDS) <= arguments
