"""The interactive documentation pages: Swagger UI (``/docs``) and ReDoc (``/redoc``).

FastAPI's pages load their JavaScript and CSS from a CDN. fastcore ships the
same builds in ``static/`` (see ``static/VENDORED.md``) and points the pages at
them by default, under ``STATIC_URL``, where ``static_files_app()`` is mounted;
so the docs work on a machine with no internet access. Passing the URLs of
``swagger_ui_asset_urls(cdn=True)`` / ``redoc_asset_urls(cdn=True)`` gives back
FastAPI's CDN pages: for the same arguments, FastAPI's HTML but for whitespace
and comments.

The HTML keeps FastAPI's quirks, since pages and tests built on FastAPI's
output rely on them: ``title`` and ``openapi_url`` are inserted unescaped (they
come from the application's code, not from requests), while every value that
is serialised to JSON is escaped so that it cannot close the ``<script>``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

from starlette.staticfiles import StaticFiles

from fastcore.encoders import jsonable_encoder
from fastcore.responses import HTMLResponse

STATIC_DIR = Path(__file__).resolve().parent / "static"
"""The vendored assets, as shipped in the package."""

STATIC_URL = "/_fastcore/static"
"""Where the application mounts ``static_files_app()``; the default asset URLs point here."""

FAVICON_URL = f"{STATIC_URL}/swagger-ui/favicon-32x32.png"
SWAGGER_JS_URL = f"{STATIC_URL}/swagger-ui/swagger-ui-bundle.js"
SWAGGER_CSS_URL = f"{STATIC_URL}/swagger-ui/swagger-ui.css"
REDOC_JS_URL = f"{STATIC_URL}/redoc/redoc.standalone.js"

# FastAPI 0.165's defaults: jsDelivr follows the newest release of each major version,
# while the vendored files are one fixed release of that major.
CDN_FAVICON_URL = "https://fastapi.tiangolo.com/img/favicon.png"
CDN_SWAGGER_JS_URL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"
CDN_SWAGGER_CSS_URL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"
CDN_REDOC_JS_URL = "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"

GOOGLE_FONTS_CSS_URL = (
    "https://fonts.googleapis.com/css?family=Montserrat:300,400,700|Roboto:300,400,700"
)

swagger_ui_default_parameters: dict[str, Any] = {
    "dom_id": "#swagger-ui",
    "layout": "BaseLayout",
    "deepLinking": True,
    "showExtensions": True,
    "showCommonExtensions": True,
}
"""Swagger UI options that every page gets; ``swagger_ui_parameters`` override them per key."""


class SwaggerUIAssetUrls(TypedDict):
    """The asset keyword arguments of ``get_swagger_ui_html``."""

    swagger_js_url: str
    swagger_css_url: str
    swagger_favicon_url: str


class RedocAssetUrls(TypedDict):
    """The asset keyword arguments of ``get_redoc_html``."""

    redoc_js_url: str
    redoc_favicon_url: str


def swagger_ui_asset_urls(root_path: str = "", *, cdn: bool = False) -> SwaggerUIAssetUrls:
    """Asset URLs for ``get_swagger_ui_html``: the vendored files below ``root_path``, or
    FastAPI's CDN URLs."""
    if cdn:
        return SwaggerUIAssetUrls(
            swagger_js_url=CDN_SWAGGER_JS_URL,
            swagger_css_url=CDN_SWAGGER_CSS_URL,
            swagger_favicon_url=CDN_FAVICON_URL,
        )
    prefix = root_path.rstrip("/")
    return SwaggerUIAssetUrls(
        swagger_js_url=prefix + SWAGGER_JS_URL,
        swagger_css_url=prefix + SWAGGER_CSS_URL,
        swagger_favicon_url=prefix + FAVICON_URL,
    )


def redoc_asset_urls(root_path: str = "", *, cdn: bool = False) -> RedocAssetUrls:
    """Asset URLs for ``get_redoc_html``: the vendored files below ``root_path``, or
    FastAPI's CDN URLs."""
    if cdn:
        return RedocAssetUrls(redoc_js_url=CDN_REDOC_JS_URL, redoc_favicon_url=CDN_FAVICON_URL)
    prefix = root_path.rstrip("/")
    return RedocAssetUrls(
        redoc_js_url=prefix + REDOC_JS_URL, redoc_favicon_url=prefix + FAVICON_URL
    )


def static_files_app() -> StaticFiles:
    """An ASGI app serving the vendored assets; mount it at ``STATIC_URL``."""
    return StaticFiles(directory=STATIC_DIR)


def _script_json(value: Any) -> str:
    """JSON for a ``<script>`` block: ``<``, ``>`` and ``&`` escaped so that no value
    can end the script or open a comment; the result is still the same JSON."""
    text = json.dumps(value)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def get_swagger_ui_html(
    *,
    openapi_url: str,
    title: str,
    swagger_js_url: str = SWAGGER_JS_URL,
    swagger_css_url: str = SWAGGER_CSS_URL,
    swagger_favicon_url: str = FAVICON_URL,
    oauth2_redirect_url: str | None = None,
    init_oauth: dict[str, Any] | None = None,
    swagger_ui_parameters: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The Swagger UI page for the OpenAPI document at ``openapi_url``.

    ``swagger_ui_parameters`` are merged over ``swagger_ui_default_parameters`` and passed
    to ``SwaggerUIBundle`` as JSON (values through ``jsonable_encoder``);
    ``oauth2_redirect_url`` is made absolute against the page's origin; a non-empty
    ``init_oauth`` is passed to ``ui.initOAuth``.
    """
    options = {**swagger_ui_default_parameters, **(swagger_ui_parameters or {})}
    option_lines = "".join(
        f"      {_script_json(key)}: {_script_json(jsonable_encoder(value))},\n"
        for key, value in options.items()
    )
    if oauth2_redirect_url:
        option_lines += (
            f"      oauth2RedirectUrl: window.location.origin + '{oauth2_redirect_url}',\n"
        )
    init_oauth_call = (
        f"    ui.initOAuth({_script_json(jsonable_encoder(init_oauth))})\n" if init_oauth else ""
    )
    html = f"""<!DOCTYPE html>
<html>
  <head>
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link type="text/css" rel="stylesheet" href="{swagger_css_url}">
    <link rel="shortcut icon" href="{swagger_favicon_url}">
    <title>{title}</title>
  </head>
  <body>
    <div id="swagger-ui">
    </div>
    <script src="{swagger_js_url}"></script>
    <script>
    const ui = SwaggerUIBundle({{
      url: '{openapi_url}',
{option_lines}      presets: [
        SwaggerUIBundle.presets.apis,
        SwaggerUIBundle.SwaggerUIStandalonePreset
      ],
    }})
{init_oauth_call}    </script>
  </body>
</html>
"""
    return HTMLResponse(html)


def get_redoc_html(
    *,
    openapi_url: str,
    title: str,
    redoc_js_url: str = REDOC_JS_URL,
    redoc_favicon_url: str = FAVICON_URL,
    with_google_fonts: bool = True,
) -> HTMLResponse:
    """The ReDoc page for the OpenAPI document at ``openapi_url``.

    ``with_google_fonts`` links the Montserrat and Roboto fonts ReDoc is styled with from
    Google Fonts; without it (or offline) ReDoc falls back to the browser's sans-serif.
    """
    fonts_link = (
        f'    <link href="{GOOGLE_FONTS_CSS_URL}" rel="stylesheet">\n' if with_google_fonts else ""
    )
    html = f"""<!DOCTYPE html>
<html>
  <head>
    <title>{title}</title>
    <meta charset="utf-8"/>
    <meta name="viewport" content="width=device-width, initial-scale=1">
{fonts_link}    <link rel="shortcut icon" href="{redoc_favicon_url}">
    <style>
      body {{
        margin: 0;
        padding: 0;
      }}
    </style>
  </head>
  <body>
    <noscript>
      ReDoc requires Javascript to function. Please enable it to browse the documentation.
    </noscript>
    <redoc spec-url="{openapi_url}"></redoc>
    <script src="{redoc_js_url}"> </script>
  </body>
</html>
"""
    return HTMLResponse(html)


@cache
def _oauth2_redirect_script() -> str:
    # Swagger UI's own redirect handler, from the vendored release, inlined so that the
    # page needs no other URL (it is served below whatever root path the app has).
    script = (STATIC_DIR / "swagger-ui" / "oauth2-redirect.js").read_text(encoding="utf-8")
    if "</" in script:
        raise ValueError("oauth2-redirect.js cannot be inlined: it contains '</'")
    return script


def get_swagger_ui_oauth2_redirect_html() -> HTMLResponse:
    """The page an OAuth2 provider redirects to after a log-in started from Swagger UI.

    It hands the result (code or token, from the URL) back to the Swagger UI window that
    opened it and closes itself.
    """
    html = f"""<!doctype html>
<html lang="en-US">
  <head>
    <title>Swagger UI: OAuth2 Redirect</title>
  </head>
  <body>
    <script>
{_oauth2_redirect_script()}
    </script>
  </body>
</html>
"""
    return HTMLResponse(html)
