"""CoveoExtension: a Coveo indexing pipeline extension managed by Pulumi (the public resource)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, overload

import pulumi
import pulumi.dynamic

from .._prepare import dynamic_props
from . import stages
from .extension_provider import CoveoExtensionProvider
from .extension_provider.schema import CoveoExtensionProperties
from .extension_tests import CoveoExtensionTestArgs, plain_tests

__all__ = ["CoveoExtension", "CoveoExtensionArgs"]


@dataclass(kw_only=True)
class CoveoExtensionArgs:
    """The arguments of a CoveoExtension. Connection arguments left out fall back to stack config, then the
    environment: `coveo:organizationId` / `COVEO_ORGANIZATION_ID`, `coveo:apiKey` / `COVEO_API_KEY`,
    `coveo:region` / `COVEO_REGION`, `coveo:host` / `COVEO_HOST` (and `coveo:timeout` for the HTTP time limit).
    """

    content: pulumi.Input[str] | None = None
    """The Python 3 script the extension runs on each document, as text. Give exactly one of `content` and
    `script_path`. It is checked to parse (as Python 3.10, Coveo's runtime) before anything is sent. The state
    keeps it once, among the inputs; the outputs keep its hash (`content_sha256`)."""

    script_path: pulumi.Input[str] | None = None
    """The path of a file holding the script (UTF-8), relative to the program's directory or absolute: the way
    for scripts kept in files. The provider reads the file at each preview (an edited file is a planned update)
    and when it creates or updates the extension; the state keeps only the path and the hash."""

    name: pulumi.Input[str] | None = None
    """The extension's name in Coveo. Defaults to the resource name. Names need not be unique."""

    description: pulumi.Input[str] | None = None
    """A description of the extension. Defaults to `""`."""

    required_data_streams: pulumi.Input[list[pulumi.Input[str]]] | None = None
    """The data streams the script reads: any of `BODY_TEXT`, `BODY_HTML`, `THUMBNAIL`, `DOCUMENT_DATA` (the
    original file), `BODY_MARKDOWN`. Order does not matter. Defaults to none."""

    enabled: pulumi.Input[bool] | None = None
    """Whether the extension runs. Defaults to true. The service may disable an extension that keeps timing out;
    a refresh then shows it as a change the next `up` reverts."""

    api_version: pulumi.Input[str] | None = None
    """The extension API version, `v1` (the default) or `v2`."""

    execution_timeout: pulumi.Input[int] | None = None
    """The script's time limit per document, in whole seconds. Defaults to 5, the service's default."""

    organization_id: pulumi.Input[str] | None = None
    """The Coveo organization. Changing it replaces the extension."""

    api_key: pulumi.Input[str] | None = None
    """An API key (or OAuth token) with the Extensions privileges. Always stored as a secret."""

    region: pulumi.Input[str] | None = None
    """The Coveo region whose platform URL to call: `us` (the default), `eu`, `au`, `ca` or `hipaa`."""

    host: pulumi.Input[str] | None = None
    """Any base URL to call instead of a region's: a per-organization admin host
    (`https://<org>.admin.org.coveo.com`), or the emulator. Changing the effective URL replaces the extension."""

    adopt_id: pulumi.Input[str] | None = None
    """The id of an existing extension to take over instead of creating one (read, then brought to the declared
    state; destroyed with the stack like any other). Use it to move from the console or the Coveo CLI, since
    `pulumi import` does not work for this resource. Can be removed once adopted."""

    tests: pulumi.Input[list[pulumi.Input[CoveoExtensionTestArgs | Mapping[str, Any]]]] | None = None
    """Tests of the script, run at every `pulumi preview` with the local runtime and no call to Coveo (see
    `CoveoExtensionTestArgs`): a failing test stops the preview with its name, expected against actual and the
    script's line. Not part of the extension: changing them changes nothing in Coveo."""


class CoveoExtension(pulumi.dynamic.Resource, module="coveo", name="Extension"):
    """A Coveo indexing pipeline extension: its script, settings and state, managed by Pulumi.

    Preview validates the script and settings without calling Coveo; refresh shows edits made in the console or
    by the service (e.g. auto-disabling) as drift; a failed create leaves nothing behind.
    """

    @overload
    def __init__(
        self, resource_name: str, args: CoveoExtensionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        args: None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        content: pulumi.Input[str] | None = None,
        script_path: pulumi.Input[str] | None = None,
        name: pulumi.Input[str] | None = None,
        description: pulumi.Input[str] | None = None,
        required_data_streams: pulumi.Input[list[pulumi.Input[str]]] | None = None,
        enabled: pulumi.Input[bool] | None = None,
        api_version: pulumi.Input[str] | None = None,
        execution_timeout: pulumi.Input[int] | None = None,
        organization_id: pulumi.Input[str] | None = None,
        api_key: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        host: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        tests: pulumi.Input[list[pulumi.Input[CoveoExtensionTestArgs | Mapping[str, Any]]]] | None = None,
    ) -> None: ...

    def __init__(
        self,
        resource_name: str,
        args: CoveoExtensionArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """Declares the extension.

        Args:
            resource_name: the Pulumi name of the resource; also the extension's name unless `name` is given.
            args: the arguments (see `CoveoExtensionArgs`), or give the same fields as keyword arguments.
            opts: options of the resource.
        """
        if args is None:
            args = CoveoExtensionArgs(**kwargs)
        elif kwargs:
            raise TypeError("give either a CoveoExtensionArgs or keyword arguments, not both")
        props, secret_outputs = dynamic_props(CoveoExtensionProperties, resource_name, args)
        props["tests"] = plain_tests(props["tests"])
        super().__init__(
            CoveoExtensionProvider(), resource_name, props, pulumi.ResourceOptions.merge(opts, secret_outputs)
        )
        stages.remember(self.id, resource_name, args.required_data_streams)

    @property
    def extension_id(self) -> pulumi.Output[str]:
        """The extension's id in Coveo (`<organizationId>-<26 characters>`); never changes.

        The resource id itself rather than the `extension_id` output: the id stays known at preview
        while an in-place update is planned, so resources that use it see no change.
        """
        return self.id

    version_id: pulumi.Output[str]
    """The id of the current script version (a new one each time the script changes)."""

    name: pulumi.Output[str]
    """The extension's name as stored by Coveo."""

    description: pulumi.Output[str]
    """The description as stored by Coveo."""

    content: pulumi.Output[str | None]
    """The script as the program declared it in `content` (None with `script_path`). The outputs keep no
    copy of the script: `content_sha256` is the hash of the one Coveo stores."""

    script_path: pulumi.Output[str | None]
    """The path of the script file as recorded (relative to the project's folder when the file is in it)."""

    content_sha256: pulumi.Output[str]
    """Hex SHA-256 of the script's UTF-8 text as Coveo stores it: what refresh and diff compare."""

    required_data_streams: pulumi.Output[list[str]]
    """The required data streams as stored by Coveo, sorted."""

    enabled: pulumi.Output[bool]
    """Whether the extension runs, as stored by Coveo."""

    api_version: pulumi.Output[str]
    """The extension API version as stored by Coveo."""

    execution_timeout: pulumi.Output[int]
    """The time limit per document in seconds, as stored by Coveo."""

    organization_id: pulumi.Output[str]
    """The organization the extension lives in."""

    host: pulumi.Output[str]
    """The base URL the extension is managed through (from `host`, or the region's platform URL)."""

    region: pulumi.Output[str | None]
    """The region as given, if any."""

    api_key: pulumi.Output[str | None]
    """The API key, only when it was given as an argument; always a secret."""

    adopt_id: pulumi.Output[str | None]
    """The id given to adopt, if any."""

    created_date: pulumi.Output[str]
    """When the extension was created, ISO-8601 UTC (`2025-01-31T12:00:00.000Z`)."""

    last_modified: pulumi.Output[str]
    """When the extension last changed, ISO-8601 UTC."""

    status: pulumi.Output[dict[str, Any]]
    """Health, keys in snake_case: `duration_health`, `timeout_health` (`{health_indicator, reason}`),
    `disabled_status` (`{disabled_date, reason}`, `{}` while enabled), `timeout_likeliness` and
    `last_auto_disabling_date` when the service gives them. The day's execution counters
    (`dailyStatistics`) are left out: they change all day, so every refresh would report them as a change."""

    used_by: pulumi.Output[list[dict[str, str]]]
    """The sources that apply the extension: `[{source_id, source_name}]`."""
