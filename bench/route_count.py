"""Does routing cost grow with the number of routes? First vs last of N parametrised routes.

Run each framework in its own process so that fastcore's compiled and pure
cores don't share an interpreter:

    python bench/route_count.py            # fastcore (compiled), fastcore (pure), FastAPI
    python bench/route_count.py --routes 1000 --requests 3000

Prints µs per request to the first and to the last route, and last/first:
close to 1.0 means the cost does not depend on the number of routes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

FRAMEWORKS = {
    "fastcore (compiled)": ("fastcore", {}),
    "fastcore (pure)": ("fastcore", {"FASTCORE_PURE_PYTHON": "1"}),
    "fastapi": ("fastapi", {}),
}


def build(module_name: str, count: int):
    framework = __import__(module_name)
    app = framework.FastAPI()
    for index in range(count):

        async def endpoint(item_id: str, index: int = index):
            return {"route": index, "item_id": item_id}

        app.add_api_route(f"/resource{index}/{{item_id}}/detail", endpoint, name=f"route{index}")
    return app


def measure(module_name: str, count: int, requests: int) -> dict[str, float]:
    from asgi_driver import http_scope, median_microseconds

    app = build(module_name, count)
    first = median_microseconds(app, http_scope("/resource0/abc/detail"), requests)
    last = median_microseconds(app, http_scope(f"/resource{count - 1}/abc/detail"), requests)
    return {"first_us": first, "last_us": last, "last_over_first": last / first}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--routes", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.routes, args.requests)))
        return
    print(f"{'framework':<22}{'first µs':>10}{'last µs':>10}{'last/first':>12}")
    for label, (module_name, env) in FRAMEWORKS.items():
        command = [sys.executable, __file__, "--child", module_name, "--routes", str(args.routes)]
        command += ["--requests", str(args.requests)]
        done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{label:<22} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        result = json.loads(done.stdout)
        print(
            f"{label:<22}{result['first_us']:>10.1f}{result['last_us']:>10.1f}{result['last_over_first']:>12.2f}"
        )


if __name__ == "__main__":
    main()
