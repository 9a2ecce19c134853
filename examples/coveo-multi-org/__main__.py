"""The same Coveo indexing pipeline extension in two organizations, possibly in two regions, from one program.

Each resource names its own organization, API key and location with explicit connection arguments
(`organization_id`, `api_key`, `region` or `host`), so the `coveo:*` stack config is not needed at all.
Stack config of this project (`pulumi config set <key> <value>`):

| key                                          | what                                                  |
|----------------------------------------------|-------------------------------------------------------|
| `primaryOrganizationId`, `secondaryOrganizationId` | the two organizations                            |
| `primaryApiKey`, `secondaryApiKey` (secrets) | an API key of each organization                       |
| `primaryRegion`, `secondaryRegion`           | `us`, `eu`, `au`, `ca` or `hipaa` (default `us`)      |
| `primaryHost`, `secondaryHost`               | a base URL instead of a region (e.g. the emulator)    |
"""

from __future__ import annotations

import pulumi

from pulumi_search_extensions import CoveoExtension

config = pulumi.Config()

SCRIPT = """\
# Records which organization indexed the document (useful when two organizations index the same content).
document.add_meta_data({"indexedby": "%(label)s"})
"""


def location(prefix: str) -> dict[str, str]:
    """Where the organization's API lives: an explicit host wins, else the region (default `us`)."""
    host = config.get(f"{prefix}Host")
    if host:
        return {"host": host}
    return {"region": config.get(f"{prefix}Region") or "us"}


for label in ("primary", "secondary"):
    extension = CoveoExtension(
        f"{label}-indexed-by",
        name="indexed-by",
        content=SCRIPT % {"label": label},
        description=f"Tags documents indexed by the {label} organization",
        organization_id=config.require(f"{label}OrganizationId"),
        api_key=config.require_secret(f"{label}ApiKey"),
        **location(label),
    )
    pulumi.export(f"{label}_organization_id", extension.organization_id)
    pulumi.export(f"{label}_extension_id", extension.extension_id)
