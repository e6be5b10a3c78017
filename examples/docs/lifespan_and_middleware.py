"""Lifespan, middleware, exception handlers, background tasks, static files, templates and
a built frontend: the app behind docs/lifespan-and-middleware.md.

uvicorn examples.docs.lifespan_and_middleware:app
curl -X POST http://127.0.0.1:8000/api/orders/tea
curl http://127.0.0.1:8000/menu
"""

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastcore import APIRouter, BackgroundTasks, Depends, FastAPI, HTTPException, Request
from fastcore.middleware.gzip import GZipMiddleware
from fastcore.responses import HTMLResponse, JSONResponse
from fastcore.staticfiles import StaticFiles
from fastcore.templating import Jinja2Templates

SITE = Path(__file__).parent / "site"

# What ran, in order, so that the docs can show it; tests clear it.
events: list[str] = []


class Database:
    """Stands in for a connection pool: opened at start-up, closed at shut-down."""

    def __init__(self) -> None:
        self.stock = {"tea": 2, "cake": 0}
        self.open = False


# The app's lifespan: what comes before ``yield`` runs once at start-up, what comes
# after it once at shut-down. The dictionary it yields is the lifespan state: every
# request finds a (shallow) copy of it in ``request.state``.
@asynccontextmanager
async def lifespan(app: FastAPI):
    db = Database()
    db.open = True
    events.append("database opened")
    yield {"db": db}
    db.open = False
    events.append("database closed")


# A router may have a lifespan too: including the router runs it inside the app's,
# and its state joins the app's.
@asynccontextmanager
async def reports_lifespan(app: FastAPI):
    events.append("report cache warmed")
    yield {"reports": {"daily": "2 cups sold"}}
    events.append("report cache dropped")


reports = APIRouter(prefix="/reports", lifespan=reports_lifespan)


@reports.get("/daily")
def daily_report(request: Request):
    return {"daily": request.state.reports["daily"], "db_open": request.state.db.open}


app = FastAPI(title="tea shop", lifespan=lifespan)
app.include_router(reports, prefix="/api")


# An exception of the application, answered by its own handler.
class OutOfStock(Exception):
    def __init__(self, item: str) -> None:
        self.item = item


@app.exception_handler(OutOfStock)
async def out_of_stock(request: Request, exc: OutOfStock):
    events.append(f"handler: {exc.item} is out of stock")
    return JSONResponse({"detail": f"{exc.item} is sold out"}, status_code=409)


# Middleware around every request: the last one added is the outermost.
app.add_middleware(GZipMiddleware, minimum_size=1000)


@app.middleware("http")
async def served_by(request: Request, call_next):
    events.append(f"middleware: {request.method} {request.url.path}")
    try:
        response = await call_next(request)
    except Exception as exc:
        events.append(f"middleware saw {type(exc).__name__}")
        raise
    events.append(f"middleware: {response.status_code}")
    response.headers["X-Served-By"] = "tea-shop"
    return response


# A yield dependency: the code after ``yield`` runs once the response is sent, and
# sees the endpoint's exception, if any.
def transaction(request: Request):
    events.append("transaction begin")
    try:
        yield request.state.db
    except Exception as exc:
        events.append(f"transaction rollback ({type(exc).__name__})")
        raise
    else:
        events.append("transaction commit")


def send_receipt(item: str) -> None:
    events.append(f"receipt for {item}")


@app.post("/api/orders/{item}")
def order(item: str, db: Annotated[Database, Depends(transaction)], tasks: BackgroundTasks):
    if item not in db.stock:
        raise HTTPException(status_code=404, detail="No such item")
    if db.stock[item] == 0:
        raise OutOfStock(item)
    db.stock[item] -= 1
    tasks.add_task(send_receipt, item)
    events.append(f"ordered {item}")
    return {"item": item, "left": db.stock[item]}


@app.get("/api/kettle")
def kettle():
    raise RuntimeError("the kettle is empty")


# Static files and a server-rendered page.
app.mount("/static", StaticFiles(directory=SITE / "static"), name="static")
templates = Jinja2Templates(directory=SITE / "templates")


@app.get("/menu", response_class=HTMLResponse)
def menu(request: Request):
    return templates.TemplateResponse(request, "menu.html", {"stock": request.state.db.stock})


# The built single-page frontend, behind everything above.
app.frontend("/", directory=SITE / "dist")
