"""Schemathesis, an API fuzzer, against the example app's own ``/openapi.json``.

The shop (``examples/app.py``) runs under a real uvicorn in this pass's core.
Schemathesis reads the document the app serves, generates requests for every
operation (valid and invalid ones, single calls and chains that follow the
links it infers), and checks every answer: no 5xx, a status the operation
documents, a declared content type, a body that matches the declared schema.
It runs twice: with alice's bearer token, so that the protected operations get
past the log-in, and with no credentials at all.

Its command line runs in a subprocess and writes a JSON report, which is read
for the figures printed at the end (operations, examples, failures). A failure
prints Schemathesis's own transcript, with a curl command that reproduces it;
every one found so far is pinned by a specific request in
``tests/test_example_app_responses.py``.

``FASTCORE_SCHEMATHESIS_SEED`` picks another seed; ``FASTCORE_SCHEMATHESIS_EXAMPLES``
another number of examples per operation (both reproducible from the summary).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import fastcore
from tests.servers import ROOT, uvicorn_server

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]
SEED = int(os.environ.get("FASTCORE_SCHEMATHESIS_SEED", "20261125"))
# Bounded so that both runs together stay well under a minute per core on 2 CPUs.
MAX_EXAMPLES = int(os.environ.get("FASTCORE_SCHEMATHESIS_EXAMPLES", "15"))
RUN_TIMEOUT = 120.0
# What alice's token may do: every scope the shop has.
ALICE = {"username": "alice", "password": "wonderland", "scope": "me items items:write"}
LOG_IN_OPERATION = "POST /token"


def log_in(base: str) -> str:
    form = urllib.parse.urlencode(ALICE).encode()
    with urllib.request.urlopen(f"{base}/token", data=form, timeout=10) as response:
        return json.load(response)["access_token"]


def operations_of(base: str) -> tuple[set[str], set[str]]:
    """Every operation ``/openapi.json`` lists, and those that declare a security scheme."""
    with urllib.request.urlopen(f"{base}/openapi.json", timeout=10) as response:
        document = json.load(response)
    listed = {
        f"{method.upper()} {path}": bool(operation.get("security"))
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }
    return set(listed), {name for name, protected in listed.items() if protected}


def run_schemathesis(base: str, report_path: Path, headers: list[str]) -> tuple[int, str]:
    """Run ``st run`` against ``base``; return its exit status and its transcript."""
    command = [sys.executable, "-m", "schemathesis.cli", "run", f"{base}/openapi.json"]
    command += ["--checks", ",".join(CHECKS), "--max-examples", str(MAX_EXAMPLES)]
    command += ["--seed", str(SEED), "--generation-database", "none", "--no-color"]
    command += ["--request-timeout", "10", "--report", "json"]
    command += ["--report-json-path", str(report_path)]
    for header in headers:
        command += ["--header", header]
    finished = subprocess.run(
        command,
        cwd=report_path.parent,  # anything it writes lands in the test's own directory
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        env={**os.environ, "COLUMNS": "120"},
    )
    return finished.returncode, finished.stdout + finished.stderr


def read_report(path: Path, transcript: str) -> dict[str, Any]:
    """The JSON report of a run; a run that stopped before writing one fails with its output."""
    assert path.exists(), f"schemathesis wrote no report:\n{transcript}"
    return json.loads(path.read_text())


@pytest.fixture(autouse=True)
def schemathesis_installed() -> None:
    try:
        import schemathesis  # noqa: F401
    except ImportError:
        pytest.fail("schemathesis is missing: install the test extra (pip install -e '.[test]')")


@pytest.mark.parametrize("caller", ["alice", "anonymous"])
def test_example_app_conforms_to_its_document(
    caller: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with uvicorn_server("examples.app:app") as port:
        base = f"http://127.0.0.1:{port}"
        operations, protected = operations_of(base)
        headers = [f"Authorization: Bearer {log_in(base)}"] if caller == "alice" else []
        status, transcript = run_schemathesis(base, tmp_path / "report.json", headers)

    report = read_report(tmp_path / "report.json", transcript)
    tested = report["operations"]["tested"]
    examples = report["test_cases"]["generated"]
    failures = sum(failure["count"] for failure in report["failures"])
    core = "compiled" if fastcore.COMPILED else "pure"
    with capsys.disabled():
        print(
            f"\nschemathesis {report['schemathesis_version']}, {core} core, {caller}: "
            f"{tested} operations tested, {examples} examples tried, {failures} failures, "
            f"{len(report['errors'])} errors (seed {SEED}, {MAX_EXAMPLES} examples/operation)"
        )

    assert status == 0 and failures == 0 and not report["errors"], transcript
    assert report["complete"], transcript
    assert tested == len(operations) >= 8, transcript
    assert examples >= 10 * len(operations), transcript
    # Operations that only ever answered 401/403: with alice's token that is only the
    # log-in with made-up passwords; with no token it is every protected operation.
    refused = set(report["warnings"]["missing_auth"])
    if caller == "alice":
        assert refused <= {LOG_IN_OPERATION}, transcript
    else:
        assert protected <= refused, transcript


def test_schemathesis_reports_an_undocumented_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The harness itself: an app that answers a status its document does not list fails."""
    app = tmp_path / "undocumented_app.py"
    app.write_text(
        "from fastcore import FastAPI, HTTPException\n"
        "app = FastAPI()\n"
        "@app.get('/teapot')\n"
        "def teapot() -> dict[str, str]:\n"
        "    raise HTTPException(status_code=418, detail='short and stout')\n"
    )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), str(tmp_path)]))
    with uvicorn_server("undocumented_app:app") as port:
        status, transcript = run_schemathesis(
            f"http://127.0.0.1:{port}", tmp_path / "report.json", []
        )
    report = read_report(tmp_path / "report.json", transcript)
    assert status != 0, transcript
    assert [failure["code"] for failure in report["failures"]] == ["ST103"], transcript
