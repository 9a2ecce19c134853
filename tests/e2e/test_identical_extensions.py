"""Identically declared extensions through the real Pulumi CLI and engine: one remote object each, always.

Issue 14's reproduction: one stack declares 5 pairs of identical `CoveoExtension`s (same name and script)
and 5 pairs of identical `ElasticExtension` bundles (same name and zip), while the emulator drops create
POSTs before applying them. A create whose POST was lost looks for "objects with the declared fields
created since the create began": it must never adopt its twin's object. After every `up` the state holds
20 distinct ids, each one a remote object of its own with the declared fields, and nothing else exists;
after `destroy` the services are empty.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_search_extensions import CoveoExtension, ElasticExtension
from pulumi_search_extensions.emulator import EmulatorHandle
from support.files import make_zip
from support.stacks import PATIENT_RETRIES, quiet
from support.state import resources_by_name
from support.state_vs_emulator import assert_state_matches_emulator

pytestmark = pytest.mark.e2e

PAIRS = 5
COVEO_CREATE = "/rest/organizations/*/extensions"
ELASTIC_CREATE = "/api/v1/deployments/extensions"


def _script(pair: int) -> str:
    return f"document.add_meta_data({{'twin': '{pair}'}})\n"


def _bundle(directory: Path, pair: int) -> Path:
    return make_zip(directory / f"twin-{pair}.zip", {"dictionaries/synonyms.txt": f"laptop, notebook # pair {pair}\n"})


def _program(bundles: list[Path]) -> auto.PulumiFn:
    def declare() -> None:
        for pair in range(PAIRS):
            for twin in ("a", "b"):
                CoveoExtension(f"coveo-{pair}-{twin}", name=f"twin-{pair}", content=_script(pair))
                ElasticExtension(
                    f"elastic-{pair}-{twin}",
                    name=f"twin-{pair}",
                    extension_type="bundle",
                    version="8.*",
                    file_path=str(bundles[pair]),
                )

    return declare


def _lost_creates(seed: int, faults: dict[str, float]) -> dict[str, Any]:
    return {
        "seed": seed,
        "rules": [
            {"method": "POST", "route": COVEO_CREATE, "faults": faults},
            {"method": "POST", "route": ELASTIC_CREATE, "faults": faults},
        ],
    }


def _assert_one_object_per_resource(stack: auto.Stack, emulator: EmulatorHandle, bundles: list[Path]) -> None:
    """Distinct ids in the state, each its own remote object with the declared fields, and nothing else."""
    resources = assert_state_matches_emulator(stack, emulator)  # no duplicate, no orphan, same fields
    ids = Counter(resource["id"] for resource in resources)
    assert len(resources) == 4 * PAIRS and len(ids) == 4 * PAIRS, f"ids shared by several resources: {ids}"
    dump = emulator.admin.dump()
    coveo = {e["id"]: e for e in dump["coveo"][emulator.coveo_organization_id]["extensions"]}
    elastic = {e["id"]: e for e in dump["elastic"]["extensions"]}
    assert len(coveo) == len(elastic) == 2 * PAIRS
    for resource in resources:
        kind, pair, _twin = resource["name"].split("-")
        if kind == "coveo":
            remote = coveo[resource["id"]]
            assert (remote["name"], remote["content"]) == (f"twin-{pair}", _script(int(pair)))
        else:
            remote = elastic[resource["id"]]
            sha = hashlib.sha256(bundles[int(pair)].read_bytes()).hexdigest()
            assert (remote["name"], remote["file_sha256"]) == (f"twin-{pair}", sha)


@pytest.mark.parametrize(
    ("seed", "faults"),
    [
        (14, {"drop": 0.3}),
        (1414, {"drop": 0.3}),
        (141414, {"drop": 0.3}),
        # Also applied-but-unanswered creates: the look-up must find its own object beside its twin's.
        (7, {"drop": 0.2, "fail_after_commit": 0.2}),
    ],
    ids=["drop-seed-14", "drop-seed-1414", "drop-seed-141414", "drop-and-fail-after-commit-seed-7"],
)
def test_identical_twins_never_share_one_remote_object_when_create_posts_are_lost(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path, seed: int, faults: dict[str, float]
) -> None:
    bundles = [_bundle(tmp_path, pair) for pair in range(PAIRS)]
    config, secrets = clean_emulator.stack_config()
    stack: auto.Stack = new_stack(_program(bundles), config={**config, **PATIENT_RETRIES}, secrets=secrets)
    clean_emulator.admin.set_faults(_lost_creates(seed, faults))

    result = stack.up(on_output=quiet)

    assert result.summary.resource_changes == {"create": 4 * PAIRS + 1}
    injected = clean_emulator.admin.faults()["injected"]
    assert sum(injected.values()) > 0, injected  # creates were lost: the look-ups ran
    _assert_one_object_per_resource(stack, clean_emulator, bundles)

    again = stack.up(on_output=quiet)

    assert again.summary.resource_changes == {"same": 4 * PAIRS + 1}
    _assert_one_object_per_resource(stack, clean_emulator, bundles)

    clean_emulator.admin.clear_faults()
    stack.destroy(on_output=quiet)

    dump = clean_emulator.admin.dump()
    assert dump["coveo"][clean_emulator.coveo_organization_id]["extensions"] == []
    assert dump["elastic"]["extensions"] == []


@pytest.mark.parametrize("kind", ["coveo", "elastic"])
def test_a_resource_adopting_an_object_another_resource_of_the_stack_manages_fails_clearly(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path, kind: str
) -> None:
    bundle = _bundle(tmp_path, 0)
    adopt: dict[str, str] = {}

    def declare(resource_name: str, adopt_id: str | None = None, after: list[Any] | None = None) -> Any:
        options = pulumi.ResourceOptions(depends_on=after or [])
        if kind == "coveo":
            return CoveoExtension(resource_name, name="twin-0", content=_script(0), adopt_id=adopt_id, opts=options)
        return ElasticExtension(
            resource_name,
            name="twin-0",
            extension_type="bundle",
            version="8.*",
            file_path=str(bundle),
            adopt_id=adopt_id,
            opts=options,
        )

    def program() -> None:
        first = declare("first")
        if adopt:
            # After `first` is diffed, so the provider process has seen its id (the order is otherwise free).
            declare("second", adopt["id"], after=[first])

    config, secrets = clean_emulator.stack_config()
    stack: auto.Stack = new_stack(program, config=config, secrets=secrets)
    stack.up(on_output=quiet)
    (first,) = assert_state_matches_emulator(stack, clean_emulator)
    adopt["id"] = first["id"]

    with pytest.raises(auto.CommandError) as raised:
        stack.up(on_output=quiet)

    message = str(raised.value)
    assert first["id"] in message and "two resources must never manage one object" in message
    assert "a resource already in this stack's state" in message
    (still,) = assert_state_matches_emulator(stack, clean_emulator)  # nothing recorded twice, nothing new
    assert still["name"] == "first" and still["id"] == first["id"]


def test_two_stacks_deploying_at_once_never_share_when_their_declarations_differ_as_troubleshooting_advises(
    new_stack: Any, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    # Across processes a lost create may adopt another stack's identical object (docs/TROUBLESHOOTING.md,
    # "Two stacks record the same extension"); the advice is the stack name in the description.
    bundles = [_bundle(tmp_path, pair) for pair in range(PAIRS)]

    def program() -> None:
        stack_name = pulumi.get_stack()
        for pair in range(PAIRS):
            description = f"twin {pair} ({stack_name})"
            CoveoExtension(f"coveo-{pair}", name=f"twin-{pair}", content=_script(pair), description=description)
            ElasticExtension(
                f"elastic-{pair}",
                name=f"twin-{pair}",
                extension_type="bundle",
                version="8.*",
                description=description,
                file_path=str(bundles[pair]),
            )

    config, secrets = clean_emulator.stack_config()
    stacks = [new_stack(program, config={**config, **PATIENT_RETRIES}, secrets=secrets) for _ in range(2)]
    clean_emulator.admin.set_faults(_lost_creates(21, {"drop": 0.3, "fail_after_commit": 0.1}))

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda stack: stack.up(on_output=quiet), stacks))

    assert [r.summary.resource_changes for r in results] == [{"create": 2 * PAIRS + 1}] * 2
    ids = [{r["name"]: r["id"] for r in resources_by_name(stack).values()} for stack in stacks]
    assert not set(ids[0].values()) & set(ids[1].values())
    dump = clean_emulator.admin.dump()
    remote = [e["id"] for e in dump["coveo"][clean_emulator.coveo_organization_id]["extensions"]]
    remote += [e["id"] for e in dump["elastic"]["extensions"]]
    assert sorted(remote) == sorted([*ids[0].values(), *ids[1].values()])  # one object each, no orphan
