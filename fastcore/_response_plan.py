"""Turn what an endpoint returns into the response, through its response model.

``plan_response`` runs once per route: it picks the response model (the
``response_model`` argument, else the return annotation), builds its
Pydantic ``TypeAdapter`` and fixes every serialization option.
``ResponsePlan.render`` runs per request:

* no response model: the value goes through ``jsonable_encoder`` into the
  response class, as FastAPI does;
* a response model: the value is validated against it (a
  ``ResponseValidationError``, answered with a 500, when it does not fit)
  and serialized by the prebuilt adapter; for the default ``JSONResponse``
  straight to bytes. A value that already is an instance of exactly the
  response model is not validated again: the output is the same.
"""

from __future__ import annotations

import inspect
import math
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from fastcore._core import params as core
from fastcore.datastructures import DefaultPlaceholder
from fastcore.encoders import jsonable_encoder
from fastcore.exception_handlers import is_body_allowed_for_status_code
from fastcore.exceptions import ResponseValidationError


@dataclass(frozen=True, slots=True)
class ResponseModel:
    """A response model and how its values are written out."""

    annotation: Any  # the response model as declared
    adapter: TypeAdapter[Any]
    exact_type: type | None  # instances of exactly this type skip validation
    options: dict[str, Any]  # include, exclude, by_alias and the exclude_* flags

    def validate(self, value: Any) -> Any:
        """``value`` as the response model, as FastAPI checks it; raises on a misfit.

        Model instances are read by attribute (``from_attributes``), so an
        instance of another class keeps only the response model's fields;
        instances of the model pass through unchanged, keeping which fields
        were set for ``exclude_unset``.
        """
        if self.exact_type is not None and type(value) is self.exact_type:
            return value
        try:
            # pydantic-core's validator itself: TypeAdapter.validate_python only adds
            # argument checks around it. Looked up per call, since an adapter built
            # before its forward references resolved replaces it when rebuilt.
            return self.adapter.validator.validate_python(value, from_attributes=True)
        except ValidationError as error:
            raise ResponseValidationError(
                core.located_errors(error, ("response",)), body=value
            ) from None

    def dump_json(self, value: Any) -> bytes:
        return self.adapter.serializer.to_json(value, **self.options)

    def dump_python(self, value: Any) -> Any:
        return self.adapter.serializer.to_python(value, mode="json", **self.options)


@dataclass(frozen=True, slots=True)
class ResponsePlan:
    """How one route answers: its status code, response class and response model."""

    status_code: int | None
    response_class: type[Response]
    model: ResponseModel | None
    writes_bytes: bool  # the response class is plain JSONResponse: the model writes its bytes
    # For Starlette's own response classes, the headers their constructor adds after
    # content-length (see ``_build``); None for any other class, which is constructed.
    known_headers: list[tuple[bytes, bytes]] | None

    def render(self, value: Any, status_code: int | None, background: Any) -> Response:
        """The response for the value an endpoint returned (not itself a ``Response``)."""
        status = status_code or self.status_code
        model = self.model
        known_headers = self.known_headers
        if model is not None and self.writes_bytes:
            body = model.dump_json(model.validate(value))
            response = _build(JSONResponse, body, status or 200, background, _JSON_HEADERS)
        else:
            content = (
                jsonable_encoder(value)
                if model is None
                else model.dump_python(model.validate(value))
            )
            cls = self.response_class
            try:
                if known_headers is not None:
                    response = _build(cls, None, status or 200, background, known_headers)
                    response.body = cls.render(response, content)
                    _count_body(response)
                elif status is None:
                    response = cls(content, background=background)
                else:
                    response = cls(content, status_code=status, background=background)
            except ValueError:
                if model is not None or cls is not JSONResponse:
                    raise
                # json.dumps refuses NaN and infinities (FastAPI answers a 500 here):
                # write them as null, as a response model writes them.
                finite = _non_finite_as_null(content)
                response = JSONResponse(finite, status or 200, background=background)
        if status is not None and not is_body_allowed_for_status_code(status):
            response.body = b""
        return response


def _non_finite_as_null(content: Any) -> Any:
    """JSON-ready ``content`` with every NaN and infinity replaced by None."""
    if isinstance(content, float):
        return content if math.isfinite(content) else None
    if isinstance(content, dict):
        return {key: _non_finite_as_null(item) for key, item in content.items()}
    if isinstance(content, list | tuple):
        return [_non_finite_as_null(item) for item in content]
    return content


# Starlette's response classes whose constructor, given no headers, does exactly what
# ``_build`` does; their subclasses may render or add headers their own way.
_STARLETTE_CLASSES = (Response, JSONResponse, PlainTextResponse, HTMLResponse)


def _headers_of(response_class: type[Response]) -> list[tuple[bytes, bytes]] | None:
    """The headers a Starlette class adds after content-length, found by its own code."""
    if response_class not in _STARLETTE_CLASSES:
        return None
    probe = response_class.__new__(response_class)
    probe.status_code = 200
    probe.body = None  # type: ignore[assignment]  # no content-length: only what follows it
    probe.init_headers(None)
    return probe.raw_headers


_JSON_HEADERS: list[tuple[bytes, bytes]] = _headers_of(JSONResponse) or []


def _build(
    cls: type[Response],
    body: Any,
    status: int,
    background: Any,
    known_headers: list[tuple[bytes, bytes]],
) -> Response:
    """A Starlette ``cls`` response, as its constructor with no headers would make it.

    Setting the attributes directly spares the constructor, ``render`` and
    ``init_headers`` calls, a tenth of a small request's cost.
    """
    response = cls.__new__(cls)
    response.status_code = status
    response.background = background
    response.body = body
    response.raw_headers = known_headers[:]
    if body is not None:
        _count_body(response)
    return response


def _count_body(response: Response) -> None:
    """Put content-length first, where Starlette puts it, unless the status has no body."""
    status = response.status_code
    if not (status < 200 or status in (204, 304)):
        length = str(len(response.body)).encode("latin-1")
        response.raw_headers.insert(0, (b"content-length", length))


def plan_response(
    endpoint: Any,
    response_model: Any,
    status_code: int | None,
    response_class: type[Response],
    options: dict[str, Any],
) -> ResponsePlan:
    """Fix, at start-up, how ``endpoint``'s return values become responses.

    ``options`` are the ``include``, ``exclude``, ``by_alias``,
    ``exclude_unset``, ``exclude_defaults`` and ``exclude_none`` of the
    route's ``response_model_*`` arguments.
    """
    model_type = _model_type(endpoint, response_model)
    model = None if model_type is None else response_model_for(model_type, options)
    return ResponsePlan(
        status_code=status_code,
        response_class=response_class,
        model=model,
        writes_bytes=response_class is JSONResponse,
        known_headers=_headers_of(response_class),
    )


def response_model_for(model_type: Any, options: dict[str, Any]) -> ResponseModel:
    """``model_type`` as a response model written with ``options`` (see ``plan_response``)."""
    return ResponseModel(
        annotation=model_type,
        adapter=TypeAdapter(model_type),
        exact_type=model_type if _is_model_class(model_type) else None,
        options=options,
    )


def _model_type(endpoint: Any, response_model: Any) -> Any:
    """The declared response model; the return annotation when none was given."""
    if isinstance(response_model, DefaultPlaceholder):
        response_model = return_annotation(endpoint)
    if response_model is None or _is_response_class(response_model):
        return None
    return response_model


def return_annotation(endpoint: Any) -> Any:
    """The endpoint's return annotation, resolved when it is a string; None when absent."""
    annotation = inspect.signature(endpoint).return_annotation
    if annotation is inspect.Signature.empty:
        return None
    if isinstance(annotation, str):
        annotation = typing.get_type_hints(endpoint, include_extras=True).get("return")
    return annotation


def _is_response_class(annotation: Any) -> bool:
    """Whether the annotation names a Response (or a union with one): no model then."""
    members = (annotation,)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = typing.get_args(annotation)
    return any(inspect.isclass(member) and issubclass(member, Response) for member in members)


def _is_model_class(annotation: Any) -> bool:
    return inspect.isclass(annotation) and issubclass(annotation, BaseModel)
