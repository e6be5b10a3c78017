"""Build the OpenAPI 3.1 document of an app from its route plans.

Nothing here inspects an endpoint: each ``APIRoute`` already holds, in its
plan, the parameters of its whole dependency tree, its body parameters and
its response model (``fastcore._dependencies.RoutePlan``,
``fastcore._response_plan.ResponsePlan``). JSON schemas come from Pydantic,
all of them in one call, so a model used by several routes is one
component, named as Pydantic names it.
"""

from __future__ import annotations

import copy
import http
import inspect
import warnings
from collections.abc import Sequence
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, create_model
from pydantic.fields import FieldInfo
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import PydanticUndefined, to_jsonable_python
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from fastcore._signature import FORM, RequestParam
from fastcore._streaming import JSON_LINES, JSON_LINES_MEDIA_TYPE
from fastcore.encoders import jsonable_encoder
from fastcore.exception_handlers import is_body_allowed_for_status_code
from fastcore.openapi.models import OpenAPI

REF_TEMPLATE = "#/components/schemas/{model}"
# Whatever EventSourceResponse subclass a route names, events are sent (and documented) as this.
EVENT_STREAM_MEDIA_TYPE = "text/event-stream"
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
    operation_ids: set[str] = set()
    for route, method in operations:
        _warn_if_duplicate(route, operation_ids)
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
    # The set's own order, as FastAPI writes them: not sorted, and, like FastAPI's,
    # it can change from one process to the next (string hashes are randomised).
    return list(route.methods or ())


def _warn_if_duplicate(route: Any, seen: set[str]) -> None:
    """Warn, as FastAPI does, when an operationId is used twice: clients generated
    from the document would get two functions with one name.

    A route with several methods repeats its own id (FastAPI does the same), so it is
    warned about too.
    """
    operation_id = route.operation_id or route.unique_id
    if operation_id in seen:
        try:
            where = inspect.getsourcefile(route.endpoint)
        except TypeError:
            where = None
        name = getattr(route.endpoint, "__name__", repr(route.endpoint))
        warnings.warn(
            f"Duplicate Operation ID {operation_id} for function {name} at {where}", stacklevel=1
        )
    seen.add(operation_id)


class _OpenAPISchema(GenerateJsonSchema):
    """Pydantic's JSON schemas, with binary data written the OpenAPI 3.1 way."""

    def bytes_schema(self, schema: Any) -> dict[str, Any]:
        return {"type": "string", "contentMediaType": "application/octet-stream"}


class _Schemas:
    """Every JSON schema the document needs, generated by Pydantic in one call."""

    def __init__(self, separate_input_output_schemas: bool) -> None:
        self.separate_input_output_schemas = separate_input_output_schemas
        self._inputs: dict[Any, tuple[Any, str, TypeAdapter[Any]]] = {}
        self._generated: dict[Any, Any] | None = None
        self._definitions: dict[str, Any] = {}
        # Form bodies that mix form models with single fields: body key -> model keys.
        self._form_models: dict[Any, list[Any]] = {}
        self.validation_errors = False
        self.security_schemes: dict[str, Any] = {}

    def request(self, route: Any, callback: bool = False) -> None:
        """Ask for the schemas of ``route``'s parameters, body and response model.

        A callback's parameters do not bring the 422 schemas into the components,
        as in FastAPI 0.165 (its 422 response then refers to a schema the document
        lacks unless an operation or webhook reads parameters too).
        """
        plan = route.plan.plans.base
        for param in plan.request_params:
            self._add(("param", id(param)), "validation", _param_adapter(param))
        body = _body_adapter(route, plan.body_params)
        if body is not None:
            self._add(("body", id(route)), "validation", body)
            self._request_form_models(route, plan.body_params)
        model = route.plan.response.model
        if model is not None:
            mode = self._output_mode(model.annotation)
            self._add(("response", id(route)), mode, model.adapter)
        items = _stream_items(route)
        if items is not None:
            # Asked for whenever items are declared, also where no body is documented
            # (a 204): FastAPI's components hold the item type all the same.
            mode = self._output_mode(items.annotation)
            self._add(("item", id(route)), mode, items.adapter)
        for extra in (route.responses or {}).values():
            if isinstance(extra, dict) and extra.get("model") is not None:
                adapter: TypeAdapter[Any] = TypeAdapter(extra["model"])
                mode = self._output_mode(extra["model"])
                self._add(("extra", id(extra["model"])), mode, adapter)
        if (plan.request_params or plan.body_params) and not callback:
            self.validation_errors = True
        for callback_route in _documented(route.callbacks or []):
            self.request(callback_route, callback=True)

    def _request_form_models(self, route: Any, body_params: tuple[RequestParam, ...]) -> None:
        """Ask for the schemas of the form models of a body that has other fields too."""
        if len(body_params) == 1 and _is_whole_body(body_params[0]):
            return
        keys = []
        for param in body_params:
            if _is_form_model(param):
                adapter: TypeAdapter[Any] = TypeAdapter(
                    Annotated[param.annotation, _body_field(param)]  # type: ignore[arg-type]
                )
                self._add(("form model", id(param)), "validation", adapter)
                keys.append(("form model", id(param)))
        if keys:
            self._form_models[("body", id(route))] = keys

    def _output_mode(self, annotation: Any) -> str:
        # Without separate schemas, outputs are documented with their input schema,
        # except types with computed fields (FastAPI 0.165 does the same): the
        # input schema would lack the fields every response carries.
        if self.separate_input_output_schemas or _has_computed_fields(annotation, set()):
            return "serialization"
        return "validation"

    def _add(self, key: Any, mode: str, adapter: TypeAdapter[Any]) -> None:
        self._inputs[key] = (key, mode, adapter)
        self._generated = None

    def get(self, key: Any) -> dict[str, Any]:
        """A copy of the schema asked for as ``key``, in the mode it was asked for.

        A deep copy: ``openapi_extra`` and ``responses`` are merged into it, and
        must not reach the schema of another operation that uses the same model.
        """
        _, mode, _ = self._inputs[key]
        return copy.deepcopy(self._generate()[(key, mode)])

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
            for definition in self._definitions.values():
                # A docstring's text after a form feed is for the code, not for the document.
                if isinstance(definition.get("description"), str):
                    definition["description"] = definition["description"].split("\f")[0]
            for body_key, model_keys in self._form_models.items():
                # A form model's fields are sent beside the single fields, not under
                # its name: the body is all of the models and the remaining fields.
                name = self._generated[(body_key, "validation")]["$ref"].rsplit("/", 1)[-1]
                definition = self._definitions[name]
                definition["allOf"] = [self._generated[(key, "validation")] for key in model_keys]
                if not definition.get("properties"):
                    definition.pop("properties", None)
        return self._generated


def _has_computed_fields(annotation: Any, seen: set[Any], top: bool = True) -> bool:
    """Whether ``annotation`` is or contains a Pydantic model with a ``computed_field``.

    Models are searched through their fields and type arguments; a Pydantic dataclass
    counts only as the annotation itself, not inside another type, as in FastAPI 0.165.
    """
    if get_origin(annotation) is Annotated:
        return _has_computed_fields(get_args(annotation)[0], seen, top)
    if isinstance(annotation, type):
        if annotation in seen:
            return False
        seen.add(annotation)
        if issubclass(annotation, BaseModel):
            return bool(annotation.model_computed_fields) or any(
                _has_computed_fields(field.annotation, seen, top=False)
                for field in annotation.model_fields.values()
            )
        decorators = getattr(annotation, "__pydantic_decorators__", None)
        if top and decorators is not None and decorators.computed_fields:
            return True
    return any(_has_computed_fields(arg, seen, top=False) for arg in get_args(annotation))


def _param_adapter(param: RequestParam) -> TypeAdapter[Any]:
    overrides: dict[str, Any] = {"alias": None, "validation_alias": None}
    if "title" not in param.field_info._attributes_set:
        # A title the user did not write (a parameter model's field is titled after
        # the field) is added after Pydantic's keys, by ``_parameter``, as FastAPI does.
        overrides["title"] = None
    info = FieldInfo.merge_field_infos(param.field_info, **overrides)
    return TypeAdapter(Annotated[param.annotation, info])  # type: ignore[arg-type]


def _body_adapter(route: Any, body_params: tuple[RequestParam, ...]) -> TypeAdapter[Any] | None:
    """The schema of the request body: a single parameter's, or a model of them all."""
    if not body_params:
        return None
    first = body_params[0]
    if len(body_params) == 1 and _is_whole_body(first):
        return TypeAdapter(Annotated[first.annotation, first.field_info])  # type: ignore[arg-type]
    fields = {
        param.name: (param.annotation, _body_field(param))
        for param in body_params
        if not _is_form_model(param)  # described beside the fields: see _Schemas._generate
    }
    model: type[BaseModel] = create_model(f"Body_{route.unique_id}", **fields)  # type: ignore[call-overload]
    return TypeAdapter(model)


def _is_form_model(param: RequestParam) -> bool:
    """A form parameter that is a model: the form carries its fields, not its name."""
    return param.location == FORM and param.group


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


def _operation(
    route: Any, method: str, schemas: _Schemas, callback: bool = False
) -> dict[str, Any]:
    operation: dict[str, Any] = {}
    if route.tags:
        operation["tags"] = list(route.tags)
    operation["summary"] = route.summary or route.name.replace("_", " ").title()
    if route.description:
        operation["description"] = route.description  # cut at a form feed by APIRoute
    operation["operationId"] = route.operation_id or route.unique_id
    if route.deprecated:
        operation["deprecated"] = True
    plan = route.plan.plans.base
    # Keys in FastAPI's order: where the document keeps an operation as a plain dict
    # (see ``PathItem | Any`` in the models), the served bytes show it.
    if plan.security:
        operation["security"] = [
            {scheme.scheme_name: list(scopes)} for scheme, scopes in plan.security
        ]
        # A callback's schemes are not added to the components (as in FastAPI 0.165).
        for scheme, _ in () if callback else plan.security:
            schemas.security_schemes[scheme.scheme_name] = jsonable_encoder(
                scheme.model, by_alias=True, exclude_none=True
            )
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
    callback_routes = _documented(route.callbacks or [])
    if callback_routes:
        operation["callbacks"] = {
            callback_route.name: {
                callback_route.path_format: {
                    callback_method.lower(): _operation(
                        callback_route, callback_method, schemas, callback=True
                    )
                    for callback_method in _ordered_methods(callback_route)
                }
            }
            for callback_route in callback_routes
        }
    operation["responses"] = _responses(route, plan, schemas)
    if route.openapi_extra:
        _deep_update(operation, route.openapi_extra)
    return operation


def _parameter(param: RequestParam, schemas: _Schemas) -> dict[str, Any]:
    info = param.field_info
    schema = schemas.get(("param", id(param)))
    if not info.is_required() and info.default is not PydanticUndefined:
        schema.setdefault("default", to_jsonable_python(info.default))
    if "$ref" not in schema:
        schema["title"] = _title(param)
    parameter: dict[str, Any] = {
        "name": param.key,
        "in": param.location,
        "required": info.is_required(),
        "schema": schema,
    }
    if info.description:
        parameter["description"] = info.description
    parameter.update(_media_examples(info))
    if info.deprecated:
        parameter["deprecated"] = True
    return parameter


def _media_examples(info: FieldInfo) -> dict[str, Any]:
    """``openapi_examples`` as ``examples``, else the deprecated single ``example``."""
    openapi_examples = getattr(info, "openapi_examples", None)
    if openapi_examples:
        return {"examples": openapi_examples}
    example = getattr(info, "example", PydanticUndefined)
    if example is not PydanticUndefined:
        return {"example": example}
    return {}


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
    media: dict[str, Any] = {"schema": schema}
    if len(body_params) == 1 and _is_whole_body(single):
        required = single.required
        # A body of parameters gets no examples: they belong to its parts.
        media.update(_media_examples(single.field_info))
    body: dict[str, Any] = {"required": True} if required else {}
    body["content"] = {media_type: media}
    return body


def _responses(route: Any, plan: Any, schemas: _Schemas) -> dict[str, Any]:
    response_class = route.plan.response.response_class
    status = str(route.status_code or _default_status(response_class))
    main: dict[str, Any] = {"description": route.response_description}
    if is_body_allowed_for_status_code(status):
        content = _main_content(route, response_class, schemas)
        if content is not None:
            main["content"] = content
    responses: dict[str, Any] = {status: main}
    for code, extra in (route.responses or {}).items():
        entry = dict(extra) if isinstance(extra, dict) else {}
        model = entry.pop("model", None)
        # In FastAPI's order: the declared keys, then the model's schema merged into
        # the content (a declared schema keeps its keys), then the default description.
        target = responses.setdefault(_status_key(code), {})
        _deep_update(target, entry)
        if model is not None:
            model_schema = schemas.get(("extra", id(model)))
            if "$ref" not in model_schema:
                model_schema["title"] = f"Response {code} {route.unique_id}".replace(
                    "_", " "
                ).title()
            media = target.setdefault("content", {}).setdefault(_media_type(response_class), {})
            _deep_update(media.setdefault("schema", {}), model_schema)
        if "description" not in target:
            target["description"] = _phrase(code)
    # A declared 422, 4XX or default response already covers validation errors.
    covered = {"422", "4XX", "default"} & responses.keys()
    if (plan.request_params or plan.body_params) and not covered:
        responses["422"] = copy.deepcopy(_VALIDATION_ERROR_RESPONSE)
    return responses


def _main_content(
    route: Any, response_class: type[Response], schemas: _Schemas
) -> dict[str, Any] | None:
    """The ``content`` of the route's own response (the one it answers when all is well)."""
    stream = route.plan.stream
    described_as = None if stream is None else stream.described_as
    # A stream is described item by item. ``responses`` merged into it later may add keys
    # beside ``itemSchema``; the OpenAPI models put their own (``schema``...) first.
    if described_as == JSON_LINES:
        return {JSON_LINES_MEDIA_TYPE: {"itemSchema": _stream_item_schema(route, schemas)}}
    if described_as is not None:
        return {EVENT_STREAM_MEDIA_TYPE: {"itemSchema": _event_schema(route, schemas)}}
    media_type = getattr(response_class, "media_type", None)
    if not media_type:
        return None
    schema: dict[str, Any] = {}
    if not issubclass(response_class, JSONResponse):
        # FastAPI documents any other response class (HTML, text, binary) as a
        # string, even with a response model: the model does not shape its body.
        schema = {"type": "string"}
    elif route.plan.response.model is not None:
        schema = schemas.get(("response", id(route)))
        if "$ref" not in schema:
            schema["title"] = "Response " + route.unique_id.replace("_", " ").title()
    return {media_type: {"schema": schema}}


def _stream_items(route: Any) -> Any:
    """The ``ResponseModel`` of the items a streaming route declares, or None."""
    stream = route.plan.stream
    return None if stream is None else stream.item_model


def _stream_item_schema(route: Any, schemas: _Schemas) -> dict[str, Any]:
    """The schema of one item of a stream: ``{}`` (anything) unless its items are declared."""
    if _stream_items(route) is None:
        return {}
    schema = schemas.get(("item", id(route)))
    if "$ref" not in schema:
        schema["title"] = f"StreamItem_{route.unique_id}".replace("_", " ").title()
    return schema


def _event_schema(route: Any, schemas: _Schemas) -> dict[str, Any]:
    """One event of an event stream: its fields, ``data`` as the JSON of a declared item."""
    data: dict[str, Any] = {"type": "string"}
    declared = _stream_items(route) is not None
    if declared:
        data["contentMediaType"] = "application/json"
        data["contentSchema"] = _stream_item_schema(route, schemas)
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "data": data,
            "event": {"type": "string"},
            "id": {"type": "string"},
            "retry": {"type": "integer", "minimum": 0},
        },
    }
    if declared:
        schema["required"] = ["data"]
    return schema


def _status_key(code: int | str) -> str:
    # FastAPI writes ranges in capitals ("4xx" becomes "4XX"), and "default" in lower case.
    key = str(code).upper()
    return "default" if key == "DEFAULT" else key


def _default_status(response_class: type[Response]) -> int:
    """The status a route without ``status_code`` answers with: the response class's
    own default (307 for ``RedirectResponse``), else 200."""
    try:
        parameter = inspect.signature(response_class.__init__).parameters.get("status_code")
    except (TypeError, ValueError):
        return 200
    default = None if parameter is None else parameter.default
    return default if isinstance(default, int) else 200


def _media_type(response_class: type[Response]) -> str:
    return getattr(response_class, "media_type", None) or "application/json"


_RANGE_PHRASES = {
    "1XX": "Information",
    "2XX": "Success",
    "3XX": "Redirection",
    "4XX": "Client Error",
    "5XX": "Server Error",
    "default": "Default Response",
}


def _phrase(code: Any) -> str:
    """The description FastAPI gives a declared response that has none."""
    key = _status_key(code)
    if key in _RANGE_PHRASES:
        return _RANGE_PHRASES[key]
    try:
        return http.HTTPStatus(int(key)).phrase
    except ValueError:
        return "Additional Response"


def _deep_update(target: dict[str, Any], extra: dict[str, Any]) -> None:
    """Merge ``extra`` into ``target`` as FastAPI merges ``openapi_extra`` and ``responses``:
    dicts key by key, lists appended (``parameters`` are added to the declared ones),
    anything else replaced.

    Values are copied, so that later merges into the document never change the
    route's own dicts.
    """
    for key, value in extra.items():
        current = target.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            _deep_update(current, value)
        elif isinstance(value, list) and isinstance(current, list):
            target[key] = current + copy.deepcopy(value)
        else:
            target[key] = copy.deepcopy(value)
