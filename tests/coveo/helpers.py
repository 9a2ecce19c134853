"""What the Coveo tests share beyond `tests/support`: a valid script and valid inputs."""

from __future__ import annotations

from typing import Any

from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider
from support import providers

SCRIPT = "document.add_meta_data({'cleaned': True})\n"


def checked(provider: CoveoExtensionProvider, **inputs: Any) -> dict[str, Any]:
    """The checked inputs of a valid CoveoExtension with `inputs` on top (fails the test on any check failure)."""
    return providers.checked(provider, {"name": "cleaner", "content": SCRIPT, **inputs})
