"""In-process timing: every framework's app called directly by an ASGI driver, side by side.

One long-lived ``bench.worker session`` child per framework builds its app
once and answers timing requests over a pipe. The parent asks for one batch
at a time, framework after framework for each case, with the order rotated
between repetitions: on a shared, noisy machine a slow spell then hits every
framework alike instead of one framework's whole run. The figure kept per
case and framework is the median over the repetitions of the mean time per
request of a batch.
"""

from __future__ import annotations

import json
import statistics
import subprocess
from typing import Any

from bench.cases import Mismatch
from bench.children import Child, rotated
from bench.frameworks import Framework


class Session(Child):
    """A ``bench.worker session`` child: call ``receive()`` once for its ready line."""

    def __init__(self, framework: Framework) -> None:
        super().__init__(framework, "session", stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def receive(self) -> Any:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise self.failure("the in-process session ended")
        return json.loads(line)

    def ask(self, **command: Any) -> Any:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self.receive()


def measure(
    frameworks: list[Framework],
    case_keys: list[str],
    repeats: int,
    seconds: float,
    requests: int | None = None,
) -> dict[str, dict[str, Any]]:
    """Check every app's responses (``Mismatch`` if one is wrong), then time every case.

    ``results[case][framework]`` holds the median µs per request and the
    samples it came from.
    """
    sessions: list[Session] = []
    try:
        for framework in frameworks:
            sessions.append(Session(framework))
        for session in sessions:  # built side by side, then wait for each one's ready line
            session.receive()
        problems = {}
        for session in sessions:
            found = {key: why for key, why in session.ask(op="check").items() if why}
            if found:
                problems[session.framework.key] = found
        if problems:
            raise Mismatch("in-process", problems)
        samples: dict[str, dict[str, list[float]]] = {key: {} for key in case_keys}
        batches: dict[str, dict[str, int]] = {key: {} for key in case_keys}
        for repeat in range(repeats):
            for key in case_keys:
                for session in rotated(sessions, repeat):
                    answer = session.ask(op="time", case=key, seconds=seconds, requests=requests)
                    if answer["failures"]:
                        raise session.failure(f"{answer['failures']} failed requests on {key}")
                    samples[key].setdefault(session.framework.key, []).append(answer["us"])
                    batches[key][session.framework.key] = answer["requests"]
            print(f"  in-process: repetition {repeat + 1} of {repeats} done", flush=True)
    finally:
        for session in sessions:
            session.stop()
    return {
        key: {
            name: {
                "us": statistics.median(values),
                "samples": values,
                "requests_per_batch": batches[key][name],
            }
            for name, values in by_framework.items()
        }
        for key, by_framework in samples.items()
    }
