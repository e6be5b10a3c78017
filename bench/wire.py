"""Over the wire: each app under uvicorn (uvloop + httptools, 1 worker), loaded by wrk.

Every framework's server runs at once, each on its own port, so that each
endpoint can be loaded framework after framework (the order rotated between
endpoints) and a slow spell of the shared machine does not fall on one
framework's whole run; the whole sequence runs ``rounds`` times, short
runs spread in time, and the median of each figure is kept. Before any load,
every server answers each case once and the answer is checked. wrk (Debian's)
runs one thread and ``connections`` keep-alive connections for ``seconds``
per run; its Lua ``done`` hook reports requests, p50 and p99 latency, and
errors (non-2xx answers count).
The WebSocket echo is measured by ``bench.worker ws-client``, an asyncio
client with the ``websockets`` library. The resident memory of each server
is read from /proc after all its loads.
"""

from __future__ import annotations

import http.client
import json
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.cases import BY_KEY, Case, Mismatch
from bench.children import Child, rotated, worker_command
from bench.frameworks import Framework

WRK_REPORT = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nBENCH {"requests": %d, "duration_us": %d, "p50_us": %.1f, "p99_us": %.1f, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def memory_kib(pid: int) -> dict[str, int]:
    """Resident memory now (VmRSS) and at its peak (VmHWM), in KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


class Server(Child):
    def __init__(self, framework: Framework) -> None:
        self.port = free_port()
        super().__init__(framework, "serve", self.port, stdout=subprocess.DEVNULL)

    def ask(self, case: Case) -> tuple[int, str, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            headers = {name.decode(): value.decode() for name, value in case.headers}
            connection.request(case.method, case.target, body=case.body or None, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheader("content-type", ""), response.read()
        finally:
            connection.close()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise self.failure("the server exited")
            try:
                self.ask(BY_KEY["plaintext"])
                return
            except OSError:
                time.sleep(0.2)
        raise self.failure("the server did not answer in time")


def wrk_script(case: Case, directory: Path) -> Path:
    lines = [f'wrk.method = "{case.method}"']
    if case.body:
        lines.append(f"wrk.body = [==[{case.body.decode()}]==]")
    for name, value in case.headers:
        lines.append(f'wrk.headers["{name.decode()}"] = "{value.decode()}"')
    script = directory / f"{case.key}.lua"
    script.write_text("\n".join(lines) + WRK_REPORT)
    return script


def run_wrk(
    port: int, case: Case, script: Path, seconds: float, connections: int
) -> dict[str, Any]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script)]
    command.append(f"http://127.0.0.1:{port}{case.target}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    reports = [line for line in done.stdout.splitlines() if line.startswith("BENCH ")]
    if done.returncode != 0 or not reports:
        raise RuntimeError(f"wrk failed on {case.key}: {done.stderr.strip() or done.stdout}")
    report = json.loads(reports[-1].removeprefix("BENCH "))
    errors = sum(report[kind] for kind in ("connect", "read", "write", "status", "timeout"))
    return {
        "rps": report["requests"] / (report["duration_us"] / 1e6),
        "p50_ms": report["p50_us"] / 1000,
        "p99_ms": report["p99_us"] / 1000,
        "requests": report["requests"],
        "errors": errors,
    }


def run_ws_client(port: int, seconds: float, connections: int) -> dict[str, Any]:
    url = f"ws://127.0.0.1:{port}/ws"
    command = worker_command("ws-client", url, seconds, connections)
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"the WebSocket client failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over the rounds; errors added up."""
    summary = {
        name: statistics.median(run[name] for run in runs)
        for name in runs[0]
        if name not in ("errors", "requests", "messages", "seconds")
    }
    summary["errors"] = sum(run.get("errors", 0) for run in runs)
    return summary | {"samples": runs}


def measure(
    frameworks: list[Framework],
    case_keys: list[str],
    rounds: int,
    seconds: float,
    connections: int,
    ws_connections: int,
    websocket: bool = True,
) -> dict[str, Any]:
    """Check every server's answers (``Mismatch`` if one is wrong), then load each case."""
    servers: list[Server] = []
    try:
        for framework in frameworks:
            servers.append(Server(framework))
        for server in servers:
            server.wait_ready()
        problems: dict[str, dict[str, str]] = {}
        for server in servers:
            for case in BY_KEY.values():
                why = case.check(*server.ask(case))
                if why:
                    problems.setdefault(server.framework.key, {})[case.key] = why
        if problems:
            raise Mismatch("over the wire", problems)
        http: dict[str, dict[str, list[dict[str, Any]]]] = {key: {} for key in case_keys}
        sockets: dict[str, list[dict[str, Any]]] = {}
        with tempfile.TemporaryDirectory() as directory:
            scripts = {key: wrk_script(BY_KEY[key], Path(directory)) for key in case_keys}
            for round_ in range(rounds):
                for turn, key in enumerate(case_keys):
                    for server in rotated(servers, round_ + turn):
                        result = run_wrk(server.port, BY_KEY[key], scripts[key], seconds,
                                         connections)  # fmt: skip
                        http[key].setdefault(server.framework.key, []).append(result)
                for server in rotated(servers, round_) if websocket else ():
                    result = run_ws_client(server.port, seconds, ws_connections)
                    sockets.setdefault(server.framework.key, []).append(result)
                print(f"  over the wire: round {round_ + 1} of {rounds} done", flush=True)
        memory = {server.framework.key: memory_kib(server.process.pid) for server in servers}
    finally:
        for server in servers:
            server.stop()
    return {
        "http": {
            key: {name: summarize(runs) for name, runs in by_framework.items()}
            for key, by_framework in http.items()
        },
        "websocket": {name: summarize(runs) for name, runs in sockets.items()},
        "memory": memory,
    }
