"""Soak: 60 resources (30 CoveoExtension, 30 ElasticExtension) through up, update-all and destroy, 5 rounds,
against an emulator of their own (fixed seed) that injects 20% 429/503, 5% dropped connections and 5%
fail-after-commit on every vendor call.

After every step the emulator must hold exactly what the Pulumi state says (no orphan, no duplicate) and
every declared value must be applied (no lost update). The figures (operations, requests, injected faults,
time per step) are printed as a table (`pytest -s tests/soak`).

Bounded: loopback only, a small back-off through stack config (`*:retryBackoff`), retries bounded by
`*:maxRetries` and `*:retryBudget`, tiny bundles; about 2.5 minutes on a 2-core machine.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_search_extensions import CoveoExtension, ElasticExtension
from pulumi_search_extensions.emulator import EmulatorHandle, run_emulator
from support.files import make_zip
from support.stacks import PATIENT_RETRIES, quiet
from support.state_vs_emulator import assert_state_matches_emulator

pytestmark = pytest.mark.e2e

SEED = 20250611
ROUNDS = 5
PER_SERVICE = 30
FAULTS = {"429": 0.10, "503": 0.10, "drop": 0.05, "fail_after_commit": 0.05}


@pytest.fixture(scope="module")
def soak_emulator() -> Iterator[EmulatorHandle]:
    """An emulator of the soak's own, faulting every vendor call with fixed-seed draws."""
    config = {"seed": SEED, "rules": [{"route": "*", "faults": FAULTS, "retry_after_s": 1}]}
    with run_emulator(seed=SEED, fault_config=config) as handle:
        yield handle


def _bundle(directory: Path, round_: int, version: int) -> str:
    synonyms = {"dictionaries/synonyms.txt": f"laptop, notebook # round {round_} v{version}\n"}
    return str(make_zip(directory / f"bundle-{round_}-{version}.zip", synonyms))


def _script(index: int, round_: int, version: int) -> str:
    return f"document.add_meta_data({{'soak': '{index} round {round_} v{version}'}})\n"


def _program(round_: int, version: int, bundle: str) -> auto.PulumiFn:
    def declare() -> None:
        for index in range(PER_SERVICE):
            CoveoExtension(
                f"soak-coveo-{index}",
                content=_script(index, round_, version),
                description=f"v{version}",
                enabled=(index + version) % 2 == 0,  # every update toggles half of them on, half off
                execution_timeout=5 + version,
            )
            ElasticExtension(
                f"soak-elastic-{index}",
                extension_type="bundle",
                version="8.*",
                description=f"round {round_} v{version}",
                file_path=bundle,
            )

    return declare


CREATE_ROUTES = ("/rest/organizations/{organizationId}/extensions", "/api/v1/deployments/extensions")


@dataclass
class Figures:
    """What one step did: engine operations, vendor requests, injected faults, reconciled creates, seconds."""

    step: str
    seconds: float
    operations: dict[str, int]
    requests: int
    faults: dict[str, int]
    adopted: int

    @property
    def retried(self) -> int:
        """Faulted requests that were sent again (a create applied but unanswered is adopted instead)."""
        return sum(self.faults.values()) - self.adopted


@dataclass
class Meter:
    """Reads the emulator's request log (cleared before each step) and its fault counts around each step."""

    emulator: EmulatorHandle
    rows: list[Figures] = field(default_factory=list)

    def run(self, step: str, action: Any) -> Any:
        """Runs one step (an Automation API call) and records its figures, even when it fails."""
        self.emulator.admin.clear_requests()
        faults_before = Counter(self.emulator.admin.faults()["injected"])
        started = time.monotonic()
        operations: dict[str, int] = {}
        try:
            result = action()
            operations = {k: v for k, v in (result.summary.resource_changes or {}).items() if k != "same"}
            return result
        finally:
            seconds = time.monotonic() - started
            log = self.emulator.admin.requests()["requests"]
            faults = Counter(self.emulator.admin.faults()["injected"]) - faults_before
            adopted = sum(
                1
                for r in log
                if r["method"] == "POST" and r["route"] in CREATE_ROUTES and r["fault"] == "fail_after_commit"
            )
            self.rows.append(Figures(step, seconds, operations, len(log), dict(faults), adopted))

    def table(self) -> str:
        """The figures as a text table, one row per step and a total."""
        head = (
            f"{'step':<12}{'seconds':>8}{'operations':>11}{'requests':>9}{'retried':>8}{'adopted':>8}  injected faults"
        )
        lines = [head]
        for row in self.rows:
            faults = ", ".join(f"{k} {v}" for k, v in sorted(row.faults.items()) if v)
            operations = sum(row.operations.values())
            lines.append(
                f"{row.step:<12}{row.seconds:>8.1f}{operations:>11}{row.requests:>9}{row.retried:>8}{row.adopted:>8}"
                f"  {faults}"
            )
        total: Counter[str] = Counter()
        for row in self.rows:
            total.update(row.faults)
        lines.append(
            f"{'total':<12}{sum(r.seconds for r in self.rows):>8.1f}"
            f"{sum(sum(r.operations.values()) for r in self.rows):>11}{sum(r.requests for r in self.rows):>9}"
            f"{sum(r.retried for r in self.rows):>8}{sum(r.adopted for r in self.rows):>8}  "
            + ", ".join(f"{k} {v}" for k, v in sorted(total.items()))
        )
        return "\n".join(lines)


def _assert_applied(emulator: EmulatorHandle, round_: int, version: int, bundle: str) -> None:
    """Every declared value is what the emulator holds: nothing was lost on the way."""
    dump = emulator.admin.dump()
    coveo = {e["name"]: e for e in dump["coveo"][emulator.coveo_organization_id]["extensions"]}
    elastic = {e["name"]: e for e in dump["elastic"]["extensions"]}
    assert len(coveo) == PER_SERVICE and len(elastic) == PER_SERVICE
    sha = hashlib.sha256(Path(bundle).read_bytes()).hexdigest()
    for index in range(PER_SERVICE):
        extension = coveo[f"soak-coveo-{index}"]
        assert extension["content"] == _script(index, round_, version)
        assert (extension["description"], extension["enabled"], extension["timeout"]) == (
            f"v{version}",
            (index + version) % 2 == 0,
            5 + version,
        )
        bundle_extension = elastic[f"soak-elastic-{index}"]
        assert bundle_extension["description"] == f"round {round_} v{version}"
        assert bundle_extension["file_sha256"] == sha


def test_sixty_resources_survive_five_rounds_of_up_update_destroy_under_injected_faults(
    new_stack: Any, soak_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    config, secrets = soak_emulator.stack_config()
    stack: auto.Stack = new_stack(lambda: None, config={**config, **PATIENT_RETRIES}, secrets=secrets)
    meter = Meter(soak_emulator)
    try:
        for round_ in range(1, ROUNDS + 1):
            for version, step in ((1, "up"), (2, "update")):
                bundle = _bundle(tmp_path, round_, version)
                stack.workspace.program = _program(round_, version, bundle)
                result = meter.run(f"r{round_} {step}", lambda: stack.up(on_output=quiet))
                # The first up of a round also creates the stack resource itself.
                expected = {"create": 2 * PER_SERVICE + 1} if step == "up" else {"update": 2 * PER_SERVICE}
                assert meter.rows[-1].operations == expected, result.summary.resource_changes
                assert_state_matches_emulator(stack, soak_emulator)
                _assert_applied(soak_emulator, round_, version, bundle)
            meter.run(f"r{round_} destroy", lambda: stack.destroy(on_output=quiet))
            assert_state_matches_emulator(stack, soak_emulator)
            dump = soak_emulator.admin.dump()
            assert dump["coveo"][soak_emulator.coveo_organization_id]["extensions"] == []
            assert dump["elastic"]["extensions"] == []
    finally:
        print("\n" + meter.table())
    injected = Counter[str]()
    for row in meter.rows:
        injected.update(row.faults)
    assert all(injected[kind] > 0 for kind in FAULTS), injected  # every kind of fault was exercised
