"""No API key ever appears in plain text: not in the state, not in the CLI's most verbose output, not in errors.

The test starts its own emulator with long, unique keys (easy to grep for) and one stack that takes each key
a different way: the main Coveo organization's key from the environment (`COVEO_API_KEY`), the Elastic key
from secret stack config (`ec:apikey`), the other organization's key as a *plain* string resource argument
(read by the program from an environment variable). It then looks for the keys in:

- the CLI's stdout and stderr of an `up` at the most verbose logging level (`-v=9 --logtostderr --debug`),
  which include what the engine relays from the provider process;
- the raw `pulumi stack export` (no key at all) and the Automation API's `export_stack()` (which decrypts:
  a key may only appear as the value of a secret);
- every file of the state backend, the Pulumi home, the workspace and the CLI's temporary directory
  (where its log files go);
- the messages of failed operations: deletes refused because the extension is in use (bound to a Coveo
  source, referenced by an Elastic deployment), a call to a host that does not answer, a wrong key.

One narrow exception, in CLI output and log files only: at `-v=9` the Pulumi engine of the pinned CLI
(v3.259.0) itself traces every property value it marshals over gRPC, secrets included (`Marshaling property
for RPC[...]: api_key={<plaintext>}`): stack config sent to the provider's `Configure`, and resource inputs
and outputs. That happens with any provider, including the no-HTTP smoke resource
(`test_only_the_pinned_clis_engine_traces_secret_property_values_at_v9` shows it, and fails once the pinned
CLI stops doing so, so the exception can go); at `-v=8` it does not, nor does the newest CLI (v3.277.0) at
all. So a key that the program *gave* to Pulumi (secret config, secret argument) is tolerated inside such a
trace line. The key that only the provider process knows (from
`COVEO_API_KEY`) never goes through the engine: it may appear nowhere, traces included, which is what
would catch a provider that copied it into its outputs. Keys in plaintext outputs would also show in the
state, which is checked strictly.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
import requests
from pulumi import automation as auto

from pulumi_search_extensions.emulator import EmulatorHandle, run_emulator
from support.remote import remote_extension_counts
from support.smoke import NoopResource
from support.stacks import REPO_ROOT, set_config
from support.state import is_secret, without_secrets
from support.state_vs_emulator import assert_state_matches_emulator

from .programs import FromEnv, program_of

pytestmark = pytest.mark.e2e

BUNDLE = str(Path(__file__).resolve().parents[2] / "examples" / "assets" / "stopwords-bundle.zip")
MAIN_ORG, OTHER_ORG = "auditorg", "auditotherorg"
MAIN_KEY = f"xx-audit-main-coveo-key-{secrets.token_hex(16)}"
OTHER_KEY = f"xx-audit-other-coveo-key-{secrets.token_hex(16)}"
ELASTIC_KEY = f"audit-elastic-api-key-{secrets.token_hex(16)}"
WRONG_KEY = f"audit-wrong-elastic-key-{secrets.token_hex(16)}"
KEYS = {"main Coveo key": MAIN_KEY, "other Coveo key": OTHER_KEY, "Elastic key": ELASTIC_KEY, "wrong key": WRONG_KEY}
GIVEN_TO_PULUMI = {OTHER_KEY, ELASTIC_KEY, WRONG_KEY}  # as secret config or a secret argument; MAIN_KEY is env only


@pytest.fixture(scope="module")
def audit_emulator() -> Iterator[EmulatorHandle]:
    """An emulator of its own whose keys are long unique strings."""
    with run_emulator(coveo_organizations={MAIN_ORG: MAIN_KEY, OTHER_ORG: OTHER_KEY}, elastic_api_key=ELASTIC_KEY) as e:
        yield e


PINNED_CLI = re.findall(
    r'^PULUMI_VERSION="\$\{PULUMI_VERSION:-(v[0-9.]+)\}"$',
    (REPO_ROOT / "scripts" / "install-pulumi.sh").read_text(),
    re.MULTILINE,
)[0]
"""The CLI `make test` runs (scripts/install-pulumi.sh's default); CI runs these tests with the newest one too."""

ENGINE_PROPERTY_TRACE = re.compile(r"(?:Un)?[Mm]arshaling property for RPC\[")


def leaks(text: str) -> list[str]:
    """The names of the keys found in `text`."""
    return [name for name, key in KEYS.items() if key in text]


def log_leaks(text: str) -> list[str]:
    """The lines of CLI output or log files that hold a key, apart from the engine's own property traces of the
    keys the program gave to Pulumi (see the module docstring)."""
    found = []
    for line in text.splitlines():
        for name, key in KEYS.items():
            if key not in line:
                continue
            if key in GIVEN_TO_PULUMI and ENGINE_PROPERTY_TRACE.search(line):
                continue
            found.append(f"{name}: {line[:500]}")
    return found


def files_leaking(*roots: Path, logs: bool = False) -> list[str]:
    """Every file under `roots` that holds a key (`logs`: as `log_leaks` sees it), as `path: what`."""
    found = []
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            text = path.read_bytes().decode("utf-8", errors="replace")
            problems = log_leaks(text) if logs else leaks(text)
            if problems:
                found.append(f"{path}: {problems}")
    return found


class Transcript:
    """Everything the CLI printed, on stdout and stderr, over several runs."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, line: str) -> None:
        self.lines.append(line)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


VERBOSE: dict[str, Any] = {"log_verbosity": 9, "debug": True, "show_secrets": False}


def test_no_api_key_appears_in_plain_text_in_state_verbose_output_logs_or_errors(
    new_stack: Any,
    audit_emulator: EmulatorHandle,
    pulumi_command: auto.PulumiCommand,
    pulumi_env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emulator = audit_emulator
    monkeypatch.setenv("AUDIT_OTHER_KEY", OTHER_KEY)  # inline programs run in this process
    emulator.admin.reset()
    cli_tmp = tmp_path / "cli-tmp"
    cli_tmp.mkdir()
    env = {
        "COVEO_ORGANIZATION_ID": MAIN_ORG,
        "COVEO_API_KEY": MAIN_KEY,
        "COVEO_HOST": emulator.url,
        "TMPDIR": str(cli_tmp),  # the CLI's log files (-v without --logtostderr) land here
    }
    spec: dict[str, dict[str, Any]] = {
        "coveo-from-env": {"kind": "coveo", "content": "document.add_meta_data({'audit': 'env'})\n"},
        "coveo-from-argument": {
            "kind": "coveo",
            "content": "document.add_meta_data({'audit': 'argument'})\n",
            "organization_id": OTHER_ORG,
            "api_key": FromEnv("AUDIT_OTHER_KEY"),  # a plain str: the resource must make it a secret
        },
        "elastic-from-config": {"kind": "elastic", "extension_type": "bundle", "version": "8.*", "file_path": BUNDLE},
    }
    stack = new_stack(program_of(spec), env=env)
    set_config(stack, {"ec:endpoint": emulator.url}, {"ec:apikey": ELASTIC_KEY})
    transcript = Transcript()

    # 1. up at the most verbose level, everything on stderr
    up = stack.up(log_to_std_err=True, on_output=transcript, on_error=transcript, **VERBOSE)
    assert up.summary.resource_changes == {"create": 4}
    assert_state_matches_emulator(stack, emulator)
    # The engine's trace of each provider call (v=7) is there: the verbose log was captured.
    assert "Provider[" in transcript.text and ".Create(urn:" in transcript.text, "the verbose log was not captured"
    assert log_leaks(transcript.text) == [], "a key is in the CLI's verbose output"

    # 2. the state: the raw export holds no key at all; the decrypted one only inside secrets
    raw = subprocess.run(
        [str(Path(pulumi_command.command)), "stack", "export", "--stack", stack.name],
        cwd=stack.workspace.work_dir,
        env={**pulumi_env, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert leaks(raw) == [], "a key is in plain text in `pulumi stack export`"
    by_name = {r["urn"].rsplit("::", 1)[-1]: r for r in json.loads(raw)["deployment"]["resources"]}
    argument = by_name["coveo-from-argument"]
    for where in ("inputs", "outputs"):
        assert is_secret(argument[where]["api_key"]) and "ciphertext" in argument[where]["api_key"]
    decrypted = stack.export_stack().deployment
    assert OTHER_KEY in json.dumps(decrypted), "the decrypted export holds the argument's key (as a secret)"
    assert leaks(json.dumps(without_secrets(decrypted))) == [], "a key is in the state outside a secret"

    # 3. failures: deletes refused (in use), then a host that does not answer and a wrong key
    ids = {name: up.outputs[name].value for name in spec}
    source = emulator.admin.create_source(MAIN_ORG, "audit-source")
    bind = {"common": {"preConversionExtensions": [{"extensionId": ids["coveo-from-env"]}]}}
    requests.put(
        f"{emulator.url}/rest/organizations/{MAIN_ORG}/sources/{source['id']}/extensions",
        json=bind,
        headers={"Authorization": f"Bearer {MAIN_KEY}"},
        timeout=30,
    ).raise_for_status()
    deployment = emulator.admin.create_deployment("audit-deployment", [ids["elastic-from-config"]])

    failures = Transcript()
    with pytest.raises(auto.CommandError) as refused_delete:
        stack.destroy(continue_on_error=True, on_output=failures, on_error=failures, **VERBOSE)
    message = str(refused_delete.value)
    assert "EXTENSION_IN_USE" in message and "used by deployments" in message, message  # both refused
    assert leaks(message) == [], "a key is in the message of a refused delete"

    stack.workspace.program = program_of(
        {name: {**entry, "description": "changed"} for name, entry in spec.items() if name != "coveo-from-argument"}
    )
    set_config(stack, {"coveo:host": "http://127.0.0.1:9", "coveo:maxRetries": "0"}, {"ec:apikey": WRONG_KEY})
    with pytest.raises(auto.CommandError) as failed_calls:
        stack.up(continue_on_error=True, on_output=failures, on_error=failures, **VERBOSE)
    message = str(failed_calls.value)
    assert "could not reach http://127.0.0.1:9" in message and "401" in message, message  # each says why
    assert leaks(message) == [], "a key is in the message of a failed call"
    assert log_leaks(failures.text) == [], "a key is in the CLI's output of the failed operations"

    # 4. clean up through Pulumi: right settings back, the source unbound, the deployment gone. An `up` comes
    # first: `destroy` configures the provider with the settings recorded by the last update (the wrong ones)
    stack.remove_all_config(["coveo:host", "coveo:maxRetries"])
    set_config(stack, {}, {"ec:apikey": ELASTIC_KEY})
    requests.put(
        f"{emulator.url}/rest/organizations/{MAIN_ORG}/sources/{source['id']}/extensions",
        json={},
        headers={"Authorization": f"Bearer {MAIN_KEY}"},
        timeout=30,
    ).raise_for_status()
    emulator.admin.delete_deployment(deployment["id"])
    assert stack.up().summary.result == "succeeded"
    assert_state_matches_emulator(stack, emulator)
    assert stack.destroy().summary.result == "succeeded"
    assert set(remote_extension_counts(emulator).values()) == {0}

    # 5. no file written along the way holds a key: state backend (with its history and backups), Pulumi
    # home, workspace, and the CLI's temporary directory with its verbose log files
    backend = Path(pulumi_env["PULUMI_BACKEND_URL"].removeprefix("file://"))
    logs = [p for p in cli_tmp.rglob("*") if p.is_file()]
    assert logs, "the CLI wrote no log file: the scan below would prove nothing"
    assert files_leaking(backend, Path(pulumi_env["PULUMI_HOME"]), Path(stack.workspace.work_dir)) == []
    assert files_leaking(cli_tmp, logs=True) == []


def test_only_the_pinned_clis_engine_traces_secret_property_values_at_v9(
    new_stack: Any, pulumi_command: auto.PulumiCommand
) -> None:
    """The one exception `log_leaks` makes is the engine's, not this package's: shown with a no-HTTP resource.

    The pinned CLI (v3.259.0) traces secret values at -v=9; the newest (v3.277.0 when checked) no longer does.
    When the pinned CLI stops doing so, remove the exception from `log_leaks`.
    """
    secret = f"engine-trace-secret-{secrets.token_hex(16)}"

    def program() -> None:
        NoopResource("secret", value=pulumi.Output.secret(secret))

    stack = new_stack(program)
    lines = Transcript()
    stack.up(log_to_std_err=True, on_output=lines, on_error=lines, log_verbosity=9, show_secrets=False)
    traced = [line for line in lines.lines if secret in line]
    ran = subprocess.run([pulumi_command.command, "version"], capture_output=True, text=True, check=True, timeout=60)
    version = ran.stdout.strip()
    if version == PINNED_CLI:
        assert traced, "the pinned CLI no longer traces secret values at -v=9: drop the exception in log_leaks"
        assert all(ENGINE_PROPERTY_TRACE.search(line) for line in traced), traced
    else:
        assert traced == [], f"pulumi {version} traces secret values at -v=9 again (v3.277.0 did not)"


def test_log_leaks_tolerates_only_keys_given_to_pulumi_and_only_in_the_engines_property_traces() -> None:
    trace = 'msg":"Unmarshaling property for RPC[Provider[0x1].Create(urn).outputs]: api_key='
    assert log_leaks(trace + "{" + OTHER_KEY + "}") == []
    assert len(log_leaks(trace + "{" + MAIN_KEY + "}")) == 1, "the environment's key never goes through the engine"
    assert len(log_leaks("error: calling https://x with Bearer " + OTHER_KEY)) == 1, "not a trace: a leak"
