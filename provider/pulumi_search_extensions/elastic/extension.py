"""`ElasticExtension`: an Elastic Cloud (or ECE) custom plugin or bundle, managed from a Pulumi program."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .._prepare import dynamic_props
from .extension_provider.provider import ElasticExtensionProvider
from .extension_provider.schema import ElasticExtensionProperties, default_extension_name

__all__ = ["ElasticExtension", "ElasticExtensionArgs", "default_extension_name"]


@dataclass(kw_only=True)
class ElasticExtensionArgs:
    """The arguments of an `ElasticExtension`. Give at most one of `download_url` and `file_path`."""

    extension_type: pulumi.Input[str]
    """`bundle` or `plugin`. The service cannot change it: a new value replaces the extension."""

    version: pulumi.Input[str]
    """The Elasticsearch version it works with: exactly `x.y.z` for a plugin; a bundle may use wildcards
    such as `8.*` or `*`."""

    name: pulumi.Input[str] | None = None
    """The extension's name (ASCII letters, digits, `_`, `.`, `-`). Defaults to the resource name with any
    other character replaced by `-`."""

    description: pulumi.Input[str] | None = None
    """Free text shown in the console. Defaults to ""."""

    download_url: pulumi.Input[str] | None = None
    """An http(s) URL the service fetches the zip file from, directly (no auth, no redirects). The way to
    go past the upload limit."""

    file_path: pulumi.Input[str] | None = None
    """A local zip file the provider uploads (relative to the program's folder, or absolute). Its SHA-256 is
    computed at every preview: changed bytes are planned as an update and uploaded again; the same bytes at
    another path (a moved file, another clone) are no change. Recorded relative to the project's folder."""

    on_file_change: pulumi.Input[str] | None = None
    """What a changed file (a new `file_path` content or `download_url`) does. `"update"` (the default) replaces
    the file of the extension, which keeps its id and `url`; deployments load it at their next node restart.
    `"replace"` is Elastic's safe way for an extension in use: a new extension is created with the new file,
    whatever uses `url` or `extension_id` moves to it in the same `pulumi up`, and the old extension is
    deleted last (while a deployment still uses it the delete fails, and the next `pulumi up` finishes it)."""

    adopt_id: pulumi.Input[str] | None = None
    """The id of an existing extension to take over instead of creating one (then brought to the declared
    state and deleted with the stack). Only read at creation: a replacement makes a new extension."""

    api_key: pulumi.Input[str] | None = None
    """API key (secret). Defaults to stack config `ec:apikey`, then `$EC_API_KEY`."""

    endpoint: pulumi.Input[str] | None = None
    """The API host, with or without `/api/v1`. Defaults to `ec:endpoint`, `$EC_ENDPOINT` or `$EC_HOST`,
    then `https://api.elastic-cloud.com`. A change replaces the extension."""

    username: pulumi.Input[str] | None = None
    """ECE basic-auth user when there is no API key. Defaults to `ec:username`, `$EC_USERNAME`, `$EC_USER`."""

    password: pulumi.Input[str] | None = None
    """ECE basic-auth password (secret). Defaults to `ec:password`, `$EC_PASSWORD`, `$EC_PASS`."""

    insecure: pulumi.Input[bool] | None = None
    """Skip TLS verification (self-signed ECE). Defaults to `ec:insecure`, `$EC_INSECURE`."""


class ElasticExtension(Resource, module="elastic", name="Extension"):
    """An Elastic Cloud custom extension (a plugin or a bundle), its metadata and its zip file.

    Reference it from a deployment plan through `url`. Connection settings not given as arguments come
    from stack config (`ec:*`, the keys of Elastic's Pulumi provider) or the `EC_*` environment variables.
    """

    def __init__(
        self,
        resource_name: str,
        args: ElasticExtensionArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """Declares the extension.

        Args:
            resource_name: the Pulumi name of the resource (also the default extension `name`).
            args: the arguments; or give the same fields as keyword arguments instead.
            opts: options for the resource.
        """
        if args is not None and kwargs:
            raise TypeError("give either an ElasticExtensionArgs or keyword arguments, not both")
        resolved = args if args is not None else ElasticExtensionArgs(**kwargs)
        props, secret_opts = dynamic_props(ElasticExtensionProperties, resource_name, resolved)
        super().__init__(
            ElasticExtensionProvider(), resource_name, props, pulumi.ResourceOptions.merge(opts, secret_opts)
        )
        for message in ElasticExtensionProvider.operations.preview_warnings(props):  # as the plugin's check warns
            pulumi.log.warn(message, resource=self)

    extension_id: pulumi.Output[str]
    """The service's id of the extension (a numeric string)."""

    url: pulumi.Output[str]
    """`repo://<id>`: the value a deployment plan references (`user_bundles` / `user_plugins`)."""

    file_size: pulumi.Output[int | None]
    """Size in bytes of the stored file, or None before any upload or fetch."""

    file_last_modified: pulumi.Output[str | None]
    """When the stored file last changed (ISO-8601 UTC), as the service reports it."""

    file_sha256: pulumi.Output[str | None]
    """SHA-256 of the uploaded `file_path` (computed by the provider), or None."""

    deployments: pulumi.Output[list[str]]
    """Ids of the deployments whose plans use the extension."""

    name: pulumi.Output[str]
    """See `ElasticExtensionArgs.name`."""

    extension_type: pulumi.Output[str]
    """See `ElasticExtensionArgs.extension_type`."""

    version: pulumi.Output[str]
    """See `ElasticExtensionArgs.version`."""

    description: pulumi.Output[str]
    """See `ElasticExtensionArgs.description`."""

    download_url: pulumi.Output[str | None]
    """See `ElasticExtensionArgs.download_url`."""

    file_path: pulumi.Output[str | None]
    """See `ElasticExtensionArgs.file_path` (recorded relative to the project's folder when the file is in it)."""

    on_file_change: pulumi.Output[str]
    """See `ElasticExtensionArgs.on_file_change`."""

    adopt_id: pulumi.Output[str | None]
    """See `ElasticExtensionArgs.adopt_id`."""

    endpoint: pulumi.Output[str]
    """The endpoint in use (argument, stack config, environment or default), without `/api/v1`."""

    username: pulumi.Output[str | None]
    """See `ElasticExtensionArgs.username`."""

    insecure: pulumi.Output[bool | None]
    """See `ElasticExtensionArgs.insecure`."""
