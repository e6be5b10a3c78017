"""Load and soak: keep one server busy with a mix of requests, and watch its memory.

    python -m bench.soak [--requests N] [--rounds R] [--core compiled|pure|both]

For each core, ``bench/soak_app.py`` runs under uvicorn (one worker, uvloop,
httptools) on 127.0.0.1, and wrk (``bench/soak.lua``) sends it ``MIX`` over and
over: a JSON GET with path and query parameters, a POST with a JSON body, an
unknown path (404), an invalid body (422), a dependency chain, a protected
route with and without its token (200, 401). A warm-up takes a tenth of the
requests; the rest is split into rounds, and the worker's resident memory
(VmRSS in /proc/<pid>/status) is read after the warm-up and after each round.

Each request of the mix is first sent once, alone, and must get its status.
A run fails (exit status 1) on any error: a wrong status in that first pass, a
socket error or timeout, a 5xx, a status no request of the mix should get,
statuses in other proportions than the mix (one kind of request answered with
another kind's status), fewer answers than requests, or a traceback in the
server's log. It also fails while memory keeps growing: the resident size must
rise by at most ``--max-growth-mb`` in total over the second half of the
rounds, once the first half has let every cache, pool and arena reach its
working size. Exit status 2: it could not run (no wrk, or the server did not
start).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bench.soak_app import TOKEN

ROOT = Path(__file__).resolve().parent.parent
LUA_LOGIC = Path(__file__).with_name("soak.lua")
DEFAULT_APP = "bench.soak_app:app"
SOCKET_ERRORS = ("connect", "read", "write", "timeout")
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Call:
    """One request of the mix, and the status it must get."""

    label: str
    method: str
    path: str
    expected: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


MIX = [
    Call("JSON GET with path and query parameters", "GET", "/items/42?q=hammer&limit=5", 200),
    Call("POST with a JSON body", "POST", "/items", 201, JSON, '{"name": "Drill", "price": 49.5}'),
    Call("unknown path", "GET", "/no/such/page", 404),
    Call("body that fails validation", "POST", "/items", 422, JSON, '{"name": "", "price": -1}'),
    Call("dependency chain (sync, yield)", "GET", "/chain", 200),
    Call(
        "protected route, with its token", "GET", "/me", 200, {"Authorization": f"Bearer {TOKEN}"}
    ),
    Call("protected route, no token", "GET", "/me", 401),
]


def expected_shares(mix: list[Call]) -> dict[int, float]:
    """The share of the answers each status should have when the mix is sent evenly."""
    counts = Counter(call.expected for call in mix)
    return {status: count / len(mix) for status, count in counts.items()}


# -- one round of load ---------------------------------------------------------------------


@dataclass
class Round:
    """What wrk saw in one round: answers by status, socket errors, time, latency."""

    requested: int
    statuses: dict[int, int]
    socket_errors: dict[str, int]
    seconds: float
    p50_ms: float = 0.0
    p99_ms: float = 0.0

    @property
    def served(self) -> int:
        return sum(self.statuses.values())

    @property
    def per_second(self) -> float:
        return self.served / self.seconds if self.seconds else 0.0


def failed_requests(result: Round, mix: list[Call]) -> int:
    """Requests that got no answer, a 5xx, or a status no request of the mix should get."""
    shares = expected_shares(mix)
    wrong = sum(count for status, count in result.statuses.items() if status not in shares)
    unanswered = max(result.requested - result.served, 0)
    return sum(result.socket_errors.values()) + wrong + unanswered


def round_problems(result: Round, mix: list[Call], slack: int) -> list[str]:
    """Every way ``result`` is not what a healthy server answers to ``mix``.

    The statuses of a round follow the mix up to ``slack`` answers each (wrk
    stops with requests still in flight), so a request answered with another
    request's status shows as a share that is off, even when each status alone
    is an expected one.
    """
    problems = [
        f"{count} socket {kind} errors" for kind, count in result.socket_errors.items() if count
    ]
    server_errors = sum(count for status, count in result.statuses.items() if status >= 500)
    if server_errors:
        problems.append(f"{server_errors} answers with a 5xx status")
    shares = expected_shares(mix)
    unexpected = {s: n for s, n in result.statuses.items() if s not in shares and s < 500}
    if unexpected:
        problems.append(f"statuses no request of the mix should get: {unexpected}")
    if result.served < result.requested:
        problems.append(f"only {result.served} of {result.requested} requests answered")
    for status, share in sorted(shares.items()):
        expected = result.served * share
        got = result.statuses.get(status, 0)
        if abs(got - expected) > slack:
            problems.append(f"{got} answers with status {status}, expected {expected:.0f}")
    return problems


def lua_string(text: str) -> str:
    return f"[==[{text}]==]"


def wrk_script(mix: list[Call], directory: Path) -> Path:
    """bench/soak.lua, preceded by the mix as a Lua table."""
    lines = ["mix = {"]
    for call in mix:
        # "[ [==[" with spaces: "[[" would open a long string.
        headers = ", ".join(
            f"[ {lua_string(k)} ] = {lua_string(v)}" for k, v in call.headers.items()
        )
        body = lua_string(call.body) if call.body is not None else "nil"
        lines.append(
            f"  {{method = {lua_string(call.method)}, path = {lua_string(call.path)}, "
            f"headers = {{{headers}}}, body = {body}}},"
        )
    lines.append("}")
    script = directory / "soak.lua"
    script.write_text("\n".join(lines) + "\n" + LUA_LOGIC.read_text())
    return script


def parse_wrk_output(stdout: str, requested: int) -> Round:
    reports = [line for line in stdout.splitlines() if line.startswith("SOAK ")]
    if not reports:
        raise RuntimeError(f"wrk printed no SOAK line:\n{stdout}")
    report = json.loads(reports[-1].removeprefix("SOAK "))
    return Round(
        requested=requested,
        statuses={int(status): count for status, count in report["statuses"].items()},
        socket_errors={kind: report[kind] for kind in SOCKET_ERRORS},
        seconds=report["duration_us"] / 1e6,
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
    )


def run_round(port: int, script: Path, requests: int, connections: int, threads: int) -> Round:
    """Send ``requests`` requests (the mix, cycled) and count the answers."""
    per_thread = math.ceil(requests / threads)
    # A cap for a server that stalls; at 200 requests/s a round would still finish.
    cap = 30 + math.ceil(requests / 200)
    command = ["wrk", f"-t{threads}", f"-c{max(connections, threads)}", f"-d{cap}s"]
    command += ["--timeout", "5s", "-s", str(script), f"http://127.0.0.1:{port}"]
    with (
        tempfile.NamedTemporaryFile(prefix="fastcore-soak-marks-") as marks,
        tempfile.TemporaryFile("w+") as output,
    ):
        command += ["--", str(per_thread), marks.name]
        wrk = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, text=True)
        end_when_every_thread_is_done(wrk, Path(marks.name), threads, deadline=cap + 60)
        output.seek(0)
        text = output.read()
    # wrk ends with status 0 even when the script fails; the missing SOAK line tells.
    if wrk.returncode != 0:
        raise RuntimeError(f"wrk failed ({wrk.returncode}): {text}")
    return parse_wrk_output(text, per_thread * threads)


def end_when_every_thread_is_done(
    wrk: subprocess.Popen[str], marks: Path, threads: int, deadline: float
) -> None:
    """Interrupt wrk once each thread marked its quota done (else it runs for all of -d).

    The interrupt comes from here rather than from the Lua script: a signal wrk
    sends itself from a worker thread does not reliably wake its main thread.
    """
    started = time.monotonic()
    while wrk.poll() is None:
        # wrk installs its SIGINT handler just after starting its threads: give it a moment.
        if marks.stat().st_size >= threads and time.monotonic() - started > 0.2:
            wrk.send_signal(signal.SIGINT)
            break
        if time.monotonic() - started > deadline:
            wrk.kill()
            break
        time.sleep(0.01)
    wrk.wait(timeout=30)


# -- memory --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemoryVerdict:
    after_warmup_kib: int
    at_end_kib: int
    late_growth_kib: int  # over the second half of the rounds
    limit_kib: int

    @property
    def settled(self) -> bool:
        return self.late_growth_kib <= self.limit_kib


def memory_verdict(samples_kib: list[int], limit_kib: int) -> MemoryVerdict:
    """Judge the resident sizes read after the warm-up (first) and after each round.

    The first half of the rounds may still grow: caches fill, the thread pool
    starts its threads, allocator arenas reach their working size. From the
    middle sample to the last one the size must not rise by more than
    ``limit_kib`` in total; a leak keeps adding a little with every request.
    """
    if len(samples_kib) < 3:
        raise ValueError("need the sample after the warm-up and at least two rounds")
    middle = samples_kib[len(samples_kib) // 2]
    return MemoryVerdict(
        after_warmup_kib=samples_kib[0],
        at_end_kib=samples_kib[-1],
        late_growth_kib=samples_kib[-1] - middle,
        limit_kib=limit_kib,
    )


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


# -- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(core: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "FASTCORE_PURE_PYTHON"}
    if core == "pure":
        env["FASTCORE_PURE_PYTHON"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


class Server:
    """``uvicorn app`` with one worker (the process itself), uvloop and httptools."""

    def __init__(self, app: str, core: str) -> None:
        self.port = free_port()
        self.log: IO[str] = tempfile.TemporaryFile("w+")
        command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--loop", "uvloop", "--http", "httptools"]
        command += ["--log-level", "warning", "--no-access-log"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=server_env(core), stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}):\n{self.output}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nothing listened on port {self.port} within {timeout}s")

    def active_core(self) -> str | None:
        """``compiled`` or ``pure`` as the app's ``/core`` says; None if it has no such route."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", "/core")
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        try:
            compiled = json.loads(body)["compiled"] if response.status == 200 else None
        except (ValueError, KeyError, TypeError):
            compiled = None
        if not isinstance(compiled, bool):
            return None
        return "compiled" if compiled else "pure"

    def preflight(self, mix: list[Call]) -> list[str]:
        """Send each request of ``mix`` once: a wrong status here names the request."""
        problems = []
        for call in mix:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                connection.request(call.method, call.path, body=call.body, headers=call.headers)
                response = connection.getresponse()
                response.read()
            finally:
                connection.close()
            if response.status != call.expected:
                problems.append(f"{call.label}: {response.status}, expected {call.expected}")
        return problems

    @property
    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# -- a whole soak of one core ----------------------------------------------------------------


@dataclass
class Soak:
    core: str
    warmup: Round
    rounds: list[Round]
    memory: MemoryVerdict
    samples_kib: list[int]
    problems: list[str]
    errors: int  # requests that failed; see failed_requests()

    @property
    def served(self) -> int:
        return self.warmup.served + sum(r.served for r in self.rounds)

    @property
    def late_requests(self) -> int:
        """Requests served over the second half of the rounds, where memory is judged."""
        return sum(r.served for r in self.rounds[len(self.rounds) // 2 :])

    @property
    def per_second(self) -> float:
        return statistics.median(r.per_second for r in self.rounds)

    @property
    def passed(self) -> bool:
        return not self.problems and self.memory.settled


def split(requests: int, rounds: int) -> tuple[int, list[int]]:
    """A tenth of the requests for the warm-up, the rest in ``rounds`` equal rounds."""
    warmup = max(requests // 10, 1)
    each = max((requests - warmup) // rounds, 1)
    return warmup, [each] * rounds


def soak(
    core: str,
    requests: int,
    rounds: int,
    *,
    connections: int = 32,
    threads: int = 1,
    max_growth_mb: float = 2.0,
    app: str = DEFAULT_APP,
    mix: list[Call] = MIX,
    progress: IO[str] | None = None,
) -> Soak:
    def say(text: str) -> None:
        if progress is not None:
            print(text, file=progress, flush=True)

    slack = max(connections, threads) + threads * len(mix)
    warmup_size, round_sizes = split(requests, rounds)
    problems: list[str] = []
    server = Server(app, core)
    try:
        server.wait_ready()
        active = server.active_core()
        if active is not None and active != core:
            raise RuntimeError(f"asked for the {core} core, the server runs the {active} one")
        if active is None:
            say(f"  ({app} has no /core route: which core it runs is not checked)")
        problems += [f"before the load: {p}" for p in server.preflight(mix)]
        with tempfile.TemporaryDirectory(prefix="fastcore-soak-") as directory:
            script = wrk_script(mix, Path(directory))
            warmup = run_round(server.port, script, warmup_size, connections, threads)
            problems += [f"warm-up: {p}" for p in round_problems(warmup, mix, slack)]
            samples = [resident_kib(server.process.pid)]
            say(describe_round("warm-up", warmup, samples[-1]))
            done: list[Round] = []
            for number, size in enumerate(round_sizes, 1):
                result = run_round(server.port, script, size, connections, threads)
                problems += [f"round {number}: {p}" for p in round_problems(result, mix, slack)]
                samples.append(resident_kib(server.process.pid))
                say(describe_round(f"round {number}", result, samples[-1]))
                done.append(result)
    finally:
        server.stop()
        log = server.output
        server.log.close()
    if "Traceback" in log:
        problems.append("the server logged a traceback:\n" + log[-3000:])
    limit = int(max_growth_mb * 1024)
    errors = sum(failed_requests(r, mix) for r in [warmup, *done])
    return Soak(core, warmup, done, memory_verdict(samples, limit), samples, problems, errors)


# -- reporting -------------------------------------------------------------------------------


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def describe_round(name: str, result: Round, rss_kib: int) -> str:
    return (
        f"  {name:<9} {result.served:>8,} answers  {result.per_second:>8,.0f} req/s  "
        f"p50 {result.p50_ms:5.2f} ms  p99 {result.p99_ms:6.2f} ms  RSS {mib(rss_kib)}"
    )


def describe(result: Soak) -> str:
    memory = result.memory
    statuses: Counter[int] = Counter(result.warmup.statuses)
    for r in result.rounds:
        statuses.update(r.statuses)
    trend = "settled" if memory.settled else "STILL GROWING"
    per_request = memory.late_growth_kib * 1024 / max(result.late_requests, 1)
    lines = [
        f"  answers by status: {dict(sorted(statuses.items()))}",
        f"  memory: {mib(memory.after_warmup_kib)} after warm-up, {mib(memory.at_end_kib)} "
        f"at the end; {memory.late_growth_kib / 1024:+.1f} MiB over the last half of the "
        f"rounds ({per_request:+.1f} bytes/request; limit {mib(memory.limit_kib)}): {trend}",
    ]
    lines += [f"  error: {problem}" for problem in result.problems]
    lines.append(
        f"SOAK {result.core} core: {result.served:,} requests, {result.errors} errors, "
        f"{result.per_second:,.0f} req/s (median of rounds), RSS {mib(memory.after_warmup_kib)} "
        f"-> {mib(memory.at_end_kib)}, {trend}: {'PASS' if result.passed else 'FAIL'}"
    )
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--requests", type=int, default=200_000, help="per core, warm-up included")
    parser.add_argument("--rounds", type=int, default=8, help="rounds after the warm-up")
    parser.add_argument("--core", choices=["compiled", "pure", "both"], default="both")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--max-growth-mb",
        type=float,
        default=2.0,
        help="most the resident size may grow over the second half of the rounds",
    )
    parser.add_argument("--app", default=DEFAULT_APP, help="the ASGI app to load (module:attr)")
    args = parser.parse_args(argv)
    if args.rounds < 2 or args.requests < 10 * args.rounds:
        parser.error("need at least 2 rounds and 10 requests per round")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench.soak: wrk is missing (make bench-tools, or apt-get install wrk)")
        return 2
    cores = ["compiled", "pure"] if args.core == "both" else [args.core]
    results = []
    for core in cores:
        print(
            f"soak, {core} core: {args.app} under uvicorn (1 worker, uvloop, httptools), "
            f"wrk {args.threads} thread(s), {args.connections} connections, "
            f"{args.requests:,} requests in a warm-up and {args.rounds} rounds",
            flush=True,
        )
        try:
            result = soak(
                core,
                args.requests,
                args.rounds,
                connections=args.connections,
                threads=args.threads,
                max_growth_mb=args.max_growth_mb,
                app=args.app,
                progress=sys.stdout,
            )
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            print(f"SOAK {core} core: could not run: {exc}")
            return 2
        print(describe(result), flush=True)
        results.append(result)
    return 0 if all(result.passed for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
