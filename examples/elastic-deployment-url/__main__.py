"""Passing an extension on to a deployment: its `url` (`repo://<id>`) is what a deployment plan references.

An Elasticsearch deployment only loads a custom bundle or plugin that its plan lists, under
`plan.elasticsearch.user_bundles` (or `user_plugins`), each entry `{name, url, elasticsearch_version}`; a
plan pointing anywhere but the extension's `repo://` URL is rejected. This program uploads a stop-words
bundle and exports the plan fragment built from its outputs, exactly what you put in the deployment's plan
(or in `ec.Deployment(elasticsearch={"extensions": [...]})` from the `pulumi_ec` package, whose entries
are `{name, type, version, url}`; that one is exported too).

A new file is rolled out the way Elastic recommends for an extension in use (`on_file_change="replace"`): a
new extension is created with it, the exported plan fragment moves to its `url` in the same `pulumi up`, and
the old extension is deleted last (while a deployment still uses it, the delete fails and the next `up`, once
the deployment runs the new plan, finishes it).

Stack config: `elasticsearchVersion`, the deployment's exact version (default `8.15.0`); `stopwordsFile`, the
bundle's zip, relative to this folder (default `../assets/stopwords-bundle.zip`).
"""

from pathlib import Path

import pulumi

from pulumi_search_extensions import ElasticExtension

config = pulumi.Config()
ELASTICSEARCH_VERSION = config.get("elasticsearchVersion") or "8.15.0"
BUNDLE = (Path(__file__).resolve().parent / (config.get("stopwordsFile") or "../assets/stopwords-bundle.zip")).resolve()

stopwords = ElasticExtension(
    "stopwords",
    name="stopwords",
    extension_type="bundle",
    # The bundle suits every release of the major version; the plan entry names the deployment's own.
    version=ELASTICSEARCH_VERSION.split(".")[0] + ".*",
    description="Stop words for the product search analyzers",
    file_path=str(BUNDLE),
    # A new file makes a new extension, which the plan below moves to; the old one is deleted last.
    on_file_change="replace",
)

user_bundle = pulumi.Output.all(stopwords.name, stopwords.url).apply(
    lambda values: {"name": values[0], "url": values[1], "elasticsearch_version": ELASTICSEARCH_VERSION}
)

# The `plan.elasticsearch` part of an Elasticsearch resource of a deployment create/update request.
pulumi.export(
    "elasticsearch_plan",
    {"version": ELASTICSEARCH_VERSION, "user_bundles": [user_bundle], "user_plugins": []},
)
# The same reference as the `extensions` entry of `pulumi_ec.Deployment`'s `elasticsearch` argument.
pulumi.export(
    "ec_deployment_extension",
    {"name": stopwords.name, "type": stopwords.extension_type, "version": stopwords.version, "url": stopwords.url},
)
pulumi.export("extension_id", stopwords.extension_id)
pulumi.export("url", stopwords.url)
