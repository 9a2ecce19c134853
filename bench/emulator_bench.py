"""Emulator throughput, latency and upload memory on loopback (a benchmark, not a test).

    .venv/bin/python bench/emulator_bench.py [--clients 8] [--gets-per-client 1000] [--upload-mb 100]

Measures, against a real emulator process started with `run_emulator()`:

- `GET` of one Coveo extension by N concurrent clients (separate processes, one keep-alive
  `http.client` connection each): requests/s, p50, p99, and the server's CPU per request
  (the figure that does not depend on what else the machine is doing);
- a raw-body `PUT` upload of an Elastic extension file, once alone and once by N concurrent
  clients: requests/s, MB/s, p50, p99, and the server process's peak RSS growth while it runs
  (sampled every 5 ms with psutil).

Targets: >= 1000 GET/s; peak RSS growth < 50 MB during a single 100 MB upload. Results are
printed as a table and written to bench/results/emulator_bench.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil
import requests

from pulumi_search_extensions.emulator import EmulatorHandle, run_emulator

MIB = 1024 * 1024
RESULTS_FILE = Path(__file__).parent / "results" / "emulator_bench.json"
GET_TARGET_PER_S = 1000.0
UPLOAD_MEMORY_TARGET_MB = 50.0


@dataclass
class Row:
    """One line of the results table."""

    scenario: str
    clients: int
    requests: int
    per_second: float
    p50_ms: float
    p99_ms: float
    server_cpu_ms: float | None = None  # server process CPU (user + system) per request
    mb_per_second: float | None = None
    peak_rss_growth_mb: float | None = None


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _get_worker(url: str, headers: dict[str, str], count: int) -> list[float]:
    """One client: `count` GETs on one keep-alive connection; returns each latency in seconds.

    `http.client` rather than `requests`: the clients share the machine with the server, and
    the lighter client leaves more CPU to what is being measured.
    """
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    latencies = []
    try:
        for _ in range(count):
            start = time.perf_counter()
            connection.request("GET", parts.path, headers=headers)
            response = connection.getresponse()
            response.read()
            latencies.append(time.perf_counter() - start)
            if response.status != 200:
                raise RuntimeError(f"GET answered {response.status}")
    finally:
        connection.close()
    return latencies


def _upload_worker(url: str, headers: dict[str, str], file_path: str) -> float:
    """One client: one raw-body upload streamed from disk; returns its latency in seconds."""
    start = time.perf_counter()
    with open(file_path, "rb") as body:
        response = requests.put(url, data=body, headers=headers, timeout=600)
    if response.status_code != 200:
        raise RuntimeError(f"upload answered {response.status_code}: {response.text[:200]}")
    return time.perf_counter() - start


def _run_clients(worker: Callable[..., Any], arguments: list[tuple[Any, ...]]) -> tuple[list[Any], float]:
    """Run one worker per argument tuple, each in its own process; returns results and wall time."""
    with ProcessPoolExecutor(max_workers=len(arguments)) as pool:
        # Warm the pool so process start-up is not timed.
        list(pool.map(time.sleep, [0.0] * len(arguments)))
        start = time.perf_counter()
        futures = [pool.submit(worker, *args) for args in arguments]
        results = [future.result() for future in futures]
        return results, time.perf_counter() - start


@contextmanager
def _peak_rss(pid: int) -> Iterator[dict[str, float]]:
    """Sample a process's RSS every 5 ms; yields a dict filled with baseline and peak (bytes)."""
    process = psutil.Process(pid)
    sample = {"baseline": float(process.memory_info().rss), "peak": 0.0}
    sample["peak"] = sample["baseline"]
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            sample["peak"] = max(sample["peak"], float(process.memory_info().rss))
            time.sleep(0.005)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield sample
    finally:
        stop.set()
        watcher.join()


def bench_gets(handle: EmulatorHandle, clients: int, per_client: int) -> Row:
    """Concurrent GETs of one Coveo extension."""
    headers = {"Authorization": f"Bearer {handle.coveo_api_key}"}
    base = f"{handle.url}/rest/organizations/{handle.coveo_organization_id}/extensions"
    created = requests.post(base, json={"name": "bench", "content": "pass\n"}, headers=headers, timeout=30)
    url = f"{base}/{created.json()['id']}"
    _get_worker(url, headers, 200)  # warm-up
    handle.admin.clear_requests()
    server = psutil.Process(handle.pid)
    cpu_before = sum(server.cpu_times()[:2])
    results, wall = _run_clients(_get_worker, [(url, headers, per_client)] * clients)
    server_cpu = sum(server.cpu_times()[:2]) - cpu_before
    latencies = [latency for latencies in results for latency in latencies]
    # The server's own request log must have seen every one of them.
    served = handle.admin.requests()["counts"].get("GET /rest/organizations/{organizationId}/extensions/{extensionId}")
    if served != len(latencies):
        raise RuntimeError(f"the server logged {served} GETs, the clients sent {len(latencies)}")
    return Row(
        scenario="GET Coveo extension",
        clients=clients,
        requests=len(latencies),
        per_second=len(latencies) / wall,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=_percentile(latencies, 0.99) * 1000,
        server_cpu_ms=server_cpu * 1000 / len(latencies),
    )


def bench_uploads(handle: EmulatorHandle, clients: int, file_path: Path, size_mb: float) -> Row:
    """`clients` concurrent raw-body uploads, each to its own extension."""
    auth = {"Authorization": f"ApiKey {handle.elastic_api_key}"}
    base = f"{handle.url}/api/v1/deployments/extensions"
    urls = []
    for index in range(clients):
        body = {"name": f"bench-{index}", "extension_type": "bundle", "version": "*"}
        response = requests.post(base, json=body, headers=auth, timeout=30)
        response.raise_for_status()
        urls.append(f"{base}/{response.json()['id']}")
    headers = {**auth, "Content-Type": "application/zip"}
    with _peak_rss(handle.pid) as rss:
        latencies, wall = _run_clients(_upload_worker, [(url, headers, str(file_path)) for url in urls])
    return Row(
        scenario=f"PUT {size_mb:.0f} MB Elastic upload",
        clients=clients,
        requests=len(latencies),
        per_second=len(latencies) / wall,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=_percentile(latencies, 0.99) * 1000,
        mb_per_second=size_mb * len(latencies) / wall,
        peak_rss_growth_mb=(rss["peak"] - rss["baseline"]) / MIB,
    )


def _write_upload_file(directory: Path, size_mb: int) -> Path:
    path = directory / "bundle.zip"
    chunk = os.urandom(MIB)
    with open(path, "wb") as handle:
        for _ in range(size_mb):
            handle.write(chunk)
    return path


def _print_table(rows: list[Row]) -> None:
    header = (
        f"{'scenario':<26} {'clients':>7} {'requests':>8} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} "
        f"{'srv CPU ms':>10} {'MB/s':>8} {'peak RSS +MB':>12}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        cpu = f"{row.server_cpu_ms:10.3f}" if row.server_cpu_ms is not None else f"{'-':>10}"
        mb_s = f"{row.mb_per_second:8.1f}" if row.mb_per_second is not None else f"{'-':>8}"
        rss = f"{row.peak_rss_growth_mb:12.1f}" if row.peak_rss_growth_mb is not None else f"{'-':>12}"
        print(
            f"{row.scenario:<26} {row.clients:>7} {row.requests:>8} {row.per_second:>9.1f} "
            f"{row.p50_ms:>9.2f} {row.p99_ms:>9.2f} {cpu} {mb_s} {rss}"
        )


def main() -> None:
    """Run every scenario and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default: %(default)s)")
    parser.add_argument("--gets-per-client", type=int, default=1000, help="GETs per client (default: %(default)s)")
    parser.add_argument("--upload-mb", type=int, default=100, help="size of each upload (default: %(default)s)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="emulator-bench-") as scratch:
        upload_file = _write_upload_file(Path(scratch), args.upload_mb)
        limit_mb = args.upload_mb + 1
        with run_emulator(elastic_upload_limit_mb=limit_mb, data_dir=Path(scratch) / "data") as handle:
            rows = [
                bench_gets(handle, args.clients, args.gets_per_client),
                bench_uploads(handle, 1, upload_file, args.upload_mb),
                bench_uploads(handle, args.clients, upload_file, args.upload_mb),
            ]

    print(f"emulator benchmark on loopback, {psutil.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    _print_table(rows)
    get_rate = rows[0].per_second
    single_growth = rows[1].peak_rss_growth_mb or 0.0
    print()
    verdict = "met" if get_rate >= GET_TARGET_PER_S else "MISSED"
    print(f"target >= {GET_TARGET_PER_S:.0f} GET/s: {verdict} ({get_rate:.0f})")
    print(
        f"target < {UPLOAD_MEMORY_TARGET_MB:.0f} MB RSS growth during one {args.upload_mb} MB upload: "
        f"{'met' if single_growth < UPLOAD_MEMORY_TARGET_MB else 'MISSED'} ({single_growth:.1f} MB)"
    )
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps([asdict(row) for row in rows], indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
