"""What docs/streaming.md shows, replayed against examples/docs/streaming.py.

The responses were recorded from FastAPI 0.165 running the same module with the
import swapped, so a failure here is a difference from FastAPI.
"""

import functools
import importlib

import pytest

from fastcore.testclient import TestClient

EVENT_HEADERS = {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
}


@functools.cache
def client() -> TestClient:
    return TestClient(importlib.import_module("examples.docs.streaming").app)


def test_prices_as_events() -> None:
    response = client().get("/prices")
    assert response.status_code == 200
    assert {name: response.headers[name] for name in EVENT_HEADERS} == EVENT_HEADERS
    assert response.text == (
        'data: {"symbol":"ACME","price":10.5}\n\ndata: {"symbol":"ACME","price":10.75}\n\n'
    )


def test_alerts_with_every_field() -> None:
    response = client().get("/alerts")
    assert response.status_code == 200
    assert response.text == (
        'event: alert\ndata: {"level": "warn"}\nid: 1\nretry: 5000\n\n'
        "event: notice\ndata: market closed\ndata: see you tomorrow\n\n"
        ": nothing else today\n\n"
    )


def test_prices_as_json_lines() -> None:
    response = client().get("/prices.jsonl")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/jsonl"
    assert response.text == ('{"symbol":"ACME","price":10.5}\n{"symbol":"ACME","price":10.75}\n')


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ("start=2", 200, "2\n1\n"),
        (
            "start=x",
            422,
            '{"detail":[{"type":"int_parsing","loc":["query","start"],'
            '"msg":"Input should be a valid integer, unable to parse string as an integer",'
            '"input":"x"}]}',
        ),
    ],
)
def test_countdown(query: str, status: int, body: str) -> None:
    response = client().get(f"/countdown.jsonl?{query}")
    assert (response.status_code, response.text) == (status, body)


def test_streamed_csv() -> None:
    response = client().get("/report.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text == "symbol,price\nACME,10.5\nACME,10.75\n"


def test_file_download_whole_and_range() -> None:
    whole = client().get("/report")
    assert whole.status_code == 200
    assert whole.headers["content-disposition"] == 'attachment; filename="report.csv"'
    assert whole.headers["content-length"] == "34"
    assert whole.text == "symbol,price\nACME,10.5\nACME,10.75\n"
    part = client().get("/report", headers={"range": "bytes=0-11"})
    assert part.status_code == 206
    assert part.headers["content-range"] == "bytes 0-11/34"
    assert part.text == "symbol,price"
