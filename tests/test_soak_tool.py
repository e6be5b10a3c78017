"""``python -m bench.soak`` cannot pass silently: its verdicts on memory and on errors.

The memory criterion and the error accounting are checked on made-up samples
and rounds; then two tiny real runs under uvicorn and wrk: the soak app on this
pass's core must pass, and an app that answers 500 and keeps every request's
bytes must fail on both counts. The real runs need Debian's wrk
(``make bench-tools``) and are skipped without it.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

import fastcore
from bench.soak import (
    MIX,
    Call,
    Round,
    expected_shares,
    failed_requests,
    memory_verdict,
    parse_wrk_output,
    round_problems,
    soak,
)

MIB = 1024  # samples are in KiB

needs_wrk = pytest.mark.skipif(
    shutil.which("wrk") is None, reason="wrk is missing (make bench-tools)"
)


# -- the memory criterion ------------------------------------------------------------------


def test_flat_memory_has_settled() -> None:
    verdict = memory_verdict([50 * MIB, 50 * MIB + 100, 50 * MIB + 40, 50 * MIB + 200], 2 * MIB)
    assert verdict.settled
    assert verdict.after_warmup_kib == 50 * MIB
    assert verdict.at_end_kib == 50 * MIB + 200


def test_growth_in_the_first_half_is_warm_up() -> None:
    # Caches and the thread pool fill during the first rounds, then nothing moves.
    samples = [40 * MIB, 46 * MIB, 52 * MIB, 52 * MIB, 52 * MIB + 300, 52 * MIB + 500]
    verdict = memory_verdict(samples, 2 * MIB)
    assert verdict.settled
    assert verdict.late_growth_kib == 500


def test_steady_growth_is_a_leak() -> None:
    # One more MiB every round: small steps, but they never stop.
    samples = [50 * MIB + round_ * MIB for round_ in range(9)]
    verdict = memory_verdict(samples, 2 * MIB)
    assert not verdict.settled
    assert verdict.late_growth_kib == 4 * MIB


def test_growth_just_over_the_limit_fails() -> None:
    assert memory_verdict([10, 10, 10, 10 + 2 * MIB], 2 * MIB).settled
    assert not memory_verdict([10, 10, 10, 10 + 2 * MIB + 1], 2 * MIB).settled


def test_memory_needs_two_rounds() -> None:
    with pytest.raises(ValueError):
        memory_verdict([50 * MIB, 51 * MIB], 2 * MIB)


# -- the error accounting -------------------------------------------------------------------

NO_SOCKET_ERRORS = {"connect": 0, "read": 0, "write": 0, "timeout": 0}


def healthy_round(rounds_of_mix: int = 1000) -> Round:
    statuses: dict[int, int] = {}
    for call in MIX:
        statuses[call.expected] = statuses.get(call.expected, 0) + rounds_of_mix
    return Round(rounds_of_mix * len(MIX), statuses, dict(NO_SOCKET_ERRORS), seconds=1.0)


def test_the_mix_covers_what_the_soak_promises() -> None:
    assert expected_shares(MIX) == pytest.approx(
        {200: 3 / 7, 201: 1 / 7, 404: 1 / 7, 422: 1 / 7, 401: 1 / 7}
    )
    assert {call.method for call in MIX} == {"GET", "POST"}


def test_a_healthy_round_has_no_problem() -> None:
    result = healthy_round()
    assert round_problems(result, MIX, slack=40) == []
    assert failed_requests(result, MIX) == 0


def test_socket_errors_and_timeouts_are_errors() -> None:
    result = healthy_round()
    result.socket_errors.update(read=3, timeout=2)
    assert round_problems(result, MIX, slack=40) == [
        "3 socket read errors",
        "2 socket timeout errors",
    ]
    assert failed_requests(result, MIX) == 5


def test_server_errors_are_errors() -> None:
    result = healthy_round()
    result.statuses[200] -= 5
    result.statuses[500] = 5
    problems = round_problems(result, MIX, slack=40)
    assert problems == ["5 answers with a 5xx status"]
    assert failed_requests(result, MIX) == 5


def test_a_status_outside_the_mix_is_an_error() -> None:
    result = healthy_round()
    result.statuses[404] -= 1
    result.statuses[405] = 1
    assert round_problems(result, MIX, slack=40) == [
        "statuses no request of the mix should get: {405: 1}"
    ]


def test_a_request_answered_with_another_requests_status_is_an_error() -> None:
    # Every protected request with its token refused: each status is an expected one,
    # but 401 gets twice its share and 200 too little.
    result = healthy_round()
    result.statuses[200] -= 1000
    result.statuses[401] += 1000
    problems = round_problems(result, MIX, slack=40)
    assert problems == [
        "2000 answers with status 200, expected 3000",
        "2000 answers with status 401, expected 1000",
    ]


def test_shares_allow_for_requests_in_flight() -> None:
    result = healthy_round()
    result.statuses[200] -= 30
    result.statuses[201] += 30
    assert round_problems(result, MIX, slack=40) == []


def test_unanswered_requests_are_errors() -> None:
    result = healthy_round()
    result.requested += 700
    assert round_problems(result, MIX, slack=40) == ["only 7000 of 7700 requests answered"]
    assert failed_requests(result, MIX) == 700


def test_the_wrk_report_is_read() -> None:
    stdout = (
        "Running 2m test @ http://127.0.0.1:1\n"
        'SOAK {"statuses": {"200": 6, "404": 1}, "requests": 7, "duration_us": 2000000, '
        '"p50_us": 1500.0, "p99_us": 9000.0, "connect": 0, "read": 1, "write": 0, "timeout": 0}\n'
    )
    result = parse_wrk_output(stdout, requested=7)
    assert result.statuses == {200: 6, 404: 1}
    assert result.socket_errors == {"connect": 0, "read": 1, "write": 0, "timeout": 0}
    assert result.per_second == 3.5
    assert result.p99_ms == 9.0
    with pytest.raises(RuntimeError, match="no SOAK line"):
        parse_wrk_output("wrk: script error\n", requested=7)


# -- real runs ------------------------------------------------------------------------------


@needs_wrk
def test_a_tiny_soak_of_this_core_passes() -> None:
    core = "compiled" if fastcore.COMPILED else "pure"
    result = soak(core, requests=2800, rounds=2, connections=4)
    assert result.problems == [] and result.errors == 0
    assert result.served >= 2800
    assert result.memory.settled, result.samples_kib
    statuses: dict[int, int] = {}
    for r in [result.warmup, *result.rounds]:
        for status, count in r.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    assert set(statuses) == {200, 201, 401, 404, 422}


FAULTY_APP = '''
    """Answers 500 to /chain and 200 to the rest, and keeps 64 KiB per request."""

    kept = []


    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            await receive()  # startup
            await send({"type": "lifespan.startup.complete"})
            await receive()  # shutdown
            await send({"type": "lifespan.shutdown.complete"})
            return
        kept.append(b"x" * 64 * 1024)  # written, so it is resident
        status = 500 if scope["path"] == "/chain" else 200
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})
'''


@needs_wrk
def test_a_failing_leaking_app_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "faulty_soak_app.py").write_text(textwrap.dedent(FAULTY_APP))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    mix = [Call("fine", "GET", "/items/1", 200), Call("broken", "GET", "/chain", 200)]
    # 1,620 requests per round keep about 100 MiB: far over the 2 MiB limit.
    result = soak(
        "pure", requests=3600, rounds=2, connections=4, app="faulty_soak_app:app", mix=mix
    )
    assert not result.passed
    assert not result.memory.settled, result.samples_kib
    assert "before the load: broken: 500, expected 200" in result.problems
    assert any("5xx" in problem for problem in result.problems), result.problems
    assert result.errors >= 1800  # every /chain request
