"""The ``FastAPI`` application object.

A Starlette application (middleware stack, ``state``, ``mount``, exception
middleware) whose router is a fastcore ``APIRouter``, with FastAPI's
constructor, decorators and default exception handlers.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Awaitable, Callable, Sequence
from enum import Enum
from typing import Any, Literal, TypeVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Lifespan, Receive, Scope, Send
from typing_extensions import Unpack, deprecated

from fastcore._error_replay import build_stack
from fastcore._frontend import Fallback, resolve_check_dir
from fastcore._lifespan import ON_EVENT_DEPRECATION
from fastcore.datastructures import Default, DefaultPlaceholder
from fastcore.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
    websocket_request_validation_exception_handler,
)
from fastcore.exceptions import (
    FastAPIDeprecationWarning,
    RequestValidationError,
    WebSocketRequestValidationError,
)
from fastcore.openapi.docs import (
    STATIC_URL,
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
    redoc_asset_urls,
    static_files_app,
    swagger_ui_asset_urls,
)
from fastcore.openapi.utils import get_openapi
from fastcore.routing import (
    APIRoute,
    APIRouter,
    FormLimits,
    RouteOptions,
    generate_unique_id,
)
from fastcore.telemetry import TelemetryConfig
from fastcore.telemetry._setup import start_telemetry
from fastcore.types import DecoratedCallable

AppType = TypeVar("AppType", bound="FastAPI")


class FastAPI(Starlette):
    """An ASGI application serving path operations, as ``fastapi.FastAPI`` does."""

    def __init__(
        self,
        *,
        debug: bool = False,
        routes: list[BaseRoute] | None = None,
        title: str = "FastAPI",
        summary: str | None = None,
        description: str = "",
        version: str = "0.1.0",
        openapi_url: str | None = "/openapi.json",
        openapi_tags: list[dict[str, Any]] | None = None,
        servers: list[dict[str, Any]] | None = None,
        dependencies: Sequence[Any] | None = None,
        default_response_class: type[Response] | DefaultPlaceholder = Default(JSONResponse),
        redirect_slashes: bool = True,
        docs_url: str | None = "/docs",
        redoc_url: str | None = "/redoc",
        swagger_ui_oauth2_redirect_url: str | None = "/docs/oauth2-redirect",
        swagger_ui_init_oauth: dict[str, Any] | None = None,
        middleware: Sequence[Middleware] | None = None,
        exception_handlers: dict[Any, Callable[..., Any]] | None = None,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        lifespan: Lifespan[AppType] | None = None,
        terms_of_service: str | None = None,
        contact: dict[str, Any] | None = None,
        license_info: dict[str, Any] | None = None,
        root_path: str = "",
        root_path_in_servers: bool = True,
        responses: dict[int | str, dict[str, Any]] | None = None,
        callbacks: list[BaseRoute] | None = None,
        webhooks: APIRouter | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        swagger_ui_parameters: dict[str, Any] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str] = Default(generate_unique_id),
        separate_input_output_schemas: bool = True,
        openapi_external_docs: dict[str, Any] | None = None,
        docs_cdn: bool = False,
        strict_content_type: bool = True,
        max_body_size: int | None = None,
        form_limits: FormLimits | None = None,
        telemetry: TelemetryConfig | None = None,
        **extra: Any,
    ) -> None:
        # None when OpenTelemetry is not installed or telemetry is switched off.
        self._telemetry = start_telemetry(telemetry)
        handlers: dict[Any, Callable[..., Any]] = {
            StarletteHTTPException: http_exception_handler,
            RequestValidationError: request_validation_exception_handler,
            WebSocketRequestValidationError: websocket_request_validation_exception_handler,
        }
        handlers.update(exception_handlers or {})
        super().__init__(
            debug=debug,
            middleware=middleware,
            exception_handlers=handlers,
            max_body_size=max_body_size,
        )
        self.router: APIRouter = APIRouter(
            routes=routes,
            redirect_slashes=redirect_slashes,
            dependency_overrides_provider=self,
            on_startup=on_startup,
            on_shutdown=on_shutdown,
            lifespan=lifespan,
            default_response_class=default_response_class,
            dependencies=dependencies,
            callbacks=callbacks,
            deprecated=deprecated,
            include_in_schema=include_in_schema,
            responses=responses,
            generate_unique_id_function=generate_unique_id_function,
            strict_content_type=strict_content_type,
            form_limits=form_limits,
        )
        # Kept for the OpenAPI document and the docs pages, as FastAPI keeps them.
        self.title = title
        self.summary = summary
        self.description = description
        self.version = version
        self.terms_of_service = terms_of_service
        self.contact = contact
        self.license_info = license_info
        self.openapi_url = openapi_url
        self.openapi_tags = openapi_tags
        self.servers = list(servers or [])
        self.docs_url = docs_url
        self.redoc_url = redoc_url
        self.swagger_ui_oauth2_redirect_url = swagger_ui_oauth2_redirect_url
        self.swagger_ui_init_oauth = swagger_ui_init_oauth
        self.swagger_ui_parameters = swagger_ui_parameters
        if root_path:
            # FastAPI 0.165 deprecates it: the server (or proxy) should set the root path.
            warnings.warn(
                "The `root_path` parameter is deprecated. Configure the server's root path "
                "instead, for example with `fastapi run --root-path /api/v1`.",
                FastAPIDeprecationWarning,
                stacklevel=2,
            )
        self.root_path = root_path
        self.root_path_in_servers = root_path_in_servers
        self.webhooks = webhooks or APIRouter()
        self.separate_input_output_schemas = separate_input_output_schemas
        self.extra = extra
        self.dependency_overrides: dict[Callable[..., Any], Callable[..., Any]] = {}
        self.openapi_schema: dict[str, Any] | None = None
        # The routes version ``openapi_schema`` was built for: None until it is built.
        self._openapi_routes_version: int | None = None
        self.openapi_version = "3.1.0"
        self.openapi_external_docs = openapi_external_docs
        self.docs_cdn = docs_cdn
        self.setup()

    def openapi(self) -> dict[str, Any]:
        """The app's OpenAPI document, built on first use and kept; override to change it.

        As in FastAPI 0.165, it is built again when routes were added since (here or
        to an included router), or when ``openapi_schema`` was set back to None. A
        document set in ``openapi_schema`` before the first build is replaced by it.
        """
        routes_version = self.router._get_routes_version()
        if self.openapi_schema is None or routes_version != self._openapi_routes_version:
            self.openapi_schema = get_openapi(
                title=self.title,
                version=self.version,
                openapi_version=self.openapi_version,
                summary=self.summary,
                description=self.description,
                terms_of_service=self.terms_of_service,
                contact=self.contact,
                license_info=self.license_info,
                routes=self.routes,
                webhooks=self.webhooks.routes,
                tags=self.openapi_tags,
                servers=self.servers,
                separate_input_output_schemas=self.separate_input_output_schemas,
                external_docs=self.openapi_external_docs,
            )
            self._openapi_routes_version = routes_version
        return self.openapi_schema

    def setup(self) -> None:
        """Add the routes that serve the OpenAPI document and the pages that show it.

        The pages' scripts and styles are served from the package (under
        ``STATIC_URL``), so they work without internet; ``docs_cdn=True``
        loads them from FastAPI's CDN URLs instead.
        """
        if not self.openapi_url:
            return
        self.add_route(
            self.openapi_url, self._serve_openapi, include_in_schema=False, name="openapi"
        )
        if not self.docs_cdn:
            self.mount(STATIC_URL, static_files_app(), name="fastcore_docs_assets")
        if self.docs_url:
            self.add_route(
                self.docs_url,
                self._serve_swagger_ui,
                include_in_schema=False,
                name="swagger_ui_html",
            )
            if self.swagger_ui_oauth2_redirect_url:
                self.add_route(
                    self.swagger_ui_oauth2_redirect_url,
                    self._serve_swagger_ui_redirect,
                    include_in_schema=False,
                    name="swagger_ui_redirect",
                )
        if self.redoc_url:
            self.add_route(
                self.redoc_url, self._serve_redoc, include_in_schema=False, name="redoc_html"
            )

    async def _serve_swagger_ui(self, request: Request) -> HTMLResponse:
        root_path = request.scope.get("root_path", "").rstrip("/")
        oauth2_redirect_url = self.swagger_ui_oauth2_redirect_url
        if oauth2_redirect_url:
            oauth2_redirect_url = root_path + oauth2_redirect_url
        return get_swagger_ui_html(
            openapi_url=root_path + (self.openapi_url or ""),
            title=f"{self.title} - Swagger UI",
            oauth2_redirect_url=oauth2_redirect_url,
            init_oauth=self.swagger_ui_init_oauth,
            swagger_ui_parameters=self.swagger_ui_parameters,
            **swagger_ui_asset_urls(root_path, cdn=self.docs_cdn),
        )

    async def _serve_swagger_ui_redirect(self, request: Request) -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def _serve_redoc(self, request: Request) -> HTMLResponse:
        root_path = request.scope.get("root_path", "").rstrip("/")
        # ReDoc links Google Fonts only in CDN mode: offline, that stylesheet would stall the page.
        return get_redoc_html(
            openapi_url=root_path + (self.openapi_url or ""),
            title=f"{self.title} - ReDoc",
            with_google_fonts=self.docs_cdn,
            **redoc_asset_urls(root_path, cdn=self.docs_cdn),
        )

    async def _serve_openapi(self, request: Request) -> JSONResponse:
        # A proxy's prefix becomes the first server of the document served, as FastAPI
        # does it: also for an overridden ``openapi``, and without changing the kept
        # document or ``self.servers`` (the next request may come through another prefix).
        document = self.openapi()
        root_path = request.scope.get("root_path", "").rstrip("/")
        if root_path and self.root_path_in_servers:
            servers = document.get("servers") or []
            if root_path not in {server.get("url") for server in servers}:
                document = {**document, "servers": [{"url": root_path}, *servers]}
        return JSONResponse(document)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.root_path:
            scope["root_path"] = self.root_path
        # Starlette's own __call__, inline: one coroutine less per request.
        scope["app"] = self
        if self.middleware_stack is None:
            self.middleware_stack = self.build_middleware_stack()
        await self.middleware_stack(scope, receive, send)

    def build_middleware_stack(self) -> ASGIApp:
        # Starlette's stack, with its error layers paid for only on errors (see
        # fastcore._error_replay). With telemetry on, its wrapper goes around the
        # whole stack (see fastcore.telemetry).
        if self._telemetry is None:
            return build_stack(self)
        return self._telemetry.build_stack(self, lambda: build_stack(self))

    def add_api_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: set[str] | list[str] | None = None,
        strict_content_type: bool | DefaultPlaceholder = Default(True),
        **options: Unpack[RouteOptions],
    ) -> None:
        self.router.add_api_route(
            path, endpoint, methods=methods, strict_content_type=strict_content_type, **options
        )

    def api_route(
        self, path: str, *, methods: list[str] | None = None, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.router.api_route(path, methods=methods, **options)

    def get(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.router.get(path, **options)

    def put(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.router.put(path, **options)

    def post(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.router.post(path, **options)

    def delete(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.router.delete(path, **options)

    def options(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.router.options(path, **options)

    def head(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.router.head(path, **options)

    def patch(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.router.patch(path, **options)

    def trace(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.router.trace(path, **options)

    def add_api_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None = None,
        *,
        dependencies: Sequence[Any] | None = None,
    ) -> None:
        self.router.add_api_websocket_route(path, endpoint, name, dependencies=dependencies)

    def websocket(
        self, path: str, name: str | None = None, *, dependencies: Sequence[Any] | None = None
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        return self.router.websocket(path, name, dependencies=dependencies)

    def include_router(
        self,
        router: APIRouter,
        *,
        prefix: str = "",
        tags: list[str | Enum] | None = None,
        dependencies: Sequence[Any] | None = None,
        responses: dict[int | str, dict[str, Any]] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        default_response_class: type[Response] | DefaultPlaceholder = Default(JSONResponse),
        callbacks: list[BaseRoute] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder = Default(
            generate_unique_id
        ),
        max_body_size: int | None = None,
        form_limits: FormLimits | None = None,
    ) -> None:
        self.router.include_router(
            router,
            prefix=prefix,
            tags=tags,
            dependencies=dependencies,
            responses=responses,
            deprecated=deprecated,
            include_in_schema=include_in_schema,
            default_response_class=default_response_class,
            callbacks=callbacks,
            generate_unique_id_function=generate_unique_id_function,
            max_body_size=max_body_size,
            form_limits=form_limits,
        )

    def exception_handler(
        self, exc_class_or_status_code: int | type[Exception]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Decorator form of ``add_exception_handler``."""

        def decorator(handler: DecoratedCallable) -> DecoratedCallable:
            self.add_exception_handler(exc_class_or_status_code, handler)
            return handler

        return decorator

    @deprecated(ON_EVENT_DEPRECATION)
    def on_event(self, event_type: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Decorator adding a ``"startup"`` or ``"shutdown"`` handler; prefer ``lifespan``."""
        return self.router.on_event(event_type)

    def frontend(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Fallback = "auto",
        check_dir: bool | Literal["auto"] = "auto",
    ) -> None:
        """Serve a built single-page frontend (``dist/``) under ``path``, behind the API.

        Path operations are tried first; see ``APIRouter.frontend``.
        """
        check = resolve_check_dir(directory, check_dir, stacklevel=2)
        self.router.frontend(path, directory=directory, fallback=fallback, check_dir=check)

    def middleware(self, middleware_type: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Decorator for a function ``(request, call_next) -> response`` around each request.

        ``middleware_type`` is not checked: FastAPI 0.165 adds any type as ``"http"``
        middleware, and an app written for it must keep working.
        """

        def decorator(
            dispatch: Callable[
                [Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]
            ],
        ) -> Any:
            self.add_middleware(BaseHTTPMiddleware, dispatch=dispatch)
            return dispatch

        return decorator
