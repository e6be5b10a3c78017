"""The endpoints whose request plans the params harnesses drive, built for either core.

Each endpoint is declared the way a user declares one (``Query``, ``Header``,
``Cookie``, ``Path``, ``Body``, aliases, constraints, lists, models as groups
of parameters) and turned into parameter groups and body plans by fastcore's
own declaration layer (``read_signature``, ``plan_params``, ``plan_body``),
so the harnesses exercise the plans real routes run. The declaration layer
builds them with the active core; ``groups_for`` and ``body_plans_for``
rebuild the same plans, spec by spec, with any params module, so both sides
get identical plans.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from fastcore import Body, Cookie, Header, Path, Query
from fastcore._request_plan import is_body, plan_body, plan_params
from fastcore._signature import read_signature

from .sides import per_module

LOCATIONS = ("path", "query", "header", "cookie")


class Color(enum.Enum):
    red = "red"
    blue = "blue"


def search(
    item_id: Annotated[int, Path(ge=0)],
    ratio: float,
    req: Annotated[str, Query(alias="r")],
    x_token: Annotated[str, Header()],
    q: str | None = None,
    n: int = 0,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    price: float = 1.5,
    share: Annotated[float, Query(gt=0, lt=1)] = 0.5,
    flag: bool = False,
    strict: Annotated[bool | None, Query(alias="strict-flag")] = None,
    tags: Annotated[list[str], Query()] = [],  # noqa: B006 - a user's default, copied per request
    ids: Annotated[list[int], Query(alias="id")] = [],  # noqa: B006
    weights: Annotated[list[float] | None, Query()] = None,
    bits: Annotated[list[bool], Query()] = [],  # noqa: B006
    color: Color = Color.red,
    code: Annotated[str, Query(min_length=2, max_length=4, pattern="^[a-z]+$")] = "ab",
    pick: Literal["one", "two"] = "one",
    exact: Annotated[int, Query(strict=True)] = 0,
    x_num: Annotated[int | None, Header(alias="X-Num")] = None,
    accept: Annotated[list[str], Header()] = [],  # noqa: B006
    user_agent: Annotated[str | None, Header()] = None,
    x_rate: Annotated[float, Header(ge=0)] = 1.0,
    session: Annotated[str | None, Cookie()] = None,
    visits: Annotated[int, Cookie(ge=0)] = 0,
    cookie_ratio: Annotated[float | None, Cookie(alias="ratio")] = None,
    remember: Annotated[bool, Cookie()] = False,
) -> None:
    """Scalars, lists, aliases and constraints in every location."""


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(10, ge=1, le=100)
    tags: list[str] = []
    order: Literal["asc", "desc"] = "asc"
    offset: int | None = None


class Tracing(BaseModel):
    x_trace: str | None = None
    x_tags: list[str] = []
    x_count: int = 0


class Preferences(BaseModel):
    theme: str = "light"
    font_size: int = Field(12, alias="font-size")
    session_id: str


def grouped(
    filters: Annotated[Filters, Query()],
    tracing: Annotated[Tracing, Header()],
    preferences: Annotated[Preferences | None, Cookie()] = None,
) -> None:
    """Models declared as groups of parameters: the values sent, gathered into one dict."""


@dataclass(frozen=True)
class Endpoint:
    name: str
    call: Any
    templates: tuple[str, ...]  # the route paths that lead to it


ENDPOINTS = (
    Endpoint("search", search, ("/items/{item_id}/{ratio}", "/typed/{item_id:int}/{ratio:float}")),
    Endpoint("grouped", grouped, ("/grouped",)),
)


def _declared_groups(endpoint: Endpoint) -> Any:
    path_names = {"item_id", "ratio"} if endpoint.name == "search" else set()
    return plan_params(read_signature(endpoint.call, path_names).params)


_DECLARED = {endpoint.name: _declared_groups(endpoint) for endpoint in ENDPOINTS}


def _rebuild(group: Any, params: Any) -> Any:
    """``group``, built again from its parts with ``params``' classes."""
    specs = tuple(_rebuild_spec(spec, params) for spec in group.params)
    return params.ParamGroup(
        group.location,
        specs,
        group.validator,
        group.many_keys,
        group.blank_is_missing,
        group.model_fields,
    )


@per_module
def groups_for(params: Any) -> dict[str, dict[str, Any]]:
    """For each endpoint, its group per location (None where it reads nothing), for ``params``."""
    built: dict[str, dict[str, Any]] = {}
    for name, declared in _DECLARED.items():
        built[name] = {}
        for location in LOCATIONS:
            group = getattr(declared, location)
            built[name][location] = None if group is None else _rebuild(group, params)
    return built


# -- bodies ----------------------------------------------------------------------------


class Item(BaseModel):
    name: str
    price: float = 0.0
    tags: list[str] = []
    size: int | None = None


def one_model(item: Item) -> None:
    """A model as the whole body: read with ``validate_json`` straight from the bytes."""


def one_scalar(n: Annotated[int, Body(ge=0)] = 3) -> None:
    """A scalar with a default and a constraint."""


def one_list(ids: Annotated[list[int], Body(max_length=3)]) -> None:
    """A list, at most three long."""


def one_decimal(amount: Annotated[Decimal, Body(max_digits=5, decimal_places=2)]) -> None:
    """A decimal: read FastAPI's way only, since JSON text keeps digits a float loses."""


def embedded(
    a: Annotated[int, Body()],
    item: Item | None = None,
    ids: Annotated[list[int], Body()] = [],  # noqa: B006 - a user's default, copied per request
    color: Annotated[Color, Body()] = Color.red,
) -> None:
    """Several body parameters: the body is an object with a key for each."""


BODIES = (one_model, one_scalar, one_list, one_decimal, embedded)


def _declared_bodies() -> dict[str, Any]:
    plans = {}
    for call in BODIES:
        body_params = [param for param in read_signature(call, set()).params if is_body(param)]
        for strict in (False, True):
            plans[f"{call.__name__} strict={strict}"] = plan_body(body_params, strict, None)
    return plans


_DECLARED_BODIES = _declared_bodies()


def _rebuild_spec(spec: Any, params: Any) -> Any:
    return params.ParamSpec(
        spec.name,
        spec.key,
        spec.kind,
        spec.many,
        spec.whole,
        spec.required,
        spec.default,
        spec.factory,
        spec.adapter,
    )


@per_module
def body_plans_for(params: Any) -> dict[str, tuple[Any, Any]]:
    """Each body plan for ``params``, with, when it reads bytes with ``validate_json``,
    the same plan reading them FastAPI's way (``json.loads`` first), else None."""
    built = {}
    for key, declared in _DECLARED_BODIES.items():
        body = declared.json_body
        spec = None if body.param is None else _rebuild_spec(body.param, params)
        group = None if body.group is None else _rebuild(body.group, params)
        plan = params.JsonBody(spec, group, body.strict, body.from_bytes)
        fastapi_way = params.JsonBody(spec, group, body.strict, False) if body.from_bytes else None
        built[key] = (plan, fastapi_way)
    return built
