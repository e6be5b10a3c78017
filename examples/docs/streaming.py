"""The app of docs/streaming.md: events, JSON Lines, a raw stream and a download.

Run it with ``uvicorn examples.docs.streaming:app`` and try
``curl -N http://127.0.0.1:8000/prices`` to watch the events arrive.
"""

import asyncio
from collections.abc import AsyncIterable, Iterator
from pathlib import Path

from pydantic import BaseModel

from fastcore import FastAPI
from fastcore.responses import FileResponse, StreamingResponse
from fastcore.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()

REPORT = Path(__file__).with_name("report.csv")


class Price(BaseModel):
    symbol: str
    price: float


QUOTES = [Price(symbol="ACME", price=10.5), Price(symbol="ACME", price=10.75)]


@app.get("/prices", response_class=EventSourceResponse)
async def prices() -> AsyncIterable[Price]:
    for quote in QUOTES:
        yield quote
        await asyncio.sleep(0)  # a real feed would wait for the next price here


@app.get("/alerts", response_class=EventSourceResponse)
async def alerts():
    yield ServerSentEvent(data={"level": "warn"}, event="alert", id="1", retry=5000)
    yield ServerSentEvent(raw_data="market closed\nsee you tomorrow", event="notice")
    yield ServerSentEvent(comment="nothing else today")


@app.get("/prices.jsonl")
async def price_lines() -> AsyncIterable[Price]:
    for quote in QUOTES:
        yield quote


@app.get("/countdown.jsonl")
def countdown(start: int = 3) -> Iterator[int]:
    # A def generator: each step runs in the thread pool, not on the event loop.
    yield from range(start, 0, -1)


@app.get("/report.csv")
async def report_text():
    async def rows():
        yield "symbol,price\n"
        for quote in QUOTES:
            yield f"{quote.symbol},{quote.price}\n"

    return StreamingResponse(rows(), media_type="text/csv")


@app.get("/report")
def report_file():
    return FileResponse(REPORT, filename="report.csv")
