"""An extension tested before it runs, through the real Pulumi CLI and engine: a failing declared test stops
`pulumi preview` with no API call; fixed, the program deploys; a document pushed to the source then holds what
the extension adds, and one the condition does not match is left untouched."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from pulumi import automation as auto

from pulumi_search_extensions import CoveoExtension, CoveoSourceExtensions
from support.calls import vendor_calls
from support.stacks import StackFactory, quiet

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

pytestmark = pytest.mark.e2e

BROKEN = "section = parameters.get('section', 'public')\ndocument.add_meta_data({'section': sectoin})\n"
FIXED = "section = parameters.get('section', 'public')\ndocument.add_meta_data({'section': section})\n"

TESTS = [
    {
        "name": "tags a page with the section it is given",
        "document": {"metadata": [{"origin": "crawler", "values": {"filetype": ["html"]}}]},
        "parameters": {"section": "intranet"},
        "expect": {"status": "SUCCESS", "metadata": {"section": ["intranet"]}},
    }
]


def tagged_program(script: str, source_id: str) -> auto.PulumiFn:
    def program() -> None:
        tagger = CoveoExtension("section-tagger", content=script, tests=TESTS)
        entry = {"extension_id": tagger.extension_id, "condition": '%[filetype] == "html"'}
        CoveoSourceExtensions(
            "web", source_id=source_id, post_conversion=[{**entry, "parameters": {"section": "docs"}}]
        )

    return program


def page(uri: str, filetype: str) -> dict[str, Any]:
    return {"id": uri, "metadata": [{"origin": "crawler", "values": {"filetype": [filetype]}}]}


def test_a_failing_declared_test_stops_preview_then_the_fixed_extension_deploys_and_runs_on_pushed_documents(
    new_stack: StackFactory, clean_emulator: EmulatorHandle
) -> None:
    org = clean_emulator.coveo_organization_id
    source = clean_emulator.admin.create_source(org, "web")
    plain, secret = clean_emulator.stack_config()
    stack = new_stack(tagged_program(BROKEN, source["id"]), config=plain, secrets=secret)

    clean_emulator.admin.clear_requests()
    with pytest.raises(auto.CommandError) as failed:
        stack.preview(on_output=quiet)
    message = str(failed.value)
    assert "test 'tags a page with the section it is given' failed: expected status SUCCESS, got EXECUTION_ERROR" in (
        message
    )
    assert "at line 2: `document.add_meta_data({'section': sectoin})`" in message
    assert "NameError: name 'sectoin' is not defined" in message
    assert vendor_calls(clean_emulator) == {}  # no API call

    stack.workspace.program = tagged_program(FIXED, source["id"])
    assert stack.up(on_output=quiet).summary.resource_changes == {"create": 3}

    html_item = clean_emulator.admin.push_document(org, source["id"], page("https://example.com/a", "html"))
    pdf_item = clean_emulator.admin.push_document(org, source["id"], page("https://example.com/b.pdf", "pdf"))
    assert html_item["fields"]["section"] == ["docs"]  # the source entry's parameters
    assert html_item["extensions"][0]["status"] == "SUCCESS"
    assert pdf_item["fields"] == {"filetype": ["pdf"]}  # the condition does not match: untouched
    assert pdf_item["extensions"][0]["status"] == "SKIPPED"
    assert [item["id"] for item in clean_emulator.admin.documents(org, source["id"])] == [
        "https://example.com/a",
        "https://example.com/b.pdf",
    ]

    assert stack.destroy(on_output=quiet).summary.resource_changes == {"delete": 3}
