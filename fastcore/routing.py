"""Routes and routers: the objects behind ``@app.get`` and ``APIRouter``.

``APIRoute`` and ``APIRouter`` are Starlette ``Route`` and ``Router``
subclasses, so everything that works with Starlette's routing objects
(``app.routes``, ``url_path_for``, mounting ASGI apps) keeps working. What
differs is underneath: a route's endpoint is analysed once into a plan
(``fastcore._endpoint``), and a router finds routes through the core's route
table (``fastcore._dispatch``) instead of trying each route in turn.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal, TypedDict

from starlette import routing as starlette_routing
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, compile_path, get_name
from starlette.types import ASGIApp, Lifespan, Receive, Scope, Send
from typing_extensions import Unpack, deprecated

from fastcore._body_limit import RouteBodyLimit
from fastcore._dispatch import RouteTables, build_tables, dispatch
from fastcore._endpoint import endpoint_app, plan_endpoint
from fastcore._frontend import (
    FALLBACKS,
    SERVED_METHODS,
    Fallback,
    Frontend,
    FrontendFiles,
    ServedFrontend,
    frontend_endpoint,
    join_paths,
    normalize_path,
    pick,
    resolve_check_dir,
)
from fastcore._lifespan import ON_EVENT_DEPRECATION, lifespan_context, merged
from fastcore._streaming import EVENTS, JSON_LINES
from fastcore._websocket import plan_websocket, websocket_app
from fastcore.datastructures import Default, DefaultPlaceholder
from fastcore.exception_handlers import is_body_allowed_for_status_code
from fastcore.types import DecoratedCallable


class RouteOptions(TypedDict, total=False):
    """Keyword arguments shared by ``add_api_route`` and the method decorators."""

    response_model: Any
    status_code: int | None
    tags: list[str | Enum] | None
    dependencies: Sequence[Any] | None
    summary: str | None
    description: str | None
    response_description: str
    responses: dict[int | str, dict[str, Any]] | None
    deprecated: bool | None
    operation_id: str | None
    response_model_include: Any
    response_model_exclude: Any
    response_model_by_alias: bool
    response_model_exclude_unset: bool
    response_model_exclude_defaults: bool
    response_model_exclude_none: bool
    include_in_schema: bool
    response_class: type[Response] | DefaultPlaceholder
    name: str | None
    callbacks: list[BaseRoute] | None
    openapi_extra: dict[str, Any] | None
    generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder
    max_body_size: int | None
    form_limits: FormLimits | None


class FormLimits(TypedDict, total=False):
    """Limits for parsing a form body, as Starlette's ``request.form()`` takes them."""

    max_fields: int
    max_files: int
    max_part_size: int


def generate_unique_id(route: APIRoute) -> str:
    """The default OpenAPI ``operationId``: name, path and first method, as FastAPI makes it."""
    words = re.sub(r"\W", "_", route.name + route.path_format)
    return f"{words}_{next(iter(route.methods or ())).lower()}"


def _first_set(*values: Any) -> Any:
    """The first value set explicitly; failing that, the first default, still marked as one.

    Keeping the mark lets a later ``include_router(default_response_class=...)``
    replace a default that no route or router chose explicitly.
    """
    for value in values:
        if not isinstance(value, DefaultPlaceholder):
            return value
    return values[0]


def _first_not_none(*values: Any) -> Any:
    return next((value for value in values if value is not None), None)


def _resolved(value: Any) -> Any:
    return value.value if isinstance(value, DefaultPlaceholder) else value


def _check_bodies_allowed(
    status_code: int | None, has_model: bool, responses: dict[int | str, Any]
) -> None:
    """Refuse, as FastAPI does, a model for a status whose responses have no body
    (1xx, 204, 205, 304): the OpenAPI document would promise a body never sent.

    A ``responses`` key with a model must be a status, a range such as ``"4XX"``
    or ``"default"``; other keys raise ``ValueError``, as in FastAPI.
    """
    if has_model and not is_body_allowed_for_status_code(status_code):
        raise AssertionError(f"Status code {status_code} must not have a response body")
    for code, response in responses.items():
        has_response_model = isinstance(response, dict) and response.get("model") is not None
        if has_response_model and not is_body_allowed_for_status_code(code):
            raise AssertionError(f"Status code {code} must not have a response body")


class APIRoute(starlette_routing.Route):
    """A path operation: a path, its methods and the endpoint that serves them."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: set[str] | list[str] | None = None,
        response_model: Any = Default(None),
        status_code: int | None = None,
        tags: list[str | Enum] | None = None,
        dependencies: Sequence[Any] | None = None,
        summary: str | None = None,
        description: str | None = None,
        response_description: str = "Successful Response",
        responses: dict[int | str, dict[str, Any]] | None = None,
        deprecated: bool | None = None,
        name: str | None = None,
        operation_id: str | None = None,
        response_model_include: Any = None,
        response_model_exclude: Any = None,
        response_model_by_alias: bool = True,
        response_model_exclude_unset: bool = False,
        response_model_exclude_defaults: bool = False,
        response_model_exclude_none: bool = False,
        include_in_schema: bool = True,
        response_class: type[Response] | DefaultPlaceholder = Default(JSONResponse),
        dependency_overrides_provider: Any = None,
        callbacks: list[BaseRoute] | None = None,
        openapi_extra: dict[str, Any] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder = Default(
            generate_unique_id
        ),
        strict_content_type: bool | DefaultPlaceholder = Default(True),
        max_body_size: int | None = None,
        form_limits: FormLimits | None = None,
    ) -> None:
        # Starlette's Route.__init__ is not called: it would add HEAD to GET
        # routes and refuse paths without a leading "/", and FastAPI does
        # neither. The attributes it would set are set here instead.
        self.path = path
        self.endpoint = endpoint
        self.declared_response_model = response_model  # as given, for included copies
        self.name = get_name(endpoint) if name is None else name
        self.include_in_schema = include_in_schema
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)
        self.methods = {method.upper() for method in methods or ("GET",)}
        self.status_code = status_code
        self.tags = list(tags or [])
        self.dependencies = list(dependencies or [])
        self.summary = summary
        # A docstring's (or description's) text after a form feed is for the code only.
        self.description = (
            (description or inspect.cleandoc(endpoint.__doc__ or "")).split("\f")[0].strip()
        )
        self.response_description = response_description
        self.responses = dict(responses or {})
        self.deprecated = deprecated
        self.operation_id = operation_id
        self.response_model_include = response_model_include
        self.response_model_exclude = response_model_exclude
        self.response_model_by_alias = response_model_by_alias
        self.response_model_exclude_unset = response_model_exclude_unset
        self.response_model_exclude_defaults = response_model_exclude_defaults
        self.response_model_exclude_none = response_model_exclude_none
        self.response_class = response_class
        self.dependency_overrides_provider = dependency_overrides_provider
        self.callbacks = callbacks
        self.openapi_extra = openapi_extra
        self.generate_unique_id_function = generate_unique_id_function
        self.strict_content_type = strict_content_type
        self.max_body_size = max_body_size
        self.form_limits = form_limits
        self.unique_id = operation_id or _resolved(generate_unique_id_function)(self)
        self.plan = plan_endpoint(
            path,
            endpoint,
            dependencies=self.dependencies,
            overrides_provider=dependency_overrides_provider,
            response_model=response_model,
            status_code=status_code,
            response_class=_resolved(response_class),
            response_class_is_default=isinstance(response_class, DefaultPlaceholder),
            response_options={
                "include": response_model_include,
                "exclude": response_model_exclude,
                "by_alias": response_model_by_alias,
                "exclude_unset": response_model_exclude_unset,
                "exclude_defaults": response_model_exclude_defaults,
                "exclude_none": response_model_exclude_none,
            },
            strict_content_type=_resolved(strict_content_type),
            form_limits=form_limits,
        )
        model = self.plan.response.model
        self.response_model = None if model is None else model.annotation
        # FastAPI's view of a generator endpoint: events, JSON Lines, and their items.
        stream = self.plan.stream
        described_as = None if stream is None else stream.described_as
        self.is_sse_stream = described_as == EVENTS
        self.is_json_stream = described_as == JSON_LINES
        self.stream_item_type = None if stream is None else stream.item_type
        # What validates and writes each item (FastAPI's is a ``ModelField``), or None.
        self.stream_item_field = None if stream is None else stream.item_model
        _check_bodies_allowed(status_code, model is not None, self.responses)
        self.app = endpoint_app(self.plan)
        if max_body_size is not None:
            self.app = RouteBodyLimit(self.app, max_body_size)


class APIWebSocketRoute(starlette_routing.WebSocketRoute):
    """A WebSocket endpoint with parameters and dependencies, as ``@app.websocket`` adds it."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        name: str | None = None,
        dependencies: Sequence[Any] | None = None,
        dependency_overrides_provider: Any = None,
    ) -> None:
        # Starlette's __init__ would wrap the endpoint as a plain
        # ``(websocket) -> None`` function; the plan below serves it instead.
        self.path = path
        self.endpoint = endpoint
        self.name = get_name(endpoint) if name is None else name
        self.dependencies = list(dependencies or [])
        self.dependency_overrides_provider = dependency_overrides_provider
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)
        self.plans = plan_websocket(
            path,
            endpoint,
            dependencies=self.dependencies,
            overrides_provider=dependency_overrides_provider,
        )
        self.app = websocket_app(endpoint, self.plans)


class APIRouter(starlette_routing.Router):
    """A group of path operations, with a prefix and defaults shared by all of them."""

    def __init__(
        self,
        *,
        prefix: str = "",
        tags: list[str | Enum] | None = None,
        dependencies: Sequence[Any] | None = None,
        default_response_class: type[Response] | DefaultPlaceholder = Default(JSONResponse),
        responses: dict[int | str, dict[str, Any]] | None = None,
        callbacks: list[BaseRoute] | None = None,
        routes: list[BaseRoute] | None = None,
        redirect_slashes: bool = True,
        default: ASGIApp | None = None,
        dependency_overrides_provider: Any = None,
        route_class: type[APIRoute] = APIRoute,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        lifespan: Lifespan[Any] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder = Default(
            generate_unique_id
        ),
        strict_content_type: bool | DefaultPlaceholder = Default(True),
        max_body_size: int | None = None,
        form_limits: FormLimits | None = None,
    ) -> None:
        super().__init__(routes, redirect_slashes=redirect_slashes, default=default)
        # Event handlers are FastAPI's, not Starlette's (1.x dropped them); the lifespan
        # is wrapped here so that generator lifespans get no Starlette deprecation warning.
        self.on_startup: list[Callable[[], Any]] = list(on_startup or [])
        self.on_shutdown: list[Callable[[], Any]] = list(on_shutdown or [])
        self.lifespan_context = lifespan_context(self, lifespan)
        if prefix:
            _check_prefix(prefix)
        self.prefix = prefix
        self.tags = list(tags or [])
        self.dependencies = list(dependencies or [])
        self.default_response_class = default_response_class
        self.responses = dict(responses or {})
        self.callbacks = list(callbacks or [])
        self.dependency_overrides_provider = dependency_overrides_provider
        self.route_class = route_class
        self.deprecated = deprecated
        self.include_in_schema = include_in_schema
        self.generate_unique_id_function = generate_unique_id_function
        self.strict_content_type = strict_content_type
        self.max_body_size = max_body_size
        self.form_limits = form_limits
        self._tables: RouteTables | None = None
        self._tables_key: tuple[int, int] | None = None
        self._includes: list[_Inclusion] = []  # routers included here
        self._included_in: list[_Inclusion] = []  # routers this one is included in
        # Counts the routes added through this router and its inclusions (not mounts,
        # nor edits of ``routes``): the app rebuilds its OpenAPI document when it changes.
        self._routes_version = 0
        self._frontends: list[Frontend] = []  # declared here by ``frontend()``
        self._frontend_dependencies: list[Any] = []  # this router's, at the first ``frontend()``
        self._served_frontends: tuple[int, list[ServedFrontend]] | None = None
        self._default_after_frontends: ASGIApp | None = None  # set once frontends are served

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(scope, receive, send)
            return
        if "router" not in scope:
            scope["router"] = self
        tables = self._current_tables()
        if tables is None:
            await super().app(scope, receive, send)
        else:
            await dispatch(self, tables, scope, receive, send)

    # Starlette's Router.__call__ passes each request through the router's middleware
    # to ``app``; an APIRouter takes no router middleware, so ``app`` serves the call
    # itself: one coroutine less per request.
    __call__ = app

    def _current_tables(self) -> RouteTables | None:
        """The core tables for ``self.routes``, rebuilt when the list has changed.

        Routes are normally added through this router, but Starlette lets
        users edit ``routes`` directly; comparing the list's identity and
        length notices additions and removals for the price of a tuple.
        """
        key = (id(self.routes), len(self.routes))
        if key != self._tables_key:
            self._tables = build_tables(self.routes, self.redirect_slashes)
            self._tables_key = key
        return self._tables

    def add_api_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: set[str] | list[str] | None = None,
        route_class_override: type[APIRoute] | None = None,
        strict_content_type: bool | DefaultPlaceholder = Default(True),
        **options: Unpack[RouteOptions],
    ) -> None:
        """Add a path operation under this router's prefix, with its defaults."""
        route = self._api_route(
            path, endpoint, methods, route_class_override, strict_content_type, options
        )
        self._place(route)

    def _api_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        methods: set[str] | list[str] | None,
        route_class_override: type[APIRoute] | None,
        strict_content_type: bool | DefaultPlaceholder,
        options: RouteOptions,
        router_dependencies: list[Any] | None = None,
    ) -> APIRoute:
        """A path operation of this router: its prefix and defaults applied to ``options``."""
        full_path = self.prefix + path
        if not full_path:
            raise ValueError(f"Prefix and path cannot be both empty (path operation: {endpoint})")
        route_class = route_class_override or self.route_class
        options["tags"] = self.tags + list(options.get("tags") or [])
        if router_dependencies is None:
            router_dependencies = self.dependencies
        options["dependencies"] = router_dependencies + list(options.get("dependencies") or [])
        options["responses"] = {**self.responses, **(options.get("responses") or {})}
        options["response_class"] = _first_set(
            options.get("response_class", Default(JSONResponse)), self.default_response_class
        )
        options["callbacks"] = self.callbacks + list(options.get("callbacks") or [])
        if options.get("deprecated") is None:
            options["deprecated"] = self.deprecated
        options["include_in_schema"] = (
            options.get("include_in_schema", True) and self.include_in_schema
        )
        options["generate_unique_id_function"] = _first_set(
            options.get("generate_unique_id_function", Default(generate_unique_id)),
            self.generate_unique_id_function,
        )
        if options.get("max_body_size") is None:
            options["max_body_size"] = self.max_body_size
        if options.get("form_limits") is None:
            options["form_limits"] = self.form_limits
        return route_class(
            full_path,
            endpoint,
            methods=methods,
            dependency_overrides_provider=self.dependency_overrides_provider,
            strict_content_type=_first_set(strict_content_type, self.strict_content_type),
            **options,
        )

    def add_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        methods: Collection[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> None:
        """Add a plain Starlette route (the endpoint takes the request, returns a response)."""
        route = starlette_routing.Route(
            path, endpoint, methods=methods, name=name, include_in_schema=include_in_schema
        )
        self._place(route)

    def _place(self, route: BaseRoute, inclusion: _Inclusion | None = None) -> None:
        """Add ``route`` to this router and to every router that includes this one.

        A route that arrives through an inclusion goes right after the routes
        that inclusion brought before, so an included router keeps the
        priority of the place where it was included, even for routes added
        to it later (FastAPI 0.165 includes routers live, not by copy).
        """
        self._routes_version += 1
        if inclusion is None:
            self.routes.append(route)
        else:
            self.routes.insert(inclusion.end(self.routes), route)
            inclusion.last = route
        for outer in self._included_in:
            outer.parent._include(route, outer)

    def add_api_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None = None,
        *,
        dependencies: Sequence[Any] | None = None,
    ) -> None:
        """Add a WebSocket endpoint under this router's prefix, after its dependencies."""
        self._place(self._websocket_route(path, endpoint, name, dependencies))

    def _websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None,
        dependencies: Sequence[Any] | None,
        router_dependencies: list[Any] | None = None,
    ) -> APIWebSocketRoute:
        if router_dependencies is None:
            router_dependencies = self.dependencies
        return APIWebSocketRoute(
            self.prefix + path,
            endpoint,
            name=name,
            dependencies=router_dependencies + list(dependencies or []),
            dependency_overrides_provider=self.dependency_overrides_provider,
        )

    def websocket(
        self, path: str, name: str | None = None, *, dependencies: Sequence[Any] | None = None
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Decorator form of ``add_api_websocket_route``."""

        def decorator(endpoint: DecoratedCallable) -> DecoratedCallable:
            self.add_api_websocket_route(path, endpoint, name, dependencies=dependencies)
            return endpoint

        return decorator

    def add_websocket_route(
        self, path: str, endpoint: Callable[..., Any], name: str | None = None
    ) -> None:
        """Add a plain Starlette WebSocket route (the endpoint takes only the socket)."""
        self._place(starlette_routing.WebSocketRoute(path, endpoint, name=name))

    def websocket_route(
        self, path: str, name: str | None = None
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Decorator form of ``add_websocket_route``."""

        def decorator(endpoint: DecoratedCallable) -> DecoratedCallable:
            self.add_websocket_route(path, endpoint, name)
            return endpoint

        return decorator

    def api_route(
        self, path: str, *, methods: list[str] | None = None, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Decorator form of ``add_api_route``."""

        def decorator(endpoint: DecoratedCallable) -> DecoratedCallable:
            self.add_api_route(path, endpoint, methods=methods, **options)
            return endpoint

        return decorator

    def get(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.api_route(path, methods=["GET"], **options)

    def put(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.api_route(path, methods=["PUT"], **options)

    def post(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.api_route(path, methods=["POST"], **options)

    def delete(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.api_route(path, methods=["DELETE"], **options)

    def options(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.api_route(path, methods=["OPTIONS"], **options)

    def head(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.api_route(path, methods=["HEAD"], **options)

    def patch(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.api_route(path, methods=["PATCH"], **options)

    def trace(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.api_route(path, methods=["TRACE"], **options)

    def include_router(
        self,
        router: APIRouter,
        *,
        prefix: str = "",
        tags: list[str | Enum] | None = None,
        dependencies: Sequence[Any] | None = None,
        default_response_class: type[Response] | DefaultPlaceholder = Default(JSONResponse),
        responses: dict[int | str, dict[str, Any]] | None = None,
        callbacks: list[BaseRoute] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder = Default(
            generate_unique_id
        ),
        max_body_size: int | None = None,
        form_limits: FormLimits | None = None,
    ) -> None:
        """Serve ``router``'s routes here, under ``prefix`` and these defaults.

        Routes added to ``router`` afterwards are served here too.
        """
        if router is self:
            raise AssertionError("A router cannot be included into itself")
        if router._includes_router(self):
            raise AssertionError(
                "This router is already included in the router being included: "
                "including it would make a cycle"
            )
        if prefix:
            _check_prefix(prefix)
        inclusion = _Inclusion(
            parent=self,
            router=router,
            prefix=prefix,
            tags=list(tags or []),
            dependencies=list(dependencies or []),
            parent_dependencies=list(self.dependencies),
            default_response_class=default_response_class,
            responses=dict(responses or {}),
            callbacks=list(callbacks or []),
            deprecated=deprecated,
            include_in_schema=include_in_schema,
            generate_unique_id_function=generate_unique_id_function,
            max_body_size=max_body_size,
            form_limits=form_limits,
        )
        # Where its block starts: after the inclusion made just before, if
        # nothing was added since, else after the route that is last now.
        previous = self._includes[-1] if self._includes else None
        if previous is not None and previous.end(self.routes) == len(self.routes):
            inclusion.previous = previous
        elif self.routes:
            inclusion.anchor = self.routes[-1]
        self._includes.append(inclusion)
        self._routes_version += 1
        for route in list(router.routes):
            self._include(route, inclusion)
        router._included_in.append(inclusion)
        # Unlike routes, start-up and shut-down are taken as they are now (FastAPI 0.165):
        # the handlers join this router's lists, and its lifespan runs around the
        # included one, whose own context runs the handlers once more.
        for handler in router.on_startup:
            self.add_event_handler("startup", handler)
        for handler in router.on_shutdown:
            self.add_event_handler("shutdown", handler)
        self.lifespan_context = merged(self.lifespan_context, router.lifespan_context)
        if router._default_after_frontends is not None:
            self._serve_frontends()
        _frontends_changed()

    def add_event_handler(self, event_type: str, func: Callable[[], Any]) -> None:
        """Run ``func`` at ``"startup"`` or ``"shutdown"`` (when the router has no lifespan)."""
        assert event_type in ("startup", "shutdown")
        if event_type == "startup":
            self.on_startup.append(func)
        else:
            self.on_shutdown.append(func)

    @deprecated(ON_EVENT_DEPRECATION)
    def on_event(self, event_type: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Decorator form of ``add_event_handler``; deprecated in favour of ``lifespan``."""

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_event_handler(event_type, func)
            return func

        return decorator

    def frontend(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Fallback = "auto",
        check_dir: bool | Literal["auto"] = "auto",
    ) -> None:
        """Serve the built frontend in ``directory`` under ``path``, after all routes.

        See ``fastcore._frontend`` for which file answers which request.
        ``check_dir="auto"`` checks that the directory exists unless ``FASTAPI_ENV``
        is ``development``, where a frontend not built yet only warns.
        """
        check = resolve_check_dir(directory, check_dir, stacklevel=2)
        if fallback not in FALLBACKS:
            raise AssertionError("fallback must be 'auto', 'index.html', '404.html', or None")
        full_path = join_paths(self.prefix, normalize_path(path))
        files = FrontendFiles(directory, fallback, check)
        if not self._frontends:
            self._frontend_dependencies = list(self.dependencies)
        self._frontends.append(Frontend(full_path, files))
        _frontends_changed()
        self._serve_frontends()

    def _serve_frontends(self) -> None:
        """Try frontends before the 404, here and in every router that includes this one.

        Only routers with a frontend somewhere below them pay for the check, and only
        on their way to a 404.
        """
        if self._default_after_frontends is None:
            self._default_after_frontends = self.default
            self.default = self._frontend_or_default
        for inclusion in self._included_in:
            inclusion.parent._serve_frontends()

    async def _frontend_or_default(self, scope: Scope, receive: Receive, send: Send) -> None:
        frontend, method_served = pick(self._current_frontends(), scope)
        if frontend is None:
            assert self._default_after_frontends is not None
            await self._default_after_frontends(scope, receive, send)
        elif method_served and frontend.app is not None:
            await frontend.app(scope, receive, send)
        else:
            await frontend.respond(scope, receive, send)

    def _current_frontends(self) -> list[ServedFrontend]:
        """The frontends served here, rebuilt after any router gained a frontend or an
        inclusion (included routers are live, so a change may come from below)."""
        if self._served_frontends is None or self._served_frontends[0] != _frontend_changes:
            served = [
                self._served_frontend(path, files, dependencies)
                for path, files, dependencies in self._frontend_declarations()
            ]
            self._served_frontends = (_frontend_changes, served)
        return self._served_frontends[1]

    def _frontend_declarations(self) -> Iterator[tuple[str, FrontendFiles, list[Any]]]:
        """Path, files and dependencies of each frontend reachable from this router:
        its own first, then those of the routers it includes, in the order included."""
        for frontend in self._frontends:
            yield frontend.path, frontend.files, self._frontend_dependencies
        for inclusion in self._includes:
            outer = inclusion.parent_dependencies + inclusion.dependencies
            for path, files, dependencies in inclusion.router._frontend_declarations():
                yield join_paths(inclusion.prefix, path), files, outer + dependencies

    def _served_frontend(
        self, path: str, files: FrontendFiles, dependencies: list[Any]
    ) -> ServedFrontend:
        frontend = ServedFrontend(path, files, None)
        if dependencies:
            # A hidden route runs them as a path operation would (errors, ``yield``
            # teardown, the headers and background tasks they add to the response).
            route = APIRoute(
                path,
                frontend_endpoint(frontend),
                methods=sorted(SERVED_METHODS),
                dependencies=dependencies,
                dependency_overrides_provider=self.dependency_overrides_provider,
                include_in_schema=False,
            )
            frontend.app = route.app
        return frontend

    def _get_routes_version(self) -> int:
        """A number that changes whenever a route is added here or to an included router
        (FastAPI 0.165's rule for rebuilding the OpenAPI document: mounts and direct
        edits of ``routes`` do not count)."""
        return self._routes_version + sum(
            inclusion.router._get_routes_version() for inclusion in self._includes
        )

    def _includes_router(self, other: APIRouter) -> bool:
        """Whether ``other`` is included here, directly or through other routers."""
        return any(
            inclusion.router is other or inclusion.router._includes_router(other)
            for inclusion in self._includes
        )

    def _include(self, route: BaseRoute, inclusion: _Inclusion) -> None:
        """Place here the route that ``inclusion``'s router serves as ``route``."""
        prefix, router = inclusion.prefix, inclusion.router
        if isinstance(route, APIRoute):
            options: RouteOptions = {
                "response_model": route.declared_response_model,
                "response_model_include": route.response_model_include,
                "response_model_exclude": route.response_model_exclude,
                "response_model_by_alias": route.response_model_by_alias,
                "response_model_exclude_unset": route.response_model_exclude_unset,
                "response_model_exclude_defaults": route.response_model_exclude_defaults,
                "response_model_exclude_none": route.response_model_exclude_none,
                "max_body_size": _first_not_none(route.max_body_size, inclusion.max_body_size),
                "form_limits": _first_not_none(route.form_limits, inclusion.form_limits),
                "dependencies": inclusion.dependencies + route.dependencies,
                "status_code": route.status_code,
                "tags": inclusion.tags + route.tags,
                "summary": route.summary,
                "description": route.description,
                "response_description": route.response_description,
                "responses": {**inclusion.responses, **route.responses},
                "deprecated": route.deprecated or inclusion.deprecated or router.deprecated,
                "operation_id": route.operation_id,
                "include_in_schema": route.include_in_schema
                and inclusion.include_in_schema
                and router.include_in_schema,
                "response_class": _first_set(
                    route.response_class,
                    router.default_response_class,
                    inclusion.default_response_class,
                ),
                "name": route.name,
                "callbacks": inclusion.callbacks + list(route.callbacks or []),
                "openapi_extra": route.openapi_extra,
                "generate_unique_id_function": _first_set(
                    route.generate_unique_id_function,
                    router.generate_unique_id_function,
                    inclusion.generate_unique_id_function,
                ),
            }
            derived: BaseRoute = self._api_route(
                prefix + route.path,
                route.endpoint,
                route.methods,
                type(route),
                route.strict_content_type,
                options,
                # FastAPI serves an included router with this router's
                # dependencies as they were when it was included.
                inclusion.parent_dependencies,
            )
        elif isinstance(route, APIWebSocketRoute):
            derived = self._websocket_route(
                prefix + route.path,
                route.endpoint,
                route.name,
                inclusion.dependencies + route.dependencies,
                inclusion.parent_dependencies,
            )
        elif isinstance(route, starlette_routing.WebSocketRoute):
            derived = starlette_routing.WebSocketRoute(
                prefix + route.path, route.endpoint, name=route.name
            )
        elif isinstance(route, starlette_routing.Route):
            # FastAPI applies only the include prefix to plain routes.
            derived = starlette_routing.Route(
                prefix + route.path,
                route.endpoint,
                methods=list(route.methods or []) or None,
                name=route.name,
                include_in_schema=route.include_in_schema,
            )
        else:
            # Mounts and host routes of an included router are not served by
            # FastAPI 0.165 either.
            return
        derived.included_from = getattr(route, "included_from", route)  # type: ignore[attr-defined]
        self._place(derived, inclusion)


@dataclass(eq=False)
class _Inclusion:
    """One ``parent.include_router(router, ...)`` call, remembered to serve later routes."""

    parent: APIRouter
    router: APIRouter
    prefix: str
    tags: list[str | Enum]
    dependencies: list[Any]
    parent_dependencies: list[Any]  # the parent router's, when the inclusion was made
    default_response_class: Any
    responses: dict[int | str, dict[str, Any]]
    callbacks: list[BaseRoute]
    deprecated: bool | None
    include_in_schema: bool
    generate_unique_id_function: Any
    max_body_size: int | None
    form_limits: FormLimits | None
    anchor: BaseRoute | None = None  # the parent's route just before this block
    previous: _Inclusion | None = None  # or the inclusion whose block this one follows
    last: BaseRoute | None = None  # the last route this inclusion placed

    def start(self, routes: list[BaseRoute]) -> int:
        """The position of this block's first route in the parent's ``routes``."""
        if self.previous is not None:
            return self.previous.end(routes)
        return 0 if self.anchor is None else _position_after(routes, self.anchor)

    def end(self, routes: list[BaseRoute]) -> int:
        """The position right after this block's last route."""
        if self.last is None:
            return self.start(routes)
        return _position_after(routes, self.last)


def _position_after(routes: list[BaseRoute], route: BaseRoute) -> int:
    try:
        return routes.index(route) + 1
    except ValueError:  # the user removed it from ``routes``: keep serving, at the end
        return len(routes)


_frontend_changes = 0  # counts changes that may alter which frontends a router serves


def _frontends_changed() -> None:
    global _frontend_changes
    _frontend_changes += 1


def _check_prefix(prefix: str) -> None:
    if not prefix.startswith("/"):
        raise ValueError("A path prefix must start with '/'")
    if prefix.endswith("/"):
        raise ValueError("A path prefix must not end with '/', as the routes start with '/'")
