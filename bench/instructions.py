"""Instructions per request, counted by valgrind's callgrind: fastcore against FastAPI.

Time on a shared machine is noisy; instruction counts are not. Each
framework serves the same endpoints (from ``bench/params.py`` and
``bench/deps.py``) in its own process under ``valgrind --tool=callgrind``,
twice: once with a few requests and once with many more. The difference
between the two totals, divided by the difference in requests, is the cost
of one request, with start-up cancelled out.

    python bench/instructions.py                     # every framework, every endpoint
    python bench/instructions.py --requests 200 1200

Needs valgrind (Debian: ``apt-get install valgrind``). Slow: callgrind runs
programs about fifty times slower.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from side_by_side import FRAMEWORKS  # noqa: E402 - after the path is set

# (label, module that builds the app, path, query string)
ENDPOINTS = [
    ("GET /items/{id}?q=&limit=", "params", "/items/42", b"q=red&limit=5"),
    ("GET /chain (3 dependencies)", "deps", "/chain", b""),
]
_TOTAL = re.compile(r"^summary:\s+(\d+)", re.MULTILINE)


def serve_requests(framework: str, module: str, path: str, query: bytes, count: int) -> None:
    """Build the app and send it ``count`` requests in-process (run under callgrind)."""
    from asgi_driver import call, http_scope

    app = __import__(module).build(framework)
    scope = http_scope(path, query=query)

    async def run() -> None:
        for _ in range(count):
            status = await call(app, scope)
            if status != 200:
                raise AssertionError(f"{path} answered {status}")

    asyncio.run(run())


def count_instructions(
    framework: str, env: dict[str, str], module: str, path: str, query: bytes, requests: int
) -> int:
    """Instructions callgrind counts for the whole process serving ``requests`` requests."""
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "callgrind.out"
        command = [
            "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
            sys.executable, __file__, "--child", framework, module, path, query.decode(),
            str(requests),
        ]  # fmt: skip
        done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip().splitlines()[-1:])
        match = _TOTAL.search(out.read_text())
        if match is None:
            raise RuntimeError("no summary line in callgrind's output")
        return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--requests", type=int, nargs=2, default=[100, 600], metavar=("FEW", "MANY")
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        framework, module, path, query, count = args.child
        serve_requests(framework, module, path, query.encode(), int(count))
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    few, many = args.requests
    results: dict[str, dict[str, int]] = {}
    for label, module, path, query in ENDPOINTS:
        print(label)
        for name, (framework, env) in FRAMEWORKS.items():
            low = count_instructions(framework, env, module, path, query, few)
            high = count_instructions(framework, env, module, path, query, many)
            per_request = (high - low) // (many - few)
            results.setdefault(label, {})[name] = per_request
            print(f"  {name:<22}{per_request:>12,} instructions per request", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
