"""The frameworks under test: how to build each one's app, and in which environment.

fastcore's compiled and pure cores cannot share an interpreter (the core is
chosen at import), so every framework runs in a process of its own; this
module is all a child process needs to know to build its app.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import import_module, metadata
from importlib.util import find_spec
from typing import Any


@dataclass(frozen=True)
class Framework:
    key: str
    label: str
    #: The module of ``bench/apps`` that builds this framework's app.
    app_module: str
    #: The package that must be importable, and whose version is reported.
    package: str
    build_args: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    #: For fastcore: whether the compiled core must be the active one.
    compiled: bool | None = None
    #: Whether the framework serves an OpenAPI document at /openapi.json.
    openapi: bool = False

    def available(self) -> bool:
        return find_spec(self.package) is not None

    def version(self) -> str:
        try:
            return metadata.version(self.package)
        except metadata.PackageNotFoundError:
            return "not installed"

    def child_env(self) -> dict[str, str]:
        """The environment of this framework's child processes."""
        env = {key: value for key, value in os.environ.items() if key != "FASTCORE_PURE_PYTHON"}
        return {**env, **self.env}

    def build(self, routes: int) -> Any:
        """Build the app in this process (a child process: see ``bench.worker``)."""
        if self.compiled is not None:
            active = import_module("fastcore").COMPILED
            if active != self.compiled:
                wanted = "compiled" if self.compiled else "pure-Python"
                raise RuntimeError(f"{self.label}: the {wanted} core is not the active one")
        return import_module(self.app_module).build(routes, **self.build_args)


FRAMEWORKS = [
    Framework(
        "fastcore", "fastcore (compiled)", "bench.apps.fastapi_app", "fastcore",
        {"package": "fastcore"}, compiled=True, openapi=True,
    ),
    Framework(
        "fastcore_pure", "fastcore (pure)", "bench.apps.fastapi_app", "fastcore",
        {"package": "fastcore"}, {"FASTCORE_PURE_PYTHON": "1"}, compiled=False, openapi=True,
    ),
    Framework(
        "fastapi", "FastAPI", "bench.apps.fastapi_app", "fastapi", {"package": "fastapi"},
        openapi=True,
    ),
    Framework("starlette", "Starlette", "bench.apps.starlette_app", "starlette"),
    Framework("blacksheep", "BlackSheep", "bench.apps.blacksheep_app", "blacksheep", openapi=True),
    # The raw app needs nothing beyond Pydantic, which every app shares.
    Framework("raw", "raw ASGI", "bench.apps.raw_app", "pydantic"),
]  # fmt: skip
BY_KEY = {framework.key: framework for framework in FRAMEWORKS}
#: The reference every ratio is computed against.
REFERENCE = "fastapi"
