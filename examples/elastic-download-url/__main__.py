"""An Elastic Cloud custom plugin that the service fetches itself from a URL (`download_url`).

Nothing is uploaded from this machine: Elastic copies the file into its own repository when the extension
is created, and again whenever `download_url` changes. A plugin is built for one exact Elasticsearch
version, so `version` is `x.y.z` (a bundle may use wildcards). Stack config of this project:

| key                    | what                                                            |
|------------------------|-----------------------------------------------------------------|
| `pluginUrl`            | an http(s) URL the service can fetch directly (no auth, no redirect) |
| `elasticsearchVersion` | the plugin's Elasticsearch version (default `8.15.0`)           |
"""

import pulumi

from pulumi_search_extensions import ElasticExtension

config = pulumi.Config()

analysis_plugin = ElasticExtension(
    "analysis-plugin",
    name="analysis-plugin",
    extension_type="plugin",
    version=config.get("elasticsearchVersion") or "8.15.0",
    description="Custom analysis plugin, fetched by the service from its release URL",
    download_url=config.require("pluginUrl"),
)

pulumi.export("extension_id", analysis_plugin.extension_id)
pulumi.export("url", analysis_plugin.url)
pulumi.export("download_url", analysis_plugin.download_url)
pulumi.export("file_size", analysis_plugin.file_size)
