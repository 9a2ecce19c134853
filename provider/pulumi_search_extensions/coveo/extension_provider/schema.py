"""The fields of a CoveoExtension, declared once: names, defaults, allowed values, and the mapping between
the resource's properties (snake_case) and Coveo's ExtensionModel (camelCase).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Annotated, Any

import pulumi

from ..._properties import camel, defaults, names, prop, properties_model
from ..client import Extension
from ..extension_tests import CoveoExtensionTestArgs
from .script import script_of, sha256_text

DATA_STREAMS = ("BODY_TEXT", "BODY_HTML", "THUMBNAIL", "DOCUMENT_DATA", "BODY_MARKDOWN")
API_VERSIONS = ("v1", "v2")
LANGUAGE = "PYTHON3"
DEFAULT_EXECUTION_TIMEOUT = 5  # seconds: the service's own default


@dataclass(frozen=True)
class CoveoExtensionUseProperties:
    """A source that runs the extension (an entry of `used_by`)."""

    source_id: str = field(metadata=prop())
    """The id of the source."""
    source_name: str = field(metadata=prop())
    """The name of the source."""


@dataclass(frozen=True)
class CoveoExtensionTestProperties:
    """A test of an extension (an entry of `tests`): a mock document, parameters, and what to expect."""

    name: str = field(metadata=prop())
    document: dict[str, Any] | None = field(metadata=prop(default={}))
    parameters: dict[str, str] | None = field(metadata=prop(default={}))
    stage: str | None = field(metadata=prop(default="post_conversion"))
    expect: CoveoExtensionExpectationProperties | None = field(metadata=prop())


@dataclass(frozen=True)
class CoveoExtensionExpectationProperties:
    """What a test expects of the run (the `expect` of an entry of `tests`)."""

    status: str | None = field(metadata=prop(default="SUCCESS"))
    metadata: dict[str, Any] | None = field(metadata=prop())
    logs: list[str] | None = field(metadata=prop())


@dataclass(kw_only=True)
class CoveoExtensionArgs:
    """The arguments of a CoveoExtension. Connection arguments left out fall back to stack config, then the
    environment: `coveo:organizationId` / `COVEO_ORGANIZATION_ID`, `coveo:apiKey` / `COVEO_API_KEY`,
    `coveo:region` / `COVEO_REGION`, `coveo:host` / `COVEO_HOST` (and `coveo:timeout` for the HTTP time limit).
    """

    content: pulumi.Input[str] | None = field(default=None, metadata=prop())
    """The Python 3 script the extension runs on each document, as text. Give exactly one of `content` and
    `script_path`. It is checked to parse (as Python 3.10, Coveo's runtime) before anything is sent. The state
    keeps it once, among the inputs; the outputs keep its hash (`content_sha256`)."""

    script_path: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True, local_path=True))
    """The path of a file holding the script (UTF-8), relative to the program's directory or absolute: the way
    for scripts kept in files. The provider reads the file at each preview (an edited file is a planned update)
    and when it creates or updates the extension; the state keeps only the path and the hash."""

    name: pulumi.Input[str] | None = field(default=None, metadata=prop(sent=True, from_resource_name=str))
    """The extension's name in Coveo. Defaults to the resource name. Names need not be unique."""

    description: pulumi.Input[str] | None = field(default=None, metadata=prop(sent=True, default=""))
    """A description of the extension. Defaults to `""`."""

    required_data_streams: pulumi.Input[list[pulumi.Input[str]]] | None = field(
        default=None, metadata=prop(sent=True, default=[])
    )
    """The data streams the script reads: any of `BODY_TEXT`, `BODY_HTML`, `THUMBNAIL`, `DOCUMENT_DATA` (the
    original file), `BODY_MARKDOWN`. Order does not matter. Defaults to none."""

    enabled: pulumi.Input[bool] | None = field(default=None, metadata=prop(declared=True, default=True))
    """Whether the extension runs. Defaults to true. The service may disable an extension that keeps timing out;
    a refresh then shows it as a change the next `up` reverts."""

    api_version: pulumi.Input[str] | None = field(default=None, metadata=prop(sent=True, default="v1"))
    """The extension API version, `v1` (the default) or `v2`."""

    use_vault: pulumi.Input[bool] | None = field(default=None, metadata=prop(sent=True, default=False))
    """Whether the script may read the organization's vault parameters. Defaults to false."""

    execution_timeout: pulumi.Input[int] | None = field(
        default=None, metadata=prop(declared=True, default=DEFAULT_EXECUTION_TIMEOUT)
    )
    """The script's time limit per document, in whole seconds. Defaults to 5, the service's default."""

    organization_id: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True, replaces=True))
    """The Coveo organization. Changing it replaces the extension."""

    api_key: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True, credential=True, secret=True))
    """An API key (or OAuth token) with the Extensions privileges. Always stored as a secret."""

    region: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True))
    """The Coveo region whose platform URL to call: `us` (the default), `eu`, `au`, `ca` or `hipaa`."""

    host: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True, replaces=True))
    """Any base URL to call instead of a region's: a per-organization admin host
    (`https://<org>.admin.org.coveo.com`), or the emulator. Changing the effective URL replaces the extension."""

    adopt_id: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True))
    """The id of an existing extension to take over instead of creating one (read, then brought to the declared
    state; destroyed with the stack like any other). Use it to move from the console or the Coveo CLI, since
    `pulumi import` does not work for this resource. Can be removed once adopted."""

    tests: pulumi.Input[list[pulumi.Input[CoveoExtensionTestArgs | Mapping[str, Any]]]] | None = field(
        default=None, metadata=prop()
    )
    """Tests of the script, run at every `pulumi preview` with the local runtime and no call to Coveo (see
    `CoveoExtensionTestArgs`): a failing test stops the preview with its name, expected against actual and the
    script's line. Not part of the extension: changing them changes nothing in Coveo."""


class CoveoExtensionOutputs:
    """The outputs of a CoveoExtension, in the order of its properties. With `CoveoExtensionArgs`, the one
    declaration of the resource: each property's type, doc and kind, from which the plugin's schema and
    conversions, the key lists below and the EditExtensionModel follow."""

    name: pulumi.Output[str]
    """The extension's name as stored by Coveo."""

    description: pulumi.Output[str]
    """The description as stored by Coveo."""

    content: pulumi.Output[str | None]
    """The script as the program declared it in `content` (None with `script_path`). The outputs keep no
    copy of the script: `content_sha256` is the hash of the one Coveo stores."""

    script_path: pulumi.Output[str | None]
    """The path of the script file as recorded (relative to the project's folder when the file is in it)."""

    content_sha256: Annotated[pulumi.Output[str], prop(sent=True, output_only=True)]
    """Hex SHA-256 of the script's UTF-8 text as Coveo stores it: what refresh and diff compare."""

    required_data_streams: pulumi.Output[list[str]]
    """The required data streams as stored by Coveo, sorted."""

    api_version: pulumi.Output[str]
    """The extension API version as stored by Coveo."""

    use_vault: pulumi.Output[bool]
    """Whether the script may read vault parameters, as stored by Coveo."""

    enabled: pulumi.Output[bool]
    """Whether the extension runs, as stored by Coveo."""

    execution_timeout: pulumi.Output[int]
    """The time limit per document in seconds, as stored by Coveo."""

    adopt_id: pulumi.Output[str | None]
    """The id given to adopt, if any."""

    organization_id: pulumi.Output[str]
    """The organization the extension lives in."""

    host: pulumi.Output[str]
    """The base URL the extension is managed through (from `host`, or the region's platform URL)."""

    region: pulumi.Output[str | None]
    """The region as given, if any."""

    api_key: pulumi.Output[str | None]
    """The API key, only when it was given as an argument; always a secret."""

    extension_id: pulumi.Output[str]
    """The extension's id in Coveo (`<organizationId>-<26 characters>`); never changes."""

    version_id: pulumi.Output[str]
    """The id of the current script version (a new one each time the script changes)."""

    created_date: pulumi.Output[str]
    """When the extension was created, ISO-8601 UTC (`2025-01-31T12:00:00.000Z`)."""

    last_modified: pulumi.Output[str]
    """When the extension last changed, ISO-8601 UTC."""

    status: pulumi.Output[dict[str, Any]]
    """Health, keys in snake_case: `duration_health`, `timeout_health` (`{health_indicator, reason}`),
    `disabled_status` (`{disabled_date, reason}`, `{}` while enabled), `timeout_likeliness` and
    `last_auto_disabling_date` when the service gives them. The day's execution counters
    (`dailyStatistics`) are left out: they change all day, so every refresh would report them as a change."""

    used_by: Annotated[pulumi.Output[list[dict[str, str]]], list[CoveoExtensionUseProperties]]
    """The sources that apply the extension: `[{source_id, source_name}]`."""

    tests: Annotated[pulumi.Output[list[dict[str, Any]] | None], list[CoveoExtensionTestProperties] | None]
    """The tests as declared (see `CoveoExtensionArgs.tests`)."""


CoveoExtensionProperties = properties_model("CoveoExtensionProperties", CoveoExtensionArgs, CoveoExtensionOutputs)
"""Every property of a CoveoExtension, its plain type and kind (see `_properties.properties_model`)."""

DEFAULTS = defaults(CoveoExtensionProperties)
"""What an absent argument means: the service's own default, so that its echo compares equal."""

SENT_FIELDS = names(CoveoExtensionProperties, lambda p: p.sent)
"""Declared fields sent in the EditExtensionModel of a create or an update, the script by its hash: what
is compared with the service's model to decide whether to send one."""

UPDATE_FIELDS = names(CoveoExtensionProperties, lambda p: p.declared or p.credential)
"""In-place changes. A new `api_key` argument changes no remote field, but the stored outputs must follow it."""

SECRET_FIELDS = names(CoveoExtensionProperties, lambda p: p.secret)
"""Secrets in the state, in outputs as in inputs."""

REPLACE_FIELDS = names(CoveoExtensionProperties, lambda p: p.replaces)
"""Where the extension lives: a change means a new extension elsewhere."""

KEPT_FIELDS = names(CoveoExtensionProperties, lambda p: p.kept)
"""Inputs that are not part of the remote object: carried from inputs to outputs and back as they are."""

OUTPUT_ONLY_FIELDS = names(CoveoExtensionProperties, lambda p: p.output_only)
"""What only the service knows (and the script's hash); never the cause of a diff by themselves."""

DROPPED_STATUS_KEYS = ("dailyStatistics",)
"""Parts of the service's `status` not kept in the outputs: the day's execution counters change all the time,
so they would make every `refresh` report a change that is not drift, and every checkpoint rewrite them."""


def _declared(props: Mapping[str, Any], key: str) -> Any:
    value = props.get(key)
    return DEFAULTS[key] if value is None and key in DEFAULTS else value


def edit_model(props: Mapping[str, Any]) -> dict[str, Any]:
    """The EditExtensionModel body for the declared (checked) properties: each sent property under its camelCase
    name, its default when absent; the script itself as `content`."""
    body = {camel(key): _declared(props, key) for key in SENT_FIELDS if key != "content_sha256"}
    body.update(
        content=script_of(props),
        requiredDataStreams=list(body["requiredDataStreams"] or []),
        language=LANGUAGE,
        apiVersion=body["apiVersion"] or DEFAULTS["api_version"],
        enabled=bool(_declared(props, "enabled")),
    )
    return body


def declared_from_model(model: Extension) -> dict[str, Any]:
    """The declared fields as the service stores them, normalized like `check` normalizes the program's; the
    script by its hash (`content_sha256`), never the script itself."""
    declared = {key: getattr(model, key) for key in SENT_FIELDS if key != "content_sha256"}
    declared.update(
        content_sha256=sha256_text(model.content),
        required_data_streams=normalize_streams(model.required_data_streams),
        api_version=model.api_version or DEFAULTS["api_version"],
        enabled=model.enabled,
        execution_timeout=int(model.timeout) if model.timeout is not None else DEFAULT_EXECUTION_TIMEOUT,
    )
    return declared


def normalize_streams(streams: Any) -> list[str]:
    """Required data streams as stored in inputs and outputs: sorted, without duplicates (order has no meaning)."""
    return sorted({str(stream) for stream in streams})


def iso_from_epoch_ms(value: Any) -> str | None:
    """Coveo's epoch-milliseconds dates as ISO-8601 UTC (`2025-01-31T12:00:00.000Z`), None when absent."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    moment = datetime.fromtimestamp(value / 1000, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_keys(value: Any) -> Any:
    """`value` with every dict key turned from camelCase into snake_case, recursively (Pythonic outputs)."""
    if isinstance(value, Mapping):
        return {_CAMEL_BOUNDARY.sub("_", str(key)).lower(): snake_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [snake_keys(item) for item in value]
    return value


def kept_status(status: Any) -> dict[str, Any]:
    """The service's `status` without the parts not kept in the outputs (see `DROPPED_STATUS_KEYS`)."""
    if not isinstance(status, Mapping):
        return {}
    return {key: value for key, value in status.items() if key not in DROPPED_STATUS_KEYS}


def outputs(props: Mapping[str, Any], model: Extension) -> dict[str, Any]:
    """The resource's outputs: the kept inputs as given, the declared fields as stored, and what only Coveo knows."""
    outs = {key: props[key] for key in KEPT_FIELDS if props.get(key) is not None}
    outs.update(declared_from_model(model))
    outs.update(
        {
            "extension_id": model.id,
            "version_id": model.version_id,
            "created_date": iso_from_epoch_ms(model.created_date),
            "last_modified": iso_from_epoch_ms(model.last_modified),
            "status": snake_keys(kept_status(model.status)),
            "used_by": [{"source_id": use.source_id, "source_name": use.source_name} for use in model.used_by or ()],
        }
    )
    return outs


def inputs_from_remote(props: Mapping[str, Any], model: Extension) -> dict[str, Any]:
    """The inputs a refresh records: kept inputs as they were, declared fields as the service now has them.

    A script edited in the console or an extension the service disabled then shows as a diff against the
    program in the next preview. The script is recorded the way the program gives it: with `script_path`,
    the path and the service's hash; otherwise the service's text as `content` (the one copy in the state).
    """
    inputs = {key: props[key] for key in KEPT_FIELDS if props.get(key) is not None}
    inputs.update(declared_from_model(model))
    if not props.get("script_path"):
        inputs["content"] = model.content
    return inputs
