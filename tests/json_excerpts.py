"""The ```json excerpts of a docs page, checked against the documents an example serves.

An excerpt is a piece of a document as the page shows it: a fragment such as
``"/teas": {...}`` or a whole object, where ``{...}``, ``[...]`` and a line
``...`` stand for what the page leaves out. Each excerpt must be found in one
of the served documents with the same values and its keys in the same order
(the page may leave keys out, not reorder them): readers compare the page
with the bytes their app serves.
"""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastcore import FastAPI
from fastcore.testclient import TestClient

_BLOCK = re.compile(r"```json\n(.*?)```", re.S)


def excerpts(page: Path) -> list[tuple[int, Any]]:
    """Each ```json block of ``page``: its line number and its value, left-outs as None."""
    text = page.read_text()
    found = []
    for match in _BLOCK.finditer(text):
        source = match.group(1).replace("{...}", "null").replace("[...]", "null")
        source = re.sub(r"^\s*\.\.\.\s*\n", "", source, flags=re.M)
        source = re.sub(r",(\s*[}\]])", r"\1", source)
        if source.lstrip().startswith('"'):
            source = "{" + source + "}"
        found.append((text[: match.start()].count("\n") + 2, json.loads(source)))
    return found


def served_documents(module: Any) -> list[dict[str, Any]]:
    """The ``/openapi.json`` of each app of ``module``, keys in the order served."""
    documents = []
    for app in vars(module).values():
        if isinstance(app, FastAPI) and app.openapi_url:
            response = TestClient(app).get(app.openapi_url)
            if response.status_code == 200:
                documents.append(json.loads(response.text))
    return documents


def differences(excerpt: Any, served: Any, where: str = "") -> list[str]:
    """Where ``excerpt`` is not ``served``: other values, or keys in another order."""
    if excerpt is None:
        return []
    if isinstance(excerpt, dict):
        if not isinstance(served, dict) or not excerpt.keys() <= served.keys():
            return [f"{where}: not in the document"]
        found = []
        order = [key for key in served if key in excerpt]
        if list(excerpt) != order:
            found.append(f"{where}: keys {list(excerpt)}, served {order}")
        for key, value in excerpt.items():
            found += differences(value, served[key], f"{where}/{key}")
        return found
    if isinstance(excerpt, list):
        if not isinstance(served, list) or len(excerpt) != len(served):
            return [f"{where}: {excerpt!r} is not {served!r}"]
        return [
            difference
            for index, (item, other) in enumerate(zip(excerpt, served, strict=True))
            for difference in differences(item, other, f"{where}[{index}]")
        ]
    return [] if excerpt == served else [f"{where}: {excerpt!r} is not {served!r}"]


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def closest(excerpt: dict[str, Any], documents: list[dict[str, Any]]) -> list[str]:
    """The differences of ``excerpt`` from the object of ``documents`` it is closest to."""
    best: list[str] | None = None
    for document in documents:
        for candidate in _objects(document):
            if excerpt.keys() <= candidate.keys():
                found = differences(excerpt, candidate)
                if best is None or len(found) < len(best):
                    best = found
    return ["no object of the served documents has these keys"] if best is None else best
