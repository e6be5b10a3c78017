"""Start the child processes of ``bench.worker``, each in its framework's environment."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.frameworks import Framework

ROOT = Path(__file__).resolve().parent.parent


def rotated(items: list[Any], by: int) -> list[Any]:
    """``items`` starting at index ``by``: who goes first changes from one turn to the next."""
    by %= len(items)
    return items[by:] + items[:by]


def worker_command(mode: str, *args: object) -> list[str]:
    return [sys.executable, "-m", "bench.worker", mode, *map(str, args)]


class Child:
    """A long-running ``bench.worker`` child; its stderr is kept for error messages."""

    def __init__(self, framework: Framework, mode: str, *args: object, **popen: Any) -> None:
        self.framework = framework
        self.log = tempfile.TemporaryFile("w+")
        self.process = subprocess.Popen(
            worker_command(mode, framework.key, *args),
            cwd=ROOT,
            env=framework.child_env(),
            stderr=self.log,
            text=True,
            **popen,
        )

    def failure(self, what: str) -> RuntimeError:
        self.log.seek(0)
        tail = "\n".join(self.log.read().strip().splitlines()[-8:])
        return RuntimeError(f"{self.framework.label}: {what}\n{tail}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def run(framework: Framework, mode: str, *args: object, timeout: float = 900) -> str:
    """Run a ``bench.worker`` child to completion: its stdout, or RuntimeError with its stderr."""
    done = subprocess.run(
        worker_command(mode, framework.key, *args),
        cwd=ROOT,
        env=framework.child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-8:])
        raise RuntimeError(f"{framework.label} ({mode}) failed:\n{tail}")
    return done.stdout
