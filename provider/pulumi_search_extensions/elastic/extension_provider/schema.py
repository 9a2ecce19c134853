"""The fields of an Elastic extension resource, declared once, and the model <-> props conversions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

import pulumi

from ..._inputs import is_unknown
from ..._properties import defaults, names, prop, properties_model
from ..client import Extension, ExtensionRequest

EXTENSION_TYPES = ("bundle", "plugin")
NAME_PATTERN = re.compile(r"[A-Za-z0-9_.-]+")
PLUGIN_VERSION_PATTERN = re.compile(r"\d+\.\d+\.\d+")
# A bundle may pin a version or leave its tail open: `*`, `8.*`, `8.11.*`, `8.11.3`.
BUNDLE_VERSION_PATTERN = re.compile(r"\*|\d+\.\*|\d+\.\d+\.\*|\d+\.\d+\.\d+")
# What a changed file does: the file is replaced in place (the API keeps the id), or a new extension replaces it.
ON_FILE_CHANGE = ("update", "replace")


def default_extension_name(resource_name: str) -> str:
    """The resource name made valid for the extension name charset (other characters become `-`)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", resource_name) or "extension"


@dataclass(kw_only=True)
class ElasticExtensionArgs:
    """The arguments of an `ElasticExtension`. Give at most one of `download_url` and `file_path`.

    With `ElasticExtensionOutputs`, the one declaration of the resource: each argument's type, doc and kind
    (`_properties.prop`), from which the plugin's schema, its conversions, the key lists below, the plain type
    checks of `check` and the create / update body follow.
    """

    # What the service stores, sent in full by create and update (the fields of `ExtensionRequest`).
    extension_type: pulumi.Input[str] = field(metadata=prop(sent=True, replaces=True))
    """`bundle` or `plugin`. The service cannot change it: a new value replaces the extension."""

    version: pulumi.Input[str] = field(metadata=prop(sent=True))
    """The Elasticsearch version it works with: exactly `x.y.z` for a plugin; a bundle may use wildcards
    such as `8.*` or `*`."""

    name: pulumi.Input[str] | None = field(
        default=None, metadata=prop(sent=True, from_resource_name=default_extension_name)
    )
    """The extension's name (ASCII letters, digits, `_`, `.`, `-`). Defaults to the resource name with any
    other character replaced by `-`."""

    description: pulumi.Input[str] | None = field(default=None, metadata=prop(sent=True, default=""))
    """Free text shown in the console. Defaults to ""."""

    download_url: pulumi.Input[str] | None = field(default=None, metadata=prop(sent=True, blank_is_absent=True))
    """An http(s) URL the service fetches the zip file from, directly (no auth, no redirects). The way to
    go past the upload limit."""

    # Where the file comes from: check hashes it, and the hash is what diff compares (changed bytes plan an
    # update; the same bytes at another path, in another clone, are no change).
    file_path: pulumi.Input[str] | None = field(
        default=None, metadata=prop(kept=True, blank_is_absent=True, local_path=True)
    )
    """A local zip file the provider uploads (relative to the program's folder, or absolute). Its SHA-256 is
    computed at every preview: changed bytes are planned as an update and uploaded again; the same bytes at
    another path (a moved file, another clone) are no change. Recorded relative to the project's folder."""

    # Read by diff from the new inputs: "replace" makes a changed file (its hash, or download_url) a new extension.
    on_file_change: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True, default="update"))
    """What a changed file (a new `file_path` content or `download_url`) does. `"update"` (the default) replaces
    the file of the extension, which keeps its id and `url`; deployments load it at their next node restart.
    `"replace"` is Elastic's safe way for an extension in use: a new extension is created with the new file,
    whatever uses `url` or `extension_id` moves to it in the same `pulumi up`, and the old extension is
    deleted last (while a deployment still uses it the delete fails, and the next `pulumi up` finishes it)."""

    # Only matters at creation (like Pulumi's `import` option): later changes are ignored.
    adopt_id: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True, blank_is_absent=True))
    """The id of an existing extension to take over instead of creating one (then brought to the declared
    state and deleted with the stack). Only read at creation: a replacement makes a new extension."""

    # How to reach the service. `endpoint` is resolved by check (argument, config or environment) and the
    # object lives at one endpoint; credentials are stored only when they were resource arguments.
    api_key: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True, credential=True, secret=True))
    """API key (secret). Defaults to stack config `ec:apikey`, then `$EC_API_KEY`."""

    endpoint: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True, replaces=True))
    """The API host, with or without `/api/v1`. Defaults to `ec:endpoint`, `$EC_ENDPOINT` or `$EC_HOST`,
    then `https://api.elastic-cloud.com`. A change replaces the extension."""

    username: pulumi.Input[str] | None = field(
        default=None, metadata=prop(kept=True, credential=True, blank_is_absent=True)
    )
    """ECE basic-auth user when there is no API key. Defaults to `ec:username`, `$EC_USERNAME`, `$EC_USER`."""

    password: pulumi.Input[str] | None = field(default=None, metadata=prop(kept=True, credential=True, secret=True))
    """ECE basic-auth password (secret). Defaults to `ec:password`, `$EC_PASSWORD`, `$EC_PASS`."""

    insecure: pulumi.Input[bool] | None = field(default=None, metadata=prop(kept=True, credential=True))
    """Skip TLS verification (self-signed ECE). Defaults to `ec:insecure`, `$EC_INSECURE`."""


class ElasticExtensionOutputs:
    """The outputs of an `ElasticExtension`, in the order of its properties: each argument as stored (see
    `ElasticExtensionArgs`), and what the service reports or `check` computes."""

    name: pulumi.Output[str]
    extension_type: pulumi.Output[str]
    version: pulumi.Output[str]
    description: pulumi.Output[str]
    download_url: pulumi.Output[str | None]
    file_path: pulumi.Output[str | None]
    """As recorded: relative to the project's folder when the file is in it."""

    file_sha256: Annotated[pulumi.Output[str | None], prop(declared=True, output_only=True, blank_is_absent=True)]
    """SHA-256 of the uploaded `file_path` (computed by the provider), or None."""

    on_file_change: pulumi.Output[str]
    adopt_id: pulumi.Output[str | None]
    endpoint: pulumi.Output[str]
    """The endpoint in use (argument, stack config, environment or default), without `/api/v1`."""

    api_key: pulumi.Output[str | None]
    username: pulumi.Output[str | None]
    password: pulumi.Output[str | None]
    insecure: pulumi.Output[bool | None]
    extension_id: pulumi.Output[str]
    """The service's id of the extension (a numeric string)."""

    url: pulumi.Output[str]
    """`repo://<id>`: the value a deployment plan references (`user_bundles` / `user_plugins`)."""

    file_size: pulumi.Output[int | None]
    """Size in bytes of the stored file, or None before any upload or fetch."""

    file_last_modified: pulumi.Output[str | None]
    """When the stored file last changed (ISO-8601 UTC), as the service reports it."""

    deployments: pulumi.Output[list[str]]
    """Ids of the deployments whose plans use the extension."""


ElasticExtensionProperties = properties_model(
    "ElasticExtensionProperties", ElasticExtensionArgs, ElasticExtensionOutputs
)
"""Every property of an `ElasticExtension`, its plain type and kind (see `_properties.properties_model`)."""

SENT_FIELDS = names(ElasticExtensionProperties, lambda p: p.sent)
"""The fields of the create / update body (`ExtensionRequest`): a change of one is a metadata POST."""

INPUT_FIELDS = names(ElasticExtensionProperties, lambda p: p.input)
"""What `check` returns: the arguments, and the file's hash it computes."""

COMPARED_FIELDS = names(ElasticExtensionProperties, lambda p: p.compared)
"""What diff compares: all inputs but `adopt_id` (which only matters at creation) and `file_path` (its bytes are
compared, as `file_sha256`)."""

REPLACE_FIELDS = names(ElasticExtensionProperties, lambda p: p.replaces)
"""A change means a new extension: the type (the API ignores a change), or another installation."""

OUTPUT_ONLY_FIELDS = names(ElasticExtensionProperties, lambda p: p.output_only)
"""The outputs no program sets: `ElasticExtension` registers them empty, the provider fills them."""

FILE_FIELDS = ("file_sha256", "download_url")
"""What a changed file changes: its content's hash (file_path), or where the service fetches it (download_url)."""

SECRET_FIELDS = names(ElasticExtensionProperties, lambda p: p.secret)
"""Secrets in the state, in outputs as in inputs."""

DEFAULTS = defaults(ElasticExtensionProperties)
"""What an absent argument means (description "")."""

_BLANK_IS_ABSENT_FIELDS = names(ElasticExtensionProperties, lambda p: p.blank_is_absent)

DRIFT_MARK = "drifted"


def normalized(key: str, value: Any) -> Any:
    """The value diff compares: an absent value is its default (description ""), a blank URL or path is absent."""
    if is_unknown(value):
        return value
    if value is None and key in DEFAULTS:
        return DEFAULTS[key]
    if key == "insecure":
        return bool(value) if not isinstance(value, str) else value
    if key in _BLANK_IS_ABSENT_FIELDS and value == "":
        return None
    return value


def extension_request(props: Mapping[str, Any]) -> ExtensionRequest:
    """The create/update body declared by checked inputs: each sent property, as diff compares it."""
    return ExtensionRequest(**{key: normalized(key, props.get(key)) for key in SENT_FIELDS})


def has_file_source(props: Mapping[str, Any]) -> bool:
    """Whether the file comes from this program (uploaded `file_path` or fetched `download_url`)."""
    return bool(props.get("file_path") or props.get("download_url"))


def file_drift(recorded: Mapping[str, Any], remote: Extension) -> str | None:
    """A `file_sha256` value that marks the remote file as changed behind Pulumi's back, or None.

    The provider records the file's size and modification date at each upload or fetch; a different
    size or date means someone replaced (or removed) the file. The mark differs from any real hash, so
    the next preview plans a re-upload (or, with `download_url`, a re-fetch). A declared file that the
    service does not hold at all is always drift, even when nothing was recorded (an interrupted upload).
    """
    if not has_file_source(recorded):
        return None
    if remote.file is None:
        return f"{DRIFT_MARK}:none:none"
    size = remote.file.size if remote.file else None
    modified = remote.file.last_modified_date if remote.file else None
    if size == recorded.get("file_size") and modified == recorded.get("file_last_modified"):
        return None
    return f"{DRIFT_MARK}:{size if size is not None else 'none'}:{modified or 'none'}"


def outputs(props: Mapping[str, Any], remote: Extension) -> dict[str, Any]:
    """The outputs: every input as stored, with the service's metadata, plus the output-only fields."""
    outs: dict[str, Any] = {key: props.get(key) for key in INPUT_FIELDS}
    outs.update({key: getattr(remote, key) for key in SENT_FIELDS})
    outs.update(
        extension_id=remote.id,
        url=remote.url,
        file_size=remote.file.size if remote.file else None,
        file_last_modified=remote.file.last_modified_date if remote.file else None,
        deployments=list(remote.deployments or ()),
    )
    return outs


def inputs_of(outs: Mapping[str, Any]) -> dict[str, Any]:
    """The input fields of a set of outputs (what refresh reports as the resource's inputs)."""
    return {key: outs.get(key) for key in INPUT_FIELDS}
