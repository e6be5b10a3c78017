"""Tables, targets and the generated pages: everything written from a results dict.

``results`` is what ``python -m bench`` measured (also saved as JSON):

- ``inprocess[case][framework]["us"]``: median µs per request (per message for
  ``websocket``);
- ``instructions[case][framework]``: instructions per request;
- ``wire["http"][case][framework]``: ``rps``, ``p50_ms``, ``p99_ms``, ``errors``;
  ``wire["websocket"][framework]["per_s"]``; ``wire["memory"][framework]``:
  ``VmRSS``/``VmHWM`` in KiB;
- ``startup[framework]``: ``build_s`` and, with OpenAPI, ``openapi_s``.

Every ratio is a speed-up over FastAPI: FastAPI's time (or instructions)
divided by the framework's, or the framework's requests/s divided by
FastAPI's. Above 1 is faster than FastAPI.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from string import Template
from typing import Any

from bench.cases import CASES, ROUTES, STARTUP_ROUTES
from bench.frameworks import BY_KEY, REFERENCE

COMPILED, PURE, BLACKSHEEP, RAW = "fastcore", "fastcore_pure", "blacksheep", "raw"
TITLES = {case.key: case.title for case in CASES} | {"websocket": "WebSocket echo (per message)"}
#: What else a target can be about.
NAMES = TITLES | {"build_s": "import + build", "openapi_s": "first /openapi.json", "memory": "RSS"}


# -- numbers ------------------------------------------------------------------------------------


Measure = Callable[[dict[str, Any], str, str], float | None]


def inprocess_us(results: dict[str, Any], case: str, framework: str) -> float | None:
    return results.get("inprocess", {}).get(case, {}).get(framework, {}).get("us")


def instructions(results: dict[str, Any], case: str, framework: str) -> float | None:
    return results.get("instructions", {}).get(case, {}).get(framework)


def wire_rate(results: dict[str, Any], case: str, framework: str) -> float | None:
    wire = results.get("wire", {})
    if case == "websocket":
        return wire.get("websocket", {}).get(framework, {}).get("per_s")
    return wire.get("http", {}).get(case, {}).get(framework, {}).get("rps")


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def speedup(results: dict[str, Any], measure: str, case: str, framework: str) -> float | None:
    """How many times faster than FastAPI ``framework`` is on ``case`` by ``measure``."""
    if measure == "wire":
        return ratio(wire_rate(results, case, framework), wire_rate(results, case, REFERENCE))
    value = inprocess_us if measure == "inprocess" else instructions
    return ratio(value(results, case, REFERENCE), value(results, case, framework))


# -- formatting --------------------------------------------------------------------------------


def times(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}×" if value < 1 else f"{value:.1f}×" if value < 20 else f"{value:.0f}×"


def number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 1000 or digits == 0 else f"{value:,.{digits}f}"


def table(header: list[str], rows: list[list[str]], numbers: bool = True) -> str:
    """A Markdown table; every column but the first right-aligned when they hold numbers."""
    rule = ["---"] + ["---:" if numbers else "---"] * (len(header) - 1)
    lines = [header, rule, *rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def columns(results: dict[str, Any]) -> list[str]:
    return [key for key in BY_KEY if key in results.get("frameworks", {})]


def labels(results: dict[str, Any]) -> list[str]:
    return [results["frameworks"][key]["label"] for key in columns(results)]


def measure_table(
    results: dict[str, Any],
    section: str,
    value: Measure,
    digits: int,
) -> str:
    """One row per case: each framework's value and its speed-up over FastAPI."""
    measure = "wire" if section == "wire" else section
    rows = []
    for case in TITLES:
        cells = []
        for framework in columns(results):
            found = value(results, case, framework)
            speed = times(speedup(results, measure, case, framework))
            cells.append("–" if found is None else f"{number(found, digits)} ({speed})")
        if any(cell != "–" for cell in cells):
            rows.append([TITLES[case], *cells])
    return table(["endpoint", *labels(results)], rows) if rows else "_not measured_"


def latency_table(results: dict[str, Any]) -> str:
    http = results.get("wire", {}).get("http", {})
    rows = []
    for case, by_framework in http.items():
        cells = []
        for framework in columns(results):
            found = by_framework.get(framework)
            cells.append("–" if found is None else f"{found['p50_ms']:.2f} / {found['p99_ms']:.2f}")
        rows.append([TITLES[case], *cells])
    return table(["endpoint", *labels(results)], rows) if rows else "_not measured_"


def wire_errors(results: dict[str, Any]) -> str:
    """A sentence on the failed requests over the wire (wrk's errors and non-2xx answers)."""
    http = results.get("wire", {}).get("http", {})
    failed = [
        f"{results['frameworks'][key]['label']} on {TITLES[case]}: {found['errors']:,}"
        for case, by_framework in http.items()
        for key, found in by_framework.items()
        if found["errors"]
    ]
    if not http:
        return ""
    return "Failed requests: " + "; ".join(failed) + "." if failed else "No request failed."


def memory_table(results: dict[str, Any]) -> str:
    memory = results.get("wire", {}).get("memory", {})
    if not memory:
        return "_not measured_"
    rows = []
    for name, field in (("after the run", "VmRSS"), ("peak", "VmHWM")):
        cells = [
            number(memory[key][field] / 1024) if key in memory else "–" for key in columns(results)
        ]
        rows.append([f"RSS {name} (MiB)", *cells])
    return table(["", *labels(results)], rows)


def startup_table(results: dict[str, Any]) -> str:
    startup = results.get("startup", {})
    if not startup:
        return "_not measured_"
    rows = []
    for name, field in (
        ("import + build (ms)", "build_s"),
        ("first /openapi.json (ms)", "openapi_s"),
    ):
        cells = []
        for key in columns(results):
            found = startup.get(key, {}).get(field)
            reference = startup.get(REFERENCE, {}).get(field)
            speed = times(ratio(reference, found))
            cells.append("–" if found is None else f"{found * 1000:,.0f} ({speed})")
        rows.append([name, *cells])
    return table(["", *labels(results)], rows)


# -- targets -----------------------------------------------------------------------------------

Pairs = list[tuple[str, float | None]]


@dataclass(frozen=True)
class Bound:
    """A target's limit on a measured value, shown rounded towards missing it.

    So a value that misses "at least 2.5" never reads "2.50×".
    """

    limit: float
    upper: bool = False  # the value must stay at or below the limit
    strict: bool = False  # for lower limits: the value must exceed it
    unit: str = "×"  # "×" (two decimals), "%" (a fraction, shown in whole percent) or "" (a count)

    def met(self, value: float) -> bool:
        if self.upper:
            return value <= self.limit
        return value > self.limit if self.strict else value >= self.limit

    def show(self, value: float) -> str:
        scale = 1 if self.unit == "" else 100
        shown = (math.ceil if self.upper else math.floor)(value * scale) / scale
        if self.unit == "%":
            return f"{shown * 100:.0f}%"
        return f"{shown:,.0f}" if self.unit == "" else f"{shown:.2f}×"


def target(text: str, pairs: Pairs, bound: Bound) -> dict[str, Any]:
    """A target over one or more measured values: met when every one of them is."""
    measured = [(case, value) for case, value in pairs if value is not None]
    if not measured:
        return {"target": text, "measured": "not measured", "met": None}
    missed = [(case, value) for case, value in measured if not bound.met(value)]
    detail = ", ".join(f"{NAMES[case]}: {bound.show(value)}" for case, value in missed or measured)
    if missed and len(measured) > len(missed):
        detail = f"missed on {len(missed)} of {len(measured)}: {detail}"
    if len(measured) < len(pairs):
        detail += f" ({len(pairs) - len(measured)} not measured)"
    return {"target": text, "measured": detail, "met": not missed}


def speedups(results: dict[str, Any], measure: str, framework: str, cases: list[str]) -> Pairs:
    return [(case, speedup(results, measure, case, framework)) for case in cases]


def versus(results: dict[str, Any], measure: str, other: str, cases: list[str]) -> Pairs:
    """How many times faster the compiled core is than ``other``, per case."""
    pairs: Pairs = []
    for case in cases:
        mine, theirs = (speedup(results, measure, case, key) for key in (COMPILED, other))
        pairs.append((case, ratio(mine, theirs)))
    return pairs


def share(results: dict[str, Any], value: Measure, cases: list[str], of: str) -> Pairs:
    """The compiled core's ``value`` divided by ``of``'s, per case."""
    return [
        (case, ratio(value(results, case, COMPILED), value(results, case, of))) for case in cases
    ]


FASTER = Bound(1, strict=True)


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    every = [*(case.key for case in CASES), "websocket"]
    first, last = (inprocess_us(results, key, COMPILED) for key in ("route_first", "route_last"))
    counted = [instructions(results, key, COMPILED) for key in ("route_first", "route_last")]
    rss = {key: value["VmRSS"] for key, value in results.get("wire", {}).get("memory", {}).items()}
    startup = results.get("startup", {})

    def startup_speedup(field: str) -> Pairs:
        theirs, mine = (startup.get(key, {}).get(field) for key in (REFERENCE, COMPILED))
        return [(field, ratio(theirs, mine))]

    return [
        target("In-process, compiled ≥ 10× FastAPI: path+query GET, body POST, both dependency "
               "benchmarks",
               speedups(results, "inprocess", COMPILED, ["item", "create", "chain", "tree"]),
               Bound(10)),
        target("In-process, compiled ≥ 5× FastAPI: plaintext and JSON",
               speedups(results, "inprocess", COMPILED, ["plaintext", "json"]), Bound(5)),
        target("In-process, compiled faster than BlackSheep on every endpoint",
               versus(results, "inprocess", BLACKSHEEP, every), FASTER),
        target("Over the wire, compiled faster than BlackSheep on every endpoint",
               versus(results, "wire", BLACKSHEEP, every), FASTER),
        target("In-process, 100-model response within 1.3× of raw ASGI's time (compiled / raw)",
               share(results, inprocess_us, ["models"], RAW), Bound(1.3, upper=True)),
        target(f"In-process, last of {ROUTES} routes within 10% of the first (last / first)",
               [("route_last", ratio(last, first))], Bound(1.1, upper=True)),
        target(f"Last of {ROUTES} routes within 10% of the first, in instructions (last / first)",
               [("route_last", ratio(counted[1], counted[0]))], Bound(1.1, upper=True)),
        target("≤ 100,000 instructions per request: path+query GET and 3-level chain",
               [(case, instructions(results, case, COMPILED)) for case in ("item", "chain")],
               Bound(100_000, upper=True, unit="")),
        target("Fewer instructions per request than BlackSheep: path+query GET and 3-level chain",
               versus(results, "instructions", BLACKSHEEP, ["item", "chain"]), FASTER),
        target("Over the wire ≥ 2.5× FastAPI's requests/s on every endpoint",
               speedups(results, "wire", COMPILED, every), Bound(2.5)),
        target("Over the wire ≥ 70% of raw ASGI's requests/s on every endpoint",
               share(results, wire_rate, every, RAW), Bound(0.7, unit="%")),
        target("Worker memory (RSS after the run) ≤ FastAPI's (compiled / FastAPI)",
               [("memory", ratio(rss.get(COMPILED), rss.get(REFERENCE)))],
               Bound(1, upper=True, unit="%")),
        target("Pure core ≥ 2× FastAPI on every endpoint, in-process",
               speedups(results, "inprocess", PURE, every), Bound(2)),
        target("Pure core ≥ 2× FastAPI on every endpoint, over the wire",
               speedups(results, "wire", PURE, every), Bound(2)),
        target(f"Start-up (import + build {STARTUP_ROUTES} routes) no slower than FastAPI",
               startup_speedup("build_s"), Bound(1)),
        target(f"First /openapi.json for {STARTUP_ROUTES} routes no slower than FastAPI",
               startup_speedup("openapi_s"), Bound(1)),
    ]  # fmt: skip


def targets_table(rows: list[dict[str, Any]]) -> str:
    verdict = {True: "met", False: "**not met**", None: "not measured"}
    lines = [[row["target"], row["measured"], verdict[row["met"]]] for row in rows]
    return table(["target", "measured", "met"], lines, numbers=False)


# -- pages -------------------------------------------------------------------------------------


def sections(results: dict[str, Any]) -> dict[str, str]:
    meta = results["meta"]
    versions = "\n".join(f"- {name}: {value}" for name, value in meta["versions"].items())
    machine = meta["machine"]
    return {
        "date": meta["date"],
        "machine": f"{machine['cpu']}, {machine['cores']} cores, Linux {machine['kernel']}",
        "versions": versions,
        "command": meta["command"],
        "settings": "\n".join(f"- {name}: {value}" for name, value in meta["settings"].items()),
        "targets": targets_table(results.get("targets", [])),
        "inprocess": measure_table(results, "inprocess", inprocess_us, 1),
        "instructions": measure_table(results, "instructions", instructions, 0),
        "wire_rps": measure_table(results, "wire", wire_rate, 0),
        "wire_latency": latency_table(results),
        "wire_errors": wire_errors(results),
        "memory": memory_table(results),
        "startup": startup_table(results),
        "routes": routes_table(results),
    }


def routes_table(results: dict[str, Any]) -> str:
    rows = []
    for key, label in zip(columns(results), labels(results), strict=True):
        first, last = (inprocess_us(results, case, key) for case in ("route_first", "route_last"))
        counted = [instructions(results, case, key) for case in ("route_first", "route_last")]
        rows.append([label, number(first), number(last), number(ratio(last, first), 2),
                     number(ratio(counted[1], counted[0]), 2)])  # fmt: skip
    header = ["framework", "first µs", "last µs", "last / first", "last / first (instructions)"]
    return table(header, rows)


def markdown(results: dict[str, Any], with_targets: bool = True) -> str:
    """The results alone, as a Markdown page (``bench/results/*.md``)."""
    parts = sections(results)
    targets = f"## Targets\n\n{parts['targets']}\n\n" if with_targets else ""
    return f"""# fastcore benchmark results, {parts["date"]}

Machine: {parts["machine"]}

{parts["versions"]}

Command: `{parts["command"]}`

{parts["settings"]}

{targets}## In-process: µs per request (speed-up over FastAPI)

{parts["inprocess"]}

## Instructions per request (speed-up over FastAPI)

{parts["instructions"]}

## Over the wire: requests/s (speed-up over FastAPI)

{parts["wire_rps"]}

{parts["wire_errors"]}

## Over the wire: latency p50 / p99 (ms)

{parts["wire_latency"]}

## Over the wire: worker memory

{parts["memory"]}

## Start-up with {STARTUP_ROUTES} routes (speed-up over FastAPI)

{parts["startup"]}

## Routing cost: first and last of {ROUTES} routes, in-process

{parts["routes"]}
"""


def page(template: str, results: dict[str, Any]) -> str:
    """``docs/benchmarks.md`` from its template: ``${name}`` for each of ``sections``."""
    counts = {"routes_count": ROUTES, "last_route": ROUTES - 1, "startup_routes": STARTUP_ROUTES}
    return Template(template).substitute(sections(results), **counts)
