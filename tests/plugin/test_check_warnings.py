"""A preview warning of `check` through the provider plugin: sent to the engine's log, shown on the resource.

The plugin's stdout is not shown to users (the dynamic provider's is), so the plugin collects what `check`
warns about and logs it to the engine as a warning on the resource, in the run's output and its Diagnostics.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pulumi import automation as auto

from support.calls import vendor_calls
from support.files import make_zip
from support.stacks import StackFactory, quiet

from .programs import ELASTIC_EXTENSION, plugin_stack_config, resource

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

pytestmark = pytest.mark.e2e


def test_an_archive_warning_reaches_the_engine_as_a_warning_on_the_resource(
    new_stack: StackFactory, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    # A dictionary at the bundle's root: legal, but Elastic documents dictionaries/ (an inferred rule).
    archive = make_zip(tmp_path / "stopwords.zip", {"stopwords.txt": "a\nthe\n"})
    plain, secret = plugin_stack_config(clean_emulator)

    def program() -> None:
        resource(
            ELASTIC_EXTENSION, "stopwords", {"extensionType": "bundle", "version": "8.*", "filePath": str(archive)}
        )

    stack = new_stack(program, config=plain, secrets=secret)
    warnings: list[tuple[str, str]] = []

    def on_event(event: auto.EngineEvent) -> None:
        diagnostic = event.diagnostic_event
        if diagnostic is not None and diagnostic.severity == "warning":
            warnings.append(((diagnostic.urn or "").rsplit("::", 1)[-1], diagnostic.message))

    preview = stack.preview(on_output=quiet, on_event=on_event)

    assert preview.change_summary == {"create": 2}
    assert [(name, message.strip()) for name, message in warnings if "dictionaries/" in message] == [
        (
            "stopwords",
            "file_path: the bundle has 'stopwords.txt' at its root: dictionaries (synonyms, stop words) go in a "
            "dictionaries/ folder at the zip's root; move them there and reference them as documented, or ignore "
            "this if the file is not a dictionary",
        )
    ]
    assert vendor_calls(clean_emulator) == {}
