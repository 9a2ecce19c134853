"""The interrupted creates of a state, and what each one made on the service (the providers' own look-up).

A create the killed run had started is a `creating` entry of the state's `pending_operations`, holding the
resource's checked inputs. Its look-up is the one a provider runs after an ambiguous create (`look_up` of the
resource's `create.py`): the objects with the declared fields created since the interrupted run began, minus
the ids the state already holds. Creates that could have made each other's objects (equal declared fields,
same place: twins) are decided together: when there are no more objects than such creates, each object is
taken over by one of them (they are interchangeable) and the others never happened; more objects than
creates is for the user to decide.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi.dynamic.config import Config

from .._create import Found
from .._settings import remember_stack_config
from ..coveo.extension_provider import create as coveo_create
from ..coveo.extension_provider.schema import CoveoExtensionProperties
from ..elastic.extension_provider import create as elastic_create
from ..elastic.extension_provider.schema import ElasticExtensionProperties
from ..plugin.config import CONFIG_KEYS, plugin_key
from ..plugin.values import python_names

SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270"


@dataclass(frozen=True)
class Kind:
    """One of our resource types as the state names it."""

    what: str
    look_up: Callable[[Mapping[str, Any], float], Found] | None
    """The look-up of its create; None when its create makes no object (it is simply run again)."""
    model: type | None = None
    """For the plugin's tokens: the typed model whose camelCase names the state holds."""
    id_output: str = "extension_id"


_COVEO = ("Coveo extension", coveo_create.look_up)
_ELASTIC = ("Elastic extension", elastic_create.look_up)
KINDS: dict[str, Kind] = {
    "pulumi-python:dynamic/coveo:Extension": Kind(*_COVEO),
    "pulumi-python:dynamic/elastic:Extension": Kind(*_ELASTIC),
    "pulumi-python:dynamic/coveo:SourceExtensions": Kind("Coveo source extension map", None),
    "search-extensions:coveo:Extension": Kind(*_COVEO, CoveoExtensionProperties, "extensionId"),
    "search-extensions:elastic:Extension": Kind(*_ELASTIC, ElasticExtensionProperties, "extensionId"),
    "search-extensions:coveo:SourceExtensions": Kind("Coveo source extension map", None),
}


def plain(value: Any) -> Any:
    """A value of a `--show-secrets` export with each secret envelope replaced by its value."""
    if isinstance(value, Mapping):
        if value.get(SECRET_SIG_KEY) == SECRET_SIG_VALUE:
            return plain(json.loads(value["plaintext"])) if "plaintext" in value else None
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


@dataclass
class Decision:
    """What recover does about one interrupted create."""

    urn: str
    type: str
    action: str
    """`adopt` (one object found: the resource takes it over), `none` (nothing was made: forget the create,
    `pulumi up` makes it), `rerun` (a create that makes no object, or a provider: forget it, `pulumi up` runs it
    again), `decide` (the user must decide: several objects, a replacement, a resource of another provider)."""
    remote_id: str | None = None
    candidates: list[str] = field(default_factory=list)
    why: str = ""

    @property
    def name(self) -> str:
        """The resource's name (the last part of its URN)."""
        return self.urn.rsplit("::", 1)[-1]


def pending_creates(deployment: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The resources of the `creating` pending operations."""
    return [op["resource"] for op in deployment.get("pending_operations") or [] if op.get("type") == "creating"]


def _props(resource: Mapping[str, Any], kind: Kind) -> dict[str, Any]:
    inputs = plain(resource.get("inputs") or {})
    if kind.model is None:
        return dict(inputs)
    by_camel = python_names(kind.model)
    return {by_camel[key]: value for key, value in inputs.items() if key in by_camel}


def _remember_config(
    resource: Mapping[str, Any], kind: Kind, stack_config: Mapping[str, Any], by_urn: Mapping[str, Any]
) -> None:
    """The settings the resource's provider process had: stack config, or the plugin's config and arguments."""
    if kind.model is None:
        remember_stack_config(Config(dict(stack_config), "recover"))
        return
    provider = by_urn.get(str(resource.get("provider") or "").rsplit("::", 1)[0]) or {}
    args = plain(provider.get("inputs") or {})
    raw = {}
    for key in CONFIG_KEYS:
        value = args.get(key.name, stack_config.get(plugin_key(key.stack_key)))
        if value is not None and value != "":
            raw[key.stack_key] = value
    remember_stack_config(Config(raw, "recover"))


def decide(deployment: Mapping[str, Any], stack_config: Mapping[str, Any], since: float) -> list[Decision]:
    """A decision for each interrupted create of a `--show-secrets` export `deployment`."""
    resources = deployment.get("resources") or []
    held = {str(r["id"]) for r in resources if r.get("id")}
    in_state = {str(r["urn"]) for r in resources}
    by_urn = {str(r["urn"]): r for r in resources}
    decisions: list[Decision] = []
    groups: dict[tuple[str, str], list[tuple[Decision, Found]]] = {}
    for resource in pending_creates(deployment):
        urn, token = str(resource["urn"]), str(resource["type"])
        kind = KINDS.get(token)
        decision = Decision(urn, token, "rerun")
        decisions.append(decision)
        makes_no_object = token.startswith("pulumi:") or resource.get("custom") is False
        if makes_no_object or (kind is not None and kind.look_up is None):
            continue  # a provider, the stack, a component, a source's map: `pulumi up` runs it again
        if kind is None or kind.look_up is None:
            decision.action, decision.why = "decide", "a resource of another provider: recover cannot look it up"
            continue
        props = _props(resource, kind)
        if props.get("adopt_id"):
            continue  # it takes over a given object, makes none: `pulumi up` takes it over again
        _remember_config(resource, kind, stack_config, by_urn)
        found = kind.look_up(props, since)
        groups.setdefault((found.scope, found.look_alike), []).append((decision, found))
    for members in groups.values():
        candidates: dict[str, str] = {}
        for _, found in members:
            candidates.update((i, d) for i, d in found.candidates if i not in held)
        listed = [candidates[i] for i in sorted(candidates)]
        if len(candidates) > len(members):
            for decision, _ in members:
                decision.action, decision.candidates = "decide", listed
                decision.why = (
                    f"{len(candidates)} objects with the declared fields appeared during the run, for "
                    f"{len(members)} interrupted create(s)"
                )
            continue
        ids: list[str | None] = [*sorted(candidates), *[None] * (len(members) - len(candidates))]
        for (decision, _), remote_id in zip(sorted(members, key=lambda m: m[0].urn), ids, strict=True):
            decision.action = "adopt" if remote_id else "none"
            decision.remote_id = remote_id
            decision.candidates = [candidates[remote_id]] if remote_id else []
            if remote_id and decision.urn in in_state:
                decision.action = "decide"
                decision.why = "an interrupted replacement: the old object is still in the state"
    return decisions


def unfinished_takeovers(deployment: Mapping[str, Any]) -> list[str]:
    """URNs of our extensions in the state that a recover took over but no refresh has read yet (a recover that
    stopped half-way): their outputs hold no id from the service."""
    urns = []
    for resource in deployment.get("resources") or []:
        kind = KINDS.get(str(resource.get("type")))
        if kind is None or kind.look_up is None or not resource.get("id"):
            continue
        if not (resource.get("outputs") or {}).get(kind.id_output):
            urns.append(str(resource["urn"]))
    return urns
