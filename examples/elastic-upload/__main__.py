"""An Elastic Cloud custom bundle uploaded from a local zip: a synonyms dictionary for the search analyzers.

The provider hashes the zip at every preview: change the file and `pulumi preview` shows an update (the
same extension, a new upload); leave it alone and nothing is sent. The zip holds
`analysis/synonyms.txt`, which an analyzer references as `synonyms_path: analysis/synonyms.txt` once a
deployment's plan lists the bundle (see the elastic-deployment-url example).
"""

from pathlib import Path

import pulumi

from pulumi_search_extensions import ElasticExtension

config = pulumi.Config()
BUNDLE = Path(__file__).resolve().parent.parent / "assets" / "synonyms-bundle.zip"

synonyms = ElasticExtension(
    "synonyms",
    name="synonyms",
    extension_type="bundle",
    version=config.get("elasticsearchVersion") or "8.*",
    description="Synonyms dictionary for the product search analyzers",
    file_path=str(BUNDLE),
)

pulumi.export("extension_id", synonyms.extension_id)
pulumi.export("url", synonyms.url)
pulumi.export("file_size", synonyms.file_size)
pulumi.export("file_sha256", synonyms.file_sha256)
