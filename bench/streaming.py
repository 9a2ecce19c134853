"""Streaming: a 1 GiB extension file through `ElasticExtensionProvider`, beside a plain `requests` upload.

The provider runs in a child process, as in `pulumi up` (one provider process), driven directly:
`check` (validation and the file's SHA-256), `create` (POST, PUT of the file, GET), `update` with a
changed hash (PUT again, GET), `delete`. The parent samples the child's RSS with psutil; the child
also reports its kernel high-water mark (VmHWM). A second kind of child uploads the same file
with a plain `requests.put(data=<open file>)` and hashes it with a plain `hashlib` loop: the
baseline. After one unreported warm-up run, the two kinds alternate (and so does which goes first),
against one emulator whose upload limit is raised above 1 GiB.

The file is a zip with one stored member of random bytes (the provider's check requires a zip),
built in 8 MiB chunks in a scratch directory that is removed afterwards. Right after it is written it
sits in the page cache (this machine has far more RAM than 1 GiB), so both kinds read it from memory:
the comparison is of the upload paths, not of the disk. For the same reason the emulator keeps what it
receives in /dev/shm when there is room.

A third kind of child checks a 1 GiB *plugin* archive as `check` does (`elastic/archive.py`: the zip's
central directory and its descriptor, nothing else), its descriptor written after the 1 GiB member (the
worst place for a reader that would scan the file): the time and peak RSS of that check, beside its RSS
once imported. `streaming.py archive [--quick]` runs only that part.

Run as a child: `streaming.py --child provider|plain|archive --url URL --file PATH` (prints one JSON line).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from _common import MIB, Table, memory_dir, python_command, scratch_dir, seconds, write_large_zip

FILE_SIZE = 1024 * MIB
QUICK_FILE_SIZE = 256 * MIB
ROUNDS = 5
QUICK_ROUNDS = 2
SAMPLE_INTERVAL_S = 0.01
RSS_TARGET_MB = 100.0
THROUGHPUT_TARGET = 0.9
ELASTIC_PATH = "/api/v1/deployments/extensions"
ARCHIVE_VERSION = "8.15.0"


# ---------------------------------------------------------------------------------------------- children


class _Phases:
    """Named (start, end, CPU seconds) of phases; times on the system-wide monotonic clock the parent shares.

    The CPU seconds (this process, all threads) say what the client side costs, whatever the server's speed.
    """

    def __init__(self) -> None:
        self.spans: dict[str, tuple[float, float, float]] = {}

    def run(self, name: str, action: Any) -> Any:
        start, cpu = time.monotonic(), time.process_time()
        result = action()
        self.spans[name] = (start, time.monotonic(), time.process_time() - cpu)
        return result


def _maxrss_mb() -> float:
    """This process's peak RSS in MB: VmHWM, the high-water mark of its own address space.

    Not `ru_maxrss`: Linux carries that across fork and exec, so a child would report the parent's RSS.
    """
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # elsewhere: the best there is


def child_provider(url: str, file_path: str, api_key: str) -> dict[str, Any]:
    """check, create, update (re-upload), delete through the provider, as the provider process runs them."""
    phases = _Phases()

    def load() -> Any:
        # What the real provider process has loaded: the dynamic-provider runtime (gRPC, protobuf, dill;
        # the imports of pulumi/dynamic/__main__.py, which serves forever when imported) and the provider
        # class unpickled from the state.
        import dill  # noqa: F401
        import grpc  # noqa: F401
        from pulumi.runtime import rpc  # noqa: F401
        from pulumi.runtime.proto import provider_pb2_grpc  # noqa: F401

        from pulumi_search_extensions.elastic.provider import ElasticExtensionProvider
        from support.providers import configured_provider

        return configured_provider(ElasticExtensionProvider, {"ec:endpoint": url, "ec:apikey": api_key})

    provider = phases.run("import", load)
    rss_after_import = _maxrss_mb()
    puts = _time_uploads()
    news = {"name": "streaming-bench", "extension_type": "bundle", "version": "8.*", "file_path": file_path}
    checked = phases.run("check", lambda: provider.check({}, news))
    if checked.failures:
        raise SystemExit(f"check failed: {[(f.property, f.reason) for f in checked.failures]}")
    created = phases.run("create", lambda: provider.create(checked.inputs))
    olds = {**created.outs, "file_sha256": "0" * 64}  # a changed hash: update uploads the file again
    updated = phases.run("update", lambda: provider.update(created.id, olds, checked.inputs))
    phases.run("delete", lambda: provider.delete(created.id, updated.outs))
    # The PUT alone inside create and update: what is left once the other calls are taken out.
    phases.spans["create PUT"], phases.spans["update PUT"] = puts
    return {
        "spans": phases.spans,
        "maxrss_mb": _maxrss_mb(),
        "rss_after_import_mb": rss_after_import,
        "file_size": created.outs.get("file_size"),
        "sha256": checked.inputs.get("file_sha256"),
    }


def _time_uploads() -> list[tuple[float, float, float]]:
    """A probe around `ElasticClient.put_extension_file` (in this child only): the (start, end) of each PUT."""
    from pulumi_search_extensions.elastic.client import ElasticClient

    spans: list[tuple[float, float, float]] = []
    upload = ElasticClient.put_extension_file

    def timed_upload(self: ElasticClient, extension_id: str, file_path: Any) -> Any:
        start, cpu = time.monotonic(), time.process_time()
        try:
            return upload(self, extension_id, file_path)
        finally:
            spans.append((start, time.monotonic(), time.process_time() - cpu))

    ElasticClient.put_extension_file = timed_upload  # type: ignore[method-assign]
    return spans


def child_archive(url: str, file_path: str, api_key: str) -> dict[str, Any]:
    """The archive check of `check` alone, on a large plugin zip: read once, then every rule (no HTTP)."""
    phases = _Phases()

    def load() -> Any:
        from pulumi_search_extensions.elastic import archive

        return archive

    archive = phases.run("import", load)
    rss_after_import = _maxrss_mb()
    contents = phases.run("archive read", lambda: archive.read_archive(file_path))
    found = phases.run(
        "archive rules", lambda: archive.findings(contents, extension_type="plugin", version=ARCHIVE_VERSION)
    )
    return {
        "spans": phases.spans,
        "maxrss_mb": _maxrss_mb(),
        "rss_after_import_mb": rss_after_import,
        "entries": len(contents.names),
        "rules": sorted({finding.rule for finding in found}),
    }


def write_large_plugin_zip(path: Path, size: int) -> Path:
    """A plugin zip of about `size` bytes: a large stored member first, then a JAR and the descriptor."""
    import zipfile

    write_large_zip(path, size)  # one stored member of random bytes, written in chunks
    descriptor = (
        "description=bench\nversion=1.0.0\nname=bench\nclassname=org.example.Bench\njava.version=17\n"
        f"elasticsearch.version={ARCHIVE_VERSION}\n"
    )
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("bench-1.0.0.jar", b"PK\x05\x06" + bytes(18))
        archive.writestr("plugin-descriptor.properties", descriptor)
    return path


def child_plain(url: str, file_path: str, api_key: str) -> dict[str, Any]:
    """The baseline: a plain hashlib loop and a plain streaming `requests.put` of the same file."""
    import hashlib

    import requests

    phases = _Phases()
    session = requests.Session()
    headers = {"Authorization": f"ApiKey {api_key}"}
    body = {"name": "streaming-plain", "extension_type": "bundle", "version": "8.*", "description": ""}

    def sha256() -> str:
        digest = hashlib.sha256()
        with open(file_path, "rb") as file:
            while block := file.read(MIB):
                digest.update(block)
        return digest.hexdigest()

    def put(extension_id: str) -> requests.Response:
        with open(file_path, "rb") as file:
            response = session.put(
                f"{url}{ELASTIC_PATH}/{extension_id}",
                data=file,
                headers={**headers, "Content-Type": "application/zip"},
                timeout=600,
            )
        response.raise_for_status()
        return response

    created = session.post(f"{url}{ELASTIC_PATH}", json=body, headers=headers, timeout=60)
    created.raise_for_status()
    extension_id = created.json()["id"]
    digest = phases.run("hash", sha256)
    uploaded = phases.run("upload", lambda: put(extension_id))
    # Replacing a stored file is what the provider's update does: the like-for-like baseline for it.
    phases.run("reupload", lambda: put(extension_id))
    session.delete(f"{url}{ELASTIC_PATH}/{extension_id}", headers=headers, timeout=60).raise_for_status()
    return {
        "spans": phases.spans,
        "maxrss_mb": _maxrss_mb(),
        "file_size": uploaded.json().get("file_metadata", {}).get("size"),
        "sha256": digest,
    }


# ---------------------------------------------------------------------------------------------- parent


@dataclass
class ChildRun:
    """One child process: its phases (seconds), its memory and the RSS samples taken by the parent."""

    kind: str
    round: int
    phases: dict[str, float]
    cpu: dict[str, float]
    maxrss_mb: float
    sampled_peak_mb: float
    rss_after_import_mb: float | None
    samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, MB)


def _sample(pid: int, samples: list[tuple[float, float]], done: threading.Event) -> None:
    import psutil

    process = psutil.Process(pid)
    while not done.is_set():
        try:
            samples.append((time.monotonic(), process.memory_info().rss / MIB))
        except psutil.Error:
            return
        time.sleep(SAMPLE_INTERVAL_S)


def _pin(pid: int, cpus: set[int] | None) -> None:
    """Keep a process on `cpus` (None: leave it where the scheduler puts it)."""
    if cpus is not None:
        os.sched_setaffinity(pid, cpus)


def _cpu_split() -> tuple[set[int] | None, set[int] | None]:
    """(client CPUs, emulator CPUs): the last core for the emulator, the others for the clients.

    The upload speed is the emulator's (one Python process receiving); with both on the same core the
    scheduler's choices alone swing a run by 10%. Apart, as a client and a real service would be, they do not.
    """
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cpus) < 2:
        return None, None
    return set(cpus[:-1]), {cpus[-1]}


def run_child(
    kind: str, round_: int, url: str, file_path: Path, api_key: str, cpus: set[int] | None = None
) -> ChildRun:
    """Start one child (on `cpus`), sample its RSS until it exits, read its JSON report."""
    command = [*python_command(), str(Path(__file__).resolve()), "--child", kind, "--url", url]
    command += ["--file", str(file_path), "--api-key", api_key]
    samples: list[tuple[float, float]] = []
    done = threading.Event()
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _pin(process.pid, cpus)  # before it has finished importing: nothing is measured yet
    sampler = threading.Thread(target=_sample, args=(process.pid, samples, done), daemon=True)
    sampler.start()
    stdout, stderr = process.communicate(timeout=1800)
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"streaming child {kind} failed ({process.returncode}):\n{stderr}")
    report = json.loads(stdout.strip().splitlines()[-1])
    spans = {name: (float(a), float(b), float(c)) for name, (a, b, c) in report["spans"].items()}
    return ChildRun(
        kind=kind,
        round=round_,
        phases={name: b - a for name, (a, b, _) in spans.items()},
        cpu={name: c for name, (_, _, c) in spans.items()},
        maxrss_mb=float(report["maxrss_mb"]),
        sampled_peak_mb=max((mb for _, mb in samples), default=0.0),
        rss_after_import_mb=report.get("rss_after_import_mb"),
        samples=[(t - started, mb) for t, mb in samples],
    )


@dataclass
class StreamingResult:
    """Everything the streaming benchmark measured."""

    file_size: int
    build_seconds: float
    runs: list[ChildRun]
    archive_size: int = 0


def run(*, quick: bool = False, file_size: int | None = None, rounds: int | None = None) -> StreamingResult:
    """Build the file, start the emulator (upload limit above the file), alternate the two kinds."""
    from pulumi_search_extensions.emulator import run_emulator

    size = file_size or (QUICK_FILE_SIZE if quick else FILE_SIZE)
    rounds = rounds or (QUICK_ROUNDS if quick else ROUNDS)
    with scratch_dir("bench-streaming-") as root:
        build_start = time.perf_counter()
        path = write_large_zip(root / "large-bundle.zip", size)
        build_seconds = time.perf_counter() - build_start
        real_size = path.stat().st_size
        print(f"  built {path.stat().st_size / MIB:.0f} MiB zip in {seconds(build_seconds)}", flush=True)
        limit_mb = size // MIB + 64
        runs = []
        # The emulator keeps the received files in memory (tmpfs) when it can: writing 1 GiB after 1 GiB to
        # disk hits the kernel's dirty-page throttling, which would measure the disk, not the upload path.
        with (
            scratch_dir("bench-streaming-emulator-", memory_dir(3 * size)) as emulator_dir,
            run_emulator(elastic_upload_limit_mb=limit_mb, data_dir=emulator_dir) as emulator,
        ):
            # Warm-up, not reported: on a VM, the first writes into fresh memory pages are far slower than
            # later ones (measured here: 0.7 s for a first GiB into /dev/shm, 5 s for a second), and the
            # emulator's copies of the file land there. Then the order alternates between rounds.
            client_cpus, emulator_cpus = _cpu_split()
            _pin(emulator.pid, emulator_cpus)
            run_child("plain", 0, emulator.url, path, emulator.elastic_api_key, client_cpus)
            for round_ in range(1, rounds + 1):
                for kind in ("plain", "provider") if round_ % 2 else ("provider", "plain"):
                    child = run_child(kind, round_, emulator.url, path, emulator.elastic_api_key, client_cpus)
                    runs.append(child)
                    _print_run(child)
        path.unlink()  # room for the plugin archive
        plugin = write_large_plugin_zip(root / "large-plugin.zip", size)
        runs += _archive_runs(plugin, rounds)
        archive_size = plugin.stat().st_size
    return StreamingResult(file_size=real_size, build_seconds=build_seconds, runs=runs, archive_size=archive_size)


def _print_run(child: ChildRun) -> None:
    timing = ", ".join(f"{name} {seconds(s)}" for name, s in child.phases.items())
    print(f"  round {child.round} {child.kind:<8} peak RSS {child.maxrss_mb:6.1f} MB  {timing}", flush=True)


def _archive_runs(plugin: Path, rounds: int) -> list[ChildRun]:
    runs = []
    for round_ in range(1, rounds + 1):
        child = run_child("archive", round_, "", plugin, "", _cpu_split()[0])
        runs.append(child)
        _print_run(child)
    return runs


def run_archive(*, quick: bool = False) -> StreamingResult:
    """Only the archive check: build the plugin zip, check it once per round in a fresh child."""
    size = QUICK_FILE_SIZE if quick else FILE_SIZE
    rounds = QUICK_ROUNDS if quick else ROUNDS
    with scratch_dir("bench-archive-") as root:
        build_start = time.perf_counter()
        plugin = write_large_plugin_zip(root / "large-plugin.zip", size)
        build_seconds = time.perf_counter() - build_start
        print(f"  built {plugin.stat().st_size / MIB:.0f} MiB plugin zip in {seconds(build_seconds)}", flush=True)
        runs = _archive_runs(plugin, rounds)
        return StreamingResult(plugin.stat().st_size, build_seconds, runs, plugin.stat().st_size)


# ---------------------------------------------------------------------------------------------- report


def _median(runs: Sequence[ChildRun], kind: str, phase: str) -> float:
    return statistics.median(r.phases[phase] for r in runs if r.kind == kind and phase in r.phases)


def _median_cpu(runs: Sequence[ChildRun], kind: str, phases: Sequence[str]) -> float:
    return statistics.median(r.cpu[p] for r in runs if r.kind == kind for p in phases if p in r.cpu)


def summary(result: StreamingResult) -> dict[str, float]:
    """Medians over the rounds: throughputs (MB/s), their ratios, memory peaks (MB), hash times (s)."""
    mb = result.file_size / MIB
    runs = result.runs
    provider = [r for r in runs if r.kind == "provider"]
    plain_upload = _median(runs, "plain", "upload")
    plain_reupload = _median(runs, "plain", "reupload")
    return {
        "size_mib": mb,
        "plain_upload_s": plain_upload,
        "plain_reupload_s": plain_reupload,
        "provider_create_s": _median(runs, "provider", "create"),
        "provider_update_s": _median(runs, "provider", "update"),
        "plain_hash_s": _median(runs, "plain", "hash"),
        "provider_check_s": _median(runs, "provider", "check"),
        "plain_mbps": mb / plain_upload,
        "plain_reupload_mbps": mb / plain_reupload,
        "create_mbps": mb / _median(runs, "provider", "create"),
        "update_mbps": mb / _median(runs, "provider", "update"),
        "create_put_s": _median(runs, "provider", "create PUT"),
        "update_put_s": _median(runs, "provider", "update PUT"),
        "plain_put_cpu_s": _median_cpu(runs, "plain", ("upload", "reupload")),
        "provider_put_cpu_s": _median_cpu(runs, "provider", ("create PUT", "update PUT")),
        "create_ratio": plain_upload / _median(runs, "provider", "create"),
        "update_ratio": plain_reupload / _median(runs, "provider", "update"),
        "peak_rss_mb": max(r.maxrss_mb for r in provider),
        "sampled_peak_mb": max(r.sampled_peak_mb for r in provider),
        "rss_after_import_mb": max(r.rss_after_import_mb or 0.0 for r in provider),
        "plain_peak_rss_mb": max(r.maxrss_mb for r in runs if r.kind == "plain"),
    }


def tables(result: StreamingResult) -> list[Table]:
    """Per-round figures and the targets."""
    s = summary(result)
    mb = s["size_mib"]
    rows = []
    for run_ in result.runs:
        if run_.kind == "archive":
            continue  # its own table (archive_tables)
        for phase, value in run_.phases.items():
            if phase in ("import", "delete"):
                continue
            moved = phase in ("upload", "reupload", "create", "update", "create PUT", "update PUT", "hash", "check")
            rows.append(
                [
                    str(run_.round),
                    run_.kind,
                    phase,
                    seconds(value),
                    f"{mb / value:.0f}" if moved else "",
                    f"{run_.cpu.get(phase, 0.0):.2f}",
                    f"{run_.maxrss_mb:.1f}",
                ]
            )
    per_round = Table(
        f"Streaming a {mb:.0f} MiB extension file (provider in a child process vs plain requests)",
        ["round", "kind", "phase", "time", "MiB/s", "client CPU s", "peak RSS (MB)"],
        rows,
        [
            "provider create = POST + PUT (the file) + GET; update = PUT (the file) + GET; create/update PUT = that "
            "PUT alone (timed by a probe around ElasticClient.put_extension_file); check = validation + SHA-256.",
            "plain upload = one requests.put(data=<open file>); reupload = the same again (replacing the stored "
            "file, like update); plain hash = hashlib, 1 MiB blocks.",
            "client CPU s: CPU time of the child process during the phase (what the client side costs, whatever "
            "the emulator's speed); peak RSS: the child's VmHWM (the kernel's high-water mark), imports included.",
        ],
    )
    medians = []
    for kind, phases in (
        ("plain", ("hash", "upload", "reupload")),
        ("provider", ("check", "create", "create PUT", "update", "update PUT")),
    ):
        peak = max(r.maxrss_mb for r in result.runs if r.kind == kind)
        for phase in phases:
            value = _median(result.runs, kind, phase)
            cpu = _median_cpu(result.runs, kind, (phase,))
            medians.append([kind, phase, seconds(value), f"{mb / value:.0f}", f"{cpu:.2f}", f"{peak:.1f}"])
    rounds = max(r.round for r in result.runs)
    summary_table = Table(
        f"Streaming a {mb:.0f} MiB extension file: medians of {rounds} rounds",
        ["kind", "phase", "time", "MiB/s", "client CPU s", "peak RSS (MB)"],
        medians,
        per_round.notes,
    )
    targets = Table(
        "Streaming targets",
        ["target", "measured", "met"],
        [
            [
                f"provider peak RSS < {RSS_TARGET_MB:.0f} MB",
                f"{s['peak_rss_mb']:.1f} MB (sampled {s['sampled_peak_mb']:.1f}; "
                f"{s['rss_after_import_mb']:.1f} after imports)",
                "met" if s["peak_rss_mb"] < RSS_TARGET_MB else "NOT met",
            ],
            [
                f"create throughput >= {THROUGHPUT_TARGET} x plain requests",
                f"{s['create_ratio']:.3f}x ({s['create_mbps']:.0f} vs {s['plain_mbps']:.0f} MiB/s)",
                "met" if s["create_ratio"] >= THROUGHPUT_TARGET else "NOT met",
            ],
            [
                f"update (re-upload) throughput >= {THROUGHPUT_TARGET} x plain requests re-upload",
                f"{s['update_ratio']:.3f}x ({s['update_mbps']:.0f} vs {s['plain_reupload_mbps']:.0f} MiB/s)",
                "met" if s["update_ratio"] >= THROUGHPUT_TARGET else "NOT met",
            ],
            [
                "client CPU of one PUT of the file: provider vs plain requests",
                f"{s['provider_put_cpu_s']:.2f} s vs {s['plain_put_cpu_s']:.2f} s "
                f"({s['provider_put_cpu_s'] / s['plain_put_cpu_s']:.2f}x)",
                "(evidence)",
            ],
            [
                "time to hash (check)",
                f"{seconds(s['provider_check_s'])} ({mb / s['provider_check_s']:.0f} MiB/s; plain hashlib "
                f"{seconds(s['plain_hash_s'])})",
                "(no target)",
            ],
        ],
        ["medians over the rounds"],
    )
    return [per_round, summary_table, targets, *archive_tables(result)]


def archive_tables(result: StreamingResult) -> list[Table]:
    """The archive check of a large plugin zip: time and memory per round, and their medians."""
    runs = [r for r in result.runs if r.kind == "archive"]
    if not runs:
        return []
    mib = result.archive_size / MIB
    rows = [
        [
            str(r.round),
            seconds(r.phases["archive read"]),
            seconds(r.phases["archive rules"]),
            f"{r.cpu['archive read'] + r.cpu['archive rules']:.3f}",
            f"{r.rss_after_import_mb or 0.0:.1f}",
            f"{r.maxrss_mb:.1f}",
            f"{r.maxrss_mb - (r.rss_after_import_mb or 0.0):.1f}",
        ]
        for r in runs
    ]
    rows.append(
        [
            "median",
            seconds(_median(runs, "archive", "archive read")),
            seconds(_median(runs, "archive", "archive rules")),
            f"{statistics.median(r.cpu['archive read'] + r.cpu['archive rules'] for r in runs):.3f}",
            f"{statistics.median(r.rss_after_import_mb or 0.0 for r in runs):.1f}",
            f"{statistics.median(r.maxrss_mb for r in runs):.1f}",
            f"{statistics.median(r.maxrss_mb - (r.rss_after_import_mb or 0.0) for r in runs):.1f}",
        ]
    )
    return [
        Table(
            f"Archive check of a {mib:.0f} MiB plugin zip (elastic/archive.py, as check runs it), one child a round",
            [
                "round",
                "read (central directory + descriptor)",
                "rules",
                "CPU s",
                "RSS after import (MB)",
                "peak RSS (MB)",
                "peak - after import (MB)",
            ],
            rows,
            [
                "The zip: one stored member of random bytes first, then a JAR and plugin-descriptor.properties.",
                "peak RSS: the child's VmHWM; what the check itself adds is the last column (memory stays flat "
                "whatever the archive's size).",
            ],
        )
    ]


def plot(result: StreamingResult, path: Path) -> Path:
    """RSS over time of each child: the provider's stays flat while 1 GiB goes through it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(9, 4), constrained_layout=True)
    for run_ in result.runs:
        if not run_.samples:
            continue
        xs = [t for t, _ in run_.samples]
        ys = [mb for _, mb in run_.samples]
        color = {"provider": "tab:blue", "archive": "tab:green"}.get(run_.kind, "0.5")
        axis.plot(xs, ys, color=color, alpha=0.8, label=f"{run_.kind} (round {run_.round})")
    axis.axhline(RSS_TARGET_MB, color="tab:red", linestyle="--", label=f"target {RSS_TARGET_MB:.0f} MB")
    axis.set_xlabel("seconds since the child started")
    axis.set_ylabel("RSS (MB)")
    axis.set_title(f"RSS while streaming a {result.file_size / MIB:.0f} MiB extension file")
    axis.grid(alpha=0.3)
    axis.legend(fontsize="small", ncol=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def as_json(result: StreamingResult) -> dict[str, Any]:
    """Raw figures for bench/results/*.json (RSS samples left out: the plot has them)."""
    runs = [{k: v for k, v in asdict(r).items() if k != "samples"} for r in result.runs]
    return {"file_size": result.file_size, "build_seconds": result.build_seconds, "runs": runs, **summary(result)}


def _child_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description="streaming benchmark child process")
    parser.add_argument("--child", choices=("provider", "plain", "archive"), required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--file", required=True)
    parser.add_argument("--api-key", required=True)
    args = parser.parse_args(argv)
    child = {"provider": child_provider, "plain": child_plain, "archive": child_archive}[args.child]
    report = child(args.url, args.file, args.api_key)
    print(json.dumps(report))
    return 0


def _archive_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description="the archive check of a large plugin zip, alone")
    parser.add_argument("--quick", action="store_true", help="256 MiB and 2 rounds instead of 1 GiB and 5")
    args = parser.parse_args(argv)
    for table in archive_tables(run_archive(quick=args.quick)):
        print(table.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(_archive_main(sys.argv[2:]) if sys.argv[1:2] == ["archive"] else _child_main(sys.argv[1:]))
