"""The child processes of the benchmark suite: one framework each, never two.

    python -m bench.worker session FRAMEWORK          # in-process timing, driven over stdin
    python -m bench.worker serve FRAMEWORK PORT       # uvicorn, uvloop + httptools, 1 worker
    python -m bench.worker startup FRAMEWORK          # import + build 500 routes, first openapi
    python -m bench.worker callgrind FRAMEWORK WARMUP REQUESTS CASE...   # under valgrind
    python -m bench.worker ws-client URL SECONDS CONNECTIONS

Only the standard library is imported at the top, so that ``startup`` times
the import of the framework (and of Pydantic, which every app uses) itself.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import time
from typing import Any, TextIO


def _build(framework_key: str, routes: int) -> Any:
    from bench.frameworks import BY_KEY

    return BY_KEY[framework_key].build(routes)


def _scope(case: Any) -> dict[str, Any]:
    from bench.asgi_driver import http_scope

    return http_scope(case.method, case.path, case.query, case.headers)


# -- session: in-process timing -------------------------------------------------------------


class Session:
    """Answers the parent's requests, one JSON line each, until stdin closes."""

    def __init__(self, app: Any) -> None:
        from bench.asgi_driver import websocket_scope
        from bench.cases import BY_KEY, WEBSOCKET_PATH

        self.app = app
        self.cases = BY_KEY
        self.websocket_scope = websocket_scope(WEBSOCKET_PATH)
        self.counts: dict[str, int] = {}

    async def check(self) -> dict[str, str | None]:
        """Each case's mismatch with its expected response (None: as expected)."""
        from bench.asgi_driver import request, websocket_echo
        from bench.cases import WEBSOCKET_MESSAGE

        problems: dict[str, str | None] = {}
        for key, case in self.cases.items():
            problems[key] = case.check(*await request(self.app, _scope(case), case.body))
        wrong = await websocket_echo(self.app, self.websocket_scope, WEBSOCKET_MESSAGE, 3)
        problems["websocket"] = f"{wrong} of 3 echoes missing or wrong" if wrong else None
        return problems

    async def run(self, key: str, count: int) -> int:
        from bench.asgi_driver import repeat_requests, websocket_echo
        from bench.cases import WEBSOCKET_MESSAGE

        if key == "websocket":
            return await websocket_echo(self.app, self.websocket_scope, WEBSOCKET_MESSAGE, count)
        case = self.cases[key]
        return await repeat_requests(self.app, _scope(case), case.body, count)

    async def time(self, key: str, seconds: float, requests: int | None) -> dict[str, Any]:
        """Mean µs per request over a batch that lasts about ``seconds``.

        The batch size is calibrated on the first call for a case and kept for
        the later ones, so that every repetition does the same work.
        """
        if key not in self.counts:
            await self.run(key, 10)  # warm-up
            if requests is None:
                start = time.perf_counter()
                await self.run(key, 50)
                per_request = (time.perf_counter() - start) / 50
                requests = max(20, min(200_000, int(seconds / per_request)))
            self.counts[key] = requests
        count = self.counts[key]
        start = time.perf_counter()
        failures = await self.run(key, count)
        elapsed = time.perf_counter() - start
        return {"us": elapsed / count * 1e6, "requests": count, "failures": failures}

    async def serve(self, lines: TextIO, answers: TextIO) -> None:
        for line in lines:
            command = json.loads(line)
            if command["op"] == "check":
                answer: Any = await self.check()
            else:
                answer = await self.time(command["case"], command["seconds"], command["requests"])
            answers.write(json.dumps(answer) + "\n")
            answers.flush()


async def session(framework_key: str) -> None:
    from bench.asgi_driver import Lifespan
    from bench.cases import ROUTES

    # The protocol owns the real stdout; anything the app prints goes to stderr.
    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    app = _build(framework_key, ROUTES)
    async with Lifespan(app):
        answers.write(json.dumps({"ready": True}) + "\n")
        answers.flush()
        await Session(app).serve(sys.stdin, answers)


# -- serve: over the wire -------------------------------------------------------------------


def serve(framework_key: str, port: int) -> None:
    import uvicorn

    from bench.cases import ROUTES

    config = uvicorn.Config(
        _build(framework_key, ROUTES),
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )
    uvicorn.Server(config).run()


# -- startup ----------------------------------------------------------------------------------


def startup(framework_key: str) -> None:
    # CPU time of this process, not wall time: on a shared machine another
    # process's burst can double a wall-clock sample, not this.
    start = time.process_time()
    from bench.cases import STARTUP_ROUTES
    from bench.frameworks import BY_KEY

    framework = BY_KEY[framework_key]
    app = framework.build(STARTUP_ROUTES)
    built = time.process_time()
    result: dict[str, Any] = {"build_s": built - start}
    if framework.openapi:
        from bench.asgi_driver import Lifespan, http_scope, request

        async def first_openapi() -> tuple[int, str, bytes]:
            async with Lifespan(app):
                return await request(app, http_scope("GET", "/openapi.json"))

        status, _, body = asyncio.run(first_openapi())
        result["openapi_s"] = time.process_time() - built
        paths = len(json.loads(body).get("paths", {})) if status == 200 else 0
        if paths < STARTUP_ROUTES:
            sys.exit(f"/openapi.json answered {status} with {paths} paths: {body[:200]!r}")
    print(json.dumps(result))


# -- callgrind: instructions per request ------------------------------------------------------


def callgrind(framework_key: str, warmup: int, requests: int, case_keys: list[str]) -> None:
    """Serve each case ``warmup`` then ``requests`` times, with a marker call around the latter.

    Run under ``valgrind --tool=callgrind --instr-atstart=no
    --dump-before=getloadavg`` (see ``bench.instructions``): the app is built
    uninstrumented, which is fast; then this prints a line and waits for one
    while the parent switches instrumentation on. Every ``os.getloadavg()``
    (a libc call nothing else makes) dumps and resets the counters, so the
    second, fourth, ... dumps hold exactly the measured requests of each case.
    """
    from bench.asgi_driver import Lifespan
    from bench.cases import ROUTES

    app = _build(framework_key, ROUTES)

    async def run() -> None:
        async with Lifespan(app):
            print("ready", flush=True)
            sys.stdin.readline()
            session = Session(app)
            for key in case_keys:
                failures = await session.run(key, warmup)
                gc.collect()
                os.getloadavg()
                failures += await session.run(key, requests)
                os.getloadavg()
                if failures:
                    sys.exit(f"{key}: {failures} requests did not answer as expected")

    asyncio.run(run())
    os._exit(0)  # the counts are dumped: spare callgrind the interpreter's teardown


# -- ws-client: WebSocket messages per second over the wire ----------------------------------


def ws_client(url: str, seconds: float, connections: int) -> None:
    """Echo a message back and forth on ``connections`` connections for ``seconds``."""
    from websockets.asyncio.client import connect

    from bench.cases import WEBSOCKET_MESSAGE

    async def one(deadline: float) -> int:
        loop = asyncio.get_running_loop()
        count = 0
        # No compression: it would cost the same for every framework and hide them.
        async with connect(url, compression=None) as websocket:
            while loop.time() < deadline:
                await websocket.send(WEBSOCKET_MESSAGE)
                if await websocket.recv() != WEBSOCKET_MESSAGE:
                    raise RuntimeError("wrong echo")
                count += 1
        return count

    async def run() -> dict[str, float]:
        loop = asyncio.get_running_loop()
        start = loop.time()
        counts = await asyncio.gather(*(one(start + seconds) for _ in range(connections)))
        elapsed = loop.time() - start
        return {"messages": sum(counts), "seconds": elapsed, "per_s": sum(counts) / elapsed}

    try:
        import uvloop

        result = uvloop.run(run())
    except ImportError:
        result = asyncio.run(run())
    print(json.dumps(result))


def main(argv: list[str]) -> None:
    mode, *args = argv
    if mode == "session":
        asyncio.run(session(args[0]))
    elif mode == "serve":
        serve(args[0], int(args[1]))
    elif mode == "startup":
        startup(args[0])
    elif mode == "callgrind":
        callgrind(args[0], int(args[1]), int(args[2]), args[3:])
    elif mode == "ws-client":
        ws_client(args[0], float(args[1]), int(args[2]))
    else:
        sys.exit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
