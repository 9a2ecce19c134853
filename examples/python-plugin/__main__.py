"""The three resources from Python through the `search-extensions` provider plugin, by type token.

This is how every Pulumi language sees the plugin: resources `search-extensions:<module>:<Type>` with camelCase
properties, and provider config `search-extensions:*`. Python programs normally use the dynamic resources
(`from pulumi_search_extensions import CoveoExtension`); the plugin is for what they cannot do: `pulumi import`,
property-level diffs in previews, `customTimeouts`. For typed classes, generate the SDK:
`pulumi package gen-sdk ../../.venv/bin/pulumi-resource-search-extensions --language python`.

Stack config of this project:

| key           | what                                                          |
|---------------|---------------------------------------------------------------|
| `sourceId`    | the id of the source to run the extension                     |
| `description` | optional, the extension's description                         |
"""

from pathlib import Path

import pulumi

ASSETS = Path(__file__).resolve().parent.parent / "assets"
config = pulumi.Config()

normalize_title = pulumi.CustomResource(
    "search-extensions:coveo:Extension",
    "normalize-title",
    {
        "name": "normalize-title",
        "content": (ASSETS / "normalize_title.py").read_text(encoding="utf-8"),
        "description": config.get("description") or "Normalizes the title and records the source system",
        "versionId": None,  # an output to read back
    },
    # What a dynamic resource cannot honour: the create must finish within a minute.
    pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(create="1m")),
)

pulumi.CustomResource(
    "search-extensions:coveo:SourceExtensions",
    "web-pages",
    {
        "sourceId": config.require("sourceId"),
        "postConversion": [
            {"extensionId": normalize_title.id, "condition": "%[title]", "parameters": {"system": "web"}}
        ],
    },
)

synonyms = pulumi.CustomResource(
    "search-extensions:elastic:Extension",
    "synonyms",
    {
        "extensionType": "bundle",
        "version": "8.*",
        "description": "Synonyms for product search",
        "filePath": str(ASSETS / "synonyms-bundle.zip"),
        "url": None,
    },
)

pulumi.export("extension_id", normalize_title.id)
pulumi.export("version_id", normalize_title.versionId)  # type: ignore[attr-defined]
pulumi.export("bundle_url", synonyms.url)  # type: ignore[attr-defined]
