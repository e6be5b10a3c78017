"""Dependencies with yield, teardown order and scope: the app behind docs/yield-dependencies.md.

uvicorn examples.docs.yield_dependencies:app
curl -X POST "http://127.0.0.1:8000/orders?item=lamp"
"""

from typing import Annotated

from fastcore import BackgroundTasks, Depends, FastAPI, HTTPException, Request
from fastcore.responses import JSONResponse

# What happened during each request, in order, so that the docs can show it;
# tests clear it.
events: list[str] = []

STOCK = {"lamp": 3, "chair": 1, "desk": 0}


class OutOfStock(Exception):
    def __init__(self, item: str):
        self.item = item


class Session:
    """Stands in for a database session. The last chair is always sold meanwhile."""

    def __init__(self):
        self.pending: list[str] = []

    def add(self, item: str) -> None:
        self.pending.append(item)

    def commit(self) -> None:
        if "chair" in self.pending:
            raise HTTPException(status_code=409, detail="The chair was sold meanwhile")


# An async generator: the code before yield is the setup, after it the teardown.
async def open_session():
    events.append("session: open")
    try:
        yield Session()
    finally:
        events.append("session: close")


# A def generator (run in the thread pool) that depends on the one above. An
# exception raised in the endpoint, or in a dependency set up later, is raised
# again at the yield.
def transaction(session: Annotated[Session, Depends(open_session)]):
    events.append("transaction: begin")
    try:
        yield session
    except Exception as exc:
        events.append(f"transaction: roll back on {type(exc).__name__}")
        raise
    session.commit()
    events.append("transaction: commit")


# An HTTPException before the yield answers the request; this dependency's
# teardown never runs, as it was never set up.
def lock_item(item: str):
    if item not in STOCK:
        raise HTTPException(status_code=404, detail=f"No such item: {item}")
    events.append(f"lock {item}")
    try:
        yield item
    finally:
        events.append(f"unlock {item}")


class RecordResponseSent:
    """ASGI middleware that records when the last byte of a response has been sent."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        async def recording_send(message):
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                events.append("response sent")

        await self.app(scope, receive, recording_send)


app = FastAPI(title="yield dependencies")
app.add_middleware(RecordResponseSent)


@app.exception_handler(OutOfStock)
async def out_of_stock(request: Request, exc: OutOfStock):
    events.append("handler: out of stock")
    return JSONResponse(status_code=409, content={"detail": f"{exc.item} is out of stock"})


def order(item: str, quantity: int, session: Session, tasks: BackgroundTasks) -> dict:
    events.append(f"endpoint: order {quantity} {item}")
    if STOCK[item] < quantity:
        raise OutOfStock(item)
    session.add(item)
    tasks.add_task(events.append, f"background: email receipt for {item}")
    return {"ordered": item, "quantity": quantity}


# Default scope ("request"): teardown after the response is sent and after
# the background tasks.
@app.post("/orders", status_code=201)
def place_order(
    session: Annotated[Session, Depends(transaction)],
    item: Annotated[str, Depends(lock_item)],
    tasks: BackgroundTasks,
    quantity: int = 1,
):
    return order(item, quantity, session, tasks)


# scope="function": this transaction ends when the endpoint returns, before the
# response is sent, so a failing commit still reaches the client.
@app.post("/orders/confirmed", status_code=201)
def place_confirmed_order(
    session: Annotated[Session, Depends(transaction, scope="function")],
    item: Annotated[str, Depends(lock_item)],
    tasks: BackgroundTasks,
    quantity: int = 1,
):
    return order(item, quantity, session, tasks)


# A teardown may turn an exception into another one, here an HTTPException.
def translating_session():
    try:
        yield Session()
    except OutOfStock as exc:
        events.append("translating: OutOfStock becomes a 410")
        raise HTTPException(status_code=410, detail=f"{exc.item} is no longer sold") from exc


@app.get("/translated")
def translated(session: Annotated[Session, Depends(translating_session)]):
    raise OutOfStock("desk")


# A mistake: this teardown swallows the exception, and the client gets a 500.
def careless_session():
    try:
        yield Session()
    except Exception:
        events.append("careless: exception swallowed")


@app.get("/careless")
def careless(session: Annotated[Session, Depends(careless_session)]):
    raise OutOfStock("desk")
