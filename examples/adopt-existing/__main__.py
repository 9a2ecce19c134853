"""Adopting extensions that already exist (made in a console, a script or another tool) with `adopt_id`.

`pulumi import` and the `import_` resource option do not work for dynamic resources, so each resource takes
`adopt_id`: at creation the provider reads that existing extension and brings it to the declared state
(an update where they differ) instead of creating a new one. From then on it is an ordinary managed
resource: later changes are updates, and `pulumi destroy` deletes it (add `retain_on_delete=True` to keep
it when the stack goes away). Changing `adopt_id` afterwards has no effect.

Stack config of this project:

| key                  | what                                                          |
|----------------------|---------------------------------------------------------------|
| `coveoExtensionId`   | the id of an existing Coveo extension (`<orgId>-<26 chars>`)   |
| `elasticExtensionId` | the id of an existing Elastic Cloud extension (digits)         |
| `coveoDescription`   | optional: the Coveo extension's description                   |
"""

from pathlib import Path

import pulumi

from pulumi_search_extensions import CoveoExtension, ElasticExtension

config = pulumi.Config()
ASSETS = Path(__file__).resolve().parent.parent / "assets"

title_normalizer = CoveoExtension(
    "title-normalizer",
    adopt_id=config.require("coveoExtensionId"),
    name="title-normalizer",
    content=(ASSETS / "normalize_title.py").read_text(encoding="utf-8"),
    description=config.get("coveoDescription") or "Normalizes titles (managed by Pulumi since its adoption)",
    required_data_streams=["BODY_TEXT"],
)

synonyms = ElasticExtension(
    "synonyms",
    adopt_id=config.require("elasticExtensionId"),
    name="synonyms",
    extension_type="bundle",
    version="8.*",
    description="Synonyms dictionary (managed by Pulumi since its adoption)",
    file_path=str(ASSETS / "synonyms-bundle.zip"),
)

pulumi.export("coveo_extension_id", title_normalizer.extension_id)
pulumi.export("coveo_version_id", title_normalizer.version_id)
pulumi.export("elastic_extension_id", synonyms.extension_id)
pulumi.export("elastic_url", synonyms.url)
