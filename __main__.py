"""The demo program: one Coveo extension and two Elastic bundles (one uploaded, one fetched by the service).

`make demo` runs it against the bundled emulator. Pointed at real accounts (a stack of its own: README, "Going
to real accounts"), only stack config changes: `coveo:region` (or `coveo:host`, never both),
`coveo:organizationId`, `coveo:apiKey` (secret), `ec:endpoint`, `ec:apikey` (secret) and `demo:bundleUrl`.
"""

from pathlib import Path

import pulumi

from pulumi_search_extensions import CoveoExtension, ElasticExtension

ASSETS = Path(__file__).resolve().parent / "examples" / "assets"
config = pulumi.Config("demo")

title_normalizer = CoveoExtension(
    "title-normalizer",
    script_path=str(ASSETS / "normalize_title.py"),  # read by the provider: the state keeps the path and hash
    description="Normalizes titles and tags the source system",
    required_data_streams=["BODY_TEXT"],
)

synonyms = ElasticExtension(
    "synonyms-bundle",
    extension_type="bundle",
    version="8.*",
    description="Synonym dictionary for the search analyzers",
    file_path=str(ASSETS / "synonyms-bundle.zip"),
)

stopwords = ElasticExtension(
    "stopwords-bundle",
    extension_type="bundle",
    version="8.*",
    description="Stop words, fetched by the service from a URL",
    download_url=config.require("bundleUrl"),
)

pulumi.export("coveo_extension_id", title_normalizer.extension_id)
pulumi.export("coveo_version_id", title_normalizer.version_id)
pulumi.export("synonyms_url", synonyms.url)
pulumi.export("synonyms_sha256", synonyms.file_sha256)
pulumi.export("stopwords_url", stopwords.url)
