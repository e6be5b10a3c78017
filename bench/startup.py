"""Start-up: import a framework, build an app with 500 routes, serve the first /openapi.json.

Each sample is a fresh ``bench.worker startup`` process, timed in CPU
seconds of that process (wall time swings with the machine's other work);
the clock starts before the framework, Pydantic and the app module are
imported, and the
first ``/openapi.json`` includes the lifespan start-up (BlackSheep builds
its document then; FastAPI and fastcore on the first request). Frameworks
run in turn, repeatedly, and the median of each is kept.
"""

from __future__ import annotations

import json
import statistics
from typing import Any

from bench import children
from bench.frameworks import Framework


def measure(frameworks: list[Framework], repeats: int) -> dict[str, dict[str, Any]]:
    samples: dict[str, list[dict[str, float]]] = {}
    for _ in range(repeats):
        for framework in frameworks:
            result = json.loads(children.run(framework, "startup"))
            samples.setdefault(framework.key, []).append(result)
    results = {}
    for key, runs in samples.items():
        results[key] = {name: statistics.median(run[name] for run in runs) for name in runs[0]} | {
            "samples": runs
        }
    return results
