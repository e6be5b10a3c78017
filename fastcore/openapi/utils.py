"""Build the OpenAPI 3.1 document of an app from its route plans.

Nothing here inspects an endpoint: each ``APIRoute`` already holds, in its
plan, the parameters of its whole dependency tree, its body parameters and
its response model (``fastcore._dependencies.RoutePlan``,
``fastcore._response_plan.ResponsePlan``). JSON schemas come from Pydantic,
all of them in one call, so a model used by several routes is one
component, named as Pydantic names it.
"""

from __future__ import annotations

import http
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, create_model
from pydantic.fields import FieldInfo
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import PydanticUndefined, to_jsonable_python
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from fastcore._signature import FORM, RequestParam
from fastcore.encoders import jsonable_encoder
from fastcore.exception_handlers import is_body_allowed_for_status_code
from fastcore.openapi.models import OpenAPI

REF_TEMPLATE = "#/components/schemas/{model}"
_VALIDATION_ERROR = {
    "properties": {
        "loc": {
            "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            "type": "array",
            "title": "Location",
        },
        "msg": {"type": "string", "title": "Message"},
        "type": {"type": "string", "title": "Error Type"},
        "input": {"title": "Input"},
        "ctx": {"type": "object", "title": "Context"},
    },
    "type": "object",
    "required": ["loc", "msg", "type"],
    "title": "ValidationError",
}
_HTTP_VALIDATION_ERROR = {
    "properties": {
        "detail": {
            "items": {"$ref": REF_TEMPLATE.format(model="ValidationError")},
            "type": "array",
            "title": "Detail",
        }
    },
    "type": "object",
    "title": "HTTPValidationError",
}
_VALIDATION_ERROR_RESPONSE = {
    "description": "Validation Error",
    "content": {
        "application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="HTTPValidationError")}}
    },
}


def get_openapi(
    *,
    title: str,
    version: str,
    openapi_version: str = "3.1.0",
    summary: str | None = None,
    description: str | None = None,
    routes: Sequence[BaseRoute],
    webhooks: Sequence[BaseRoute] | None = None,
    tags: list[dict[str, Any]] | None = None,
    servers: list[dict[str, Any]] | None = None,
    terms_of_service: str | None = None,
    contact: dict[str, Any] | None = None,
    license_info: dict[str, Any] | None = None,
    separate_input_output_schemas: bool = True,
    external_docs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The OpenAPI document of ``routes`` (and ``webhooks``), as FastAPI writes it."""
    info: dict[str, Any] = {"title": title}
    for key, value in (
        ("summary", summary),
        ("description", description),
        ("termsOfService", terms_of_service),
        ("contact", contact),
        ("license", license_info),
    ):
        if value:
            info[key] = value
    info["version"] = version
    document: dict[str, Any] = {"openapi": openapi_version, "info": info}
    if servers:
        document["servers"] = servers
    schemas = _Schemas(separate_input_output_schemas)
    operations = [
        (route, method) for route in _documented(routes) for method in _ordered_methods(route)
    ]
    hooks = [
        (route, method)
        for route in _documented(webhooks or [])
        for method in _ordered_methods(route)
    ]
    for route, _ in operations + hooks:
        schemas.request(route)
    paths: dict[str, dict[str, Any]] = {}
    for route, method in operations:
        paths.setdefault(route.path_format, {})[method.lower()] = _operation(route, method, schemas)
    document["paths"] = paths
    if hooks:
        webhook_paths: dict[str, dict[str, Any]] = {}
        for route, method in hooks:
            webhook_paths.setdefault(route.path, {})[method.lower()] = _operation(
                route, method, schemas
            )
        document["webhooks"] = webhook_paths
    components: dict[str, Any] = {}
    named = schemas.components()
    if named:
        components["schemas"] = named
    if schemas.security_schemes:
        components["securitySchemes"] = schemas.security_schemes
    if components:
        document["components"] = components
    if tags:
        document["tags"] = tags
    if external_docs:
        document["externalDocs"] = external_docs
    # Through the OpenAPI models and the encoder, as FastAPI does: values take
    # the models' types (a bound of 0 becomes 0.0), and None is left out at
    # every depth, also inside the plain dicts the models keep.
    return jsonable_encoder(OpenAPI.model_validate(document), by_alias=True, exclude_none=True)


def _documented(routes: Sequence[BaseRoute]) -> list[Any]:
    from fastcore.routing import APIRoute

    return [route for route in routes if isinstance(route, APIRoute) and route.include_in_schema]


def _ordered_methods(route: Any) -> list[str]:
    return sorted(route.methods or ())


class _OpenAPISchema(GenerateJsonSchema):
    """Pydantic's JSON schemas, with binary data written the OpenAPI 3.1 way."""

    def bytes_schema(self, schema: Any) -> dict[str, Any]:
        return {"type": "string", "contentMediaType": "application/octet-stream"}


class _Schemas:
    """Every JSON schema the document needs, generated by Pydantic in one call."""

    def __init__(self, separate_input_output_schemas: bool) -> None:
        self.output_mode = "serialization" if separate_input_output_schemas else "validation"
        self._inputs: dict[Any, tuple[Any, str, TypeAdapter[Any]]] = {}
        self._generated: dict[Any, Any] | None = None
        self._definitions: dict[str, Any] = {}
        self.validation_errors = False
        self.security_schemes: dict[str, Any] = {}

    def request(self, route: Any) -> None:
        """Ask for the schemas of ``route``'s parameters, body and response model."""
        plan = route.plan.plans.base
        for param in plan.request_params:
            self._add(("param", id(param)), "validation", _param_adapter(param))
        body = _body_adapter(route, plan.body_params)
        if body is not None:
            self._add(("body", id(route)), "validation", body)
        model = route.plan.response.model
        if model is not None:
            self._add(("response", id(route)), self.output_mode, model.adapter)
        for extra in (route.responses or {}).values():
            if isinstance(extra, dict) and extra.get("model") is not None:
                adapter: TypeAdapter[Any] = TypeAdapter(extra["model"])
                self._add(("extra", id(extra["model"])), self.output_mode, adapter)
        if plan.request_params or plan.body_params:
            self.validation_errors = True
        for callback in _documented(route.callbacks or []):
            self.request(callback)

    def _add(self, key: Any, mode: str, adapter: TypeAdapter[Any]) -> None:
        self._inputs[(key, mode)] = (key, mode, adapter)
        self._generated = None

    def get(self, key: Any, mode: str = "validation") -> dict[str, Any]:
        """A copy of the schema asked for as ``key`` in ``mode``."""
        return dict(self._generate()[(key, mode)])

    def components(self) -> dict[str, Any]:
        """The named schemas the document refers to, with the 422 ones when used."""
        self._generate()
        components = dict(self._definitions)
        if self.validation_errors:
            components["HTTPValidationError"] = _HTTP_VALIDATION_ERROR
            components["ValidationError"] = _VALIDATION_ERROR
        return dict(sorted(components.items()))

    def _generate(self) -> dict[Any, Any]:
        if self._generated is None:
            generated, definitions = TypeAdapter.json_schemas(
                list(self._inputs.values()),  # type: ignore[arg-type]
                ref_template=REF_TEMPLATE,
                schema_generator=_OpenAPISchema,
            )
            self._generated = dict(generated)
            self._definitions = definitions.get("$defs", {})
        return self._generated


def _param_adapter(param: RequestParam) -> TypeAdapter[Any]:
    info = FieldInfo.merge_field_infos(param.field_info, alias=None, validation_alias=None)
    return TypeAdapter(Annotated[param.annotation, info])  # type: ignore[arg-type]


def _body_adapter(route: Any, body_params: tuple[RequestParam, ...]) -> TypeAdapter[Any] | None:
    """The schema of the request body: a single parameter's, or a model of them all."""
    if not body_params:
        return None
    first = body_params[0]
    if len(body_params) == 1 and _is_whole_body(first):
        return TypeAdapter(Annotated[first.annotation, first.field_info])  # type: ignore[arg-type]
    fields = {param.name: (param.annotation, _body_field(param)) for param in body_params}
    model: type[BaseModel] = create_model(f"Body_{route.unique_id}", **fields)  # type: ignore[call-overload]
    return TypeAdapter(model)


def _is_whole_body(param: RequestParam) -> bool:
    """Whether the body is this one parameter's value, not an object of parameters."""
    if param.location == FORM:
        return param.group  # a model of form fields describes the form itself
    return not param.embed


def _body_field(param: RequestParam) -> FieldInfo:
    # Pydantic titles a field after its name; an aliased one is titled after its alias.
    title = _title(param) if param.key != param.name else param.field_info.title
    return FieldInfo.merge_field_infos(
        param.field_info, alias=param.key, validation_alias=param.key, title=title
    )


def _title(param: RequestParam) -> str:
    return param.field_info.title or param.key.replace("_", " ").title()


def _operation(route: Any, method: str, schemas: _Schemas) -> dict[str, Any]:
    operation: dict[str, Any] = {}
    if route.tags:
        operation["tags"] = list(route.tags)
    operation["summary"] = route.summary or route.name.replace("_", " ").title()
    if route.description:
        operation["description"] = route.description.split("\f")[0].strip()
    operation["operationId"] = route.operation_id or route.unique_id
    if route.deprecated:
        operation["deprecated"] = True
    plan = route.plan.plans.base
    parameters = [
        _parameter(param, schemas)
        for param in plan.request_params
        if getattr(param.field_info, "include_in_schema", True)
    ]
    if parameters:
        operation["parameters"] = parameters
    body = _request_body(route, plan.body_params, schemas)
    if body is not None:
        operation["requestBody"] = body
    operation["responses"] = _responses(route, plan, schemas)
    callbacks = _documented(route.callbacks or [])
    if callbacks:
        operation["callbacks"] = {
            callback.name: {
                callback.path_format: {
                    callback_method.lower(): _operation(callback, callback_method, schemas)
                    for callback_method in _ordered_methods(callback)
                }
            }
            for callback in callbacks
        }
    if plan.security:
        operation["security"] = [
            {scheme.scheme_name: list(scopes)} for scheme, scopes in plan.security
        ]
        for scheme, _ in plan.security:
            schemas.security_schemes[scheme.scheme_name] = jsonable_encoder(
                scheme.model, by_alias=True, exclude_none=True
            )
    if route.openapi_extra:
        _deep_update(operation, route.openapi_extra)
    return operation


def _parameter(param: RequestParam, schemas: _Schemas) -> dict[str, Any]:
    info = param.field_info
    schema = schemas.get(("param", id(param)))
    if "$ref" not in schema:
        schema["title"] = _title(param)
    if not info.is_required() and info.default is not PydanticUndefined:
        schema.setdefault("default", to_jsonable_python(info.default))
    parameter: dict[str, Any] = {
        "name": param.key,
        "in": param.location,
        "required": info.is_required(),
        "schema": schema,
    }
    if info.description:
        parameter["description"] = info.description
    if getattr(info, "openapi_examples", None):
        parameter["examples"] = info.openapi_examples  # type: ignore[attr-defined]
    if info.deprecated:
        parameter["deprecated"] = True
    return parameter


def _request_body(
    route: Any, body_params: tuple[RequestParam, ...], schemas: _Schemas
) -> dict[str, Any] | None:
    if not body_params:
        return None
    schema = schemas.get(("body", id(route)))
    if len(body_params) == 1 and _is_whole_body(body_params[0]) and "$ref" not in schema:
        schema["title"] = _title(body_params[0])
    forms = [param for param in body_params if param.location == FORM]
    if forms:
        multipart = any(
            getattr(param.field_info, "media_type", "") == "multipart/form-data" for param in forms
        )
        media_type = "multipart/form-data" if multipart else "application/x-www-form-urlencoded"
    else:
        media_type = getattr(body_params[0].field_info, "media_type", "application/json")
    single = body_params[0]
    required = any(param.required for param in body_params)
    body: dict[str, Any] = {"content": {media_type: {"schema": schema}}}
    if len(body_params) == 1 and _is_whole_body(single):
        required = single.required
    if required:
        body["required"] = True
    return body


def _responses(route: Any, plan: Any, schemas: _Schemas) -> dict[str, Any]:
    status = str(route.status_code) if route.status_code is not None else "200"
    response_class = route.plan.response.response_class
    main: dict[str, Any] = {"description": route.response_description}
    if is_body_allowed_for_status_code(status):
        media_type = getattr(response_class, "media_type", None)
        if media_type:
            schema: dict[str, Any] = {}
            if route.plan.response.model is not None:
                schema = schemas.get(("response", id(route)), schemas.output_mode)
                if "$ref" not in schema:
                    schema["title"] = "Response " + route.unique_id.replace("_", " ").title()
            elif not issubclass(response_class, JSONResponse):
                schema = {"type": "string"} if media_type.startswith("text/") else {}
            main["content"] = {media_type: {"schema": schema}}
    responses: dict[str, Any] = {status: main}
    for code, extra in (route.responses or {}).items():
        entry = dict(extra) if isinstance(extra, dict) else {}
        model = entry.pop("model", None)
        target = responses.setdefault(str(code), {})
        if model is not None:
            model_schema = schemas.get(("extra", id(model)), schemas.output_mode)
            content = target.setdefault("content", {})
            content.setdefault(_media_type(response_class), {})["schema"] = model_schema
        _deep_update(target, entry)
        if "description" not in target:
            target["description"] = _phrase(code)
    if (plan.request_params or plan.body_params) and "422" not in responses:
        responses["422"] = _VALIDATION_ERROR_RESPONSE
    return responses


def _media_type(response_class: type[Response]) -> str:
    return getattr(response_class, "media_type", None) or "application/json"


def _phrase(code: Any) -> str:
    try:
        return http.HTTPStatus(int(code)).phrase
    except ValueError:
        return "Additional Response"


def _deep_update(target: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_update(target[key], value)
        else:
            target[key] = value
