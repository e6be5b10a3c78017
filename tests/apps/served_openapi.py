"""Print the ``/openapi.json`` bytes of every app of the example modules, on FastAPI or fastcore.

``python -m tests.apps.served_openapi fastapi`` imports ``examples/app.py`` and
each module of ``examples/docs/`` with ``fastcore`` (and its submodules)
standing for ``fastapi`` and ``docs_cdn=`` dropped (FastAPI's pages always
use the CDN), then prints one JSON object: module -> app name -> the text
``GET <openapi_url>`` answers. With ``fastcore`` it runs the modules as they
are. ``test_openapi_features_compat`` compares the two outputs as text.
"""

import importlib
import importlib.abc
import importlib.util
import json
import pathlib
import sys
import warnings
from types import ModuleType
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
MODULES = ["examples.app"] + sorted(
    f"examples.docs.{path.stem}" for path in (ROOT / "examples" / "docs").glob("[!_]*.py")
)


class _FastAPIForFastcore(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports of ``fastcore`` and ``fastcore.x`` give ``fastapi`` and ``fastapi.x``."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name == "fastcore" or name.startswith("fastcore."):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec: Any) -> ModuleType:
        return importlib.import_module("fastapi" + spec.name[len("fastcore") :])

    def exec_module(self, module: ModuleType) -> None:
        pass


def use_fastapi() -> None:
    import fastapi

    sys.meta_path.insert(0, _FastAPIForFastcore())
    init = fastapi.FastAPI.__init__

    def without_docs_cdn(self: Any, *args: Any, docs_cdn: bool = False, **options: Any) -> None:
        init(self, *args, **options)

    fastapi.FastAPI.__init__ = without_docs_cdn  # type: ignore[method-assign]


def main(framework: str) -> None:
    warnings.simplefilter("ignore")
    if framework == "fastapi":
        use_fastapi()
    from fastcore import FastAPI
    from fastcore.testclient import TestClient

    report: dict[str, dict[str, Any]] = {}
    for name in MODULES:
        module = importlib.import_module(name)
        apps = {
            attribute: app
            for attribute, app in sorted(vars(module).items())
            if isinstance(app, FastAPI) and app.openapi_url
        }
        report[name] = {
            attribute: TestClient(app).get(app.openapi_url).text for attribute, app in apps.items()
        }
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
