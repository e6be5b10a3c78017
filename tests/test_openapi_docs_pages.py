"""``fastcore.openapi.docs``: the Swagger UI, ReDoc and OAuth2 redirect pages.

By default the pages load the assets vendored in the package (served by
``static_files_app()``), so they work offline; given FastAPI's CDN URLs they are
the same pages as FastAPI 0.165's, compared here side by side.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from fastcore.openapi import docs
from fastcore.openapi.docs import (
    STATIC_DIR,
    STATIC_URL,
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
    redoc_asset_urls,
    swagger_ui_asset_urls,
)

DEFAULT_OPTIONS = {
    "dom_id": "#swagger-ui",
    "layout": "BaseLayout",
    "deepLinking": True,
    "showExtensions": True,
    "showCommonExtensions": True,
}


def swagger_page(**kwargs: Any) -> str:
    kwargs.setdefault("openapi_url", "/openapi.json")
    kwargs.setdefault("title", "Shop - Swagger UI")
    response = get_swagger_ui_html(**kwargs)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return bytes(response.body).decode()


def redoc_page(**kwargs: Any) -> str:
    kwargs.setdefault("openapi_url", "/openapi.json")
    kwargs.setdefault("title", "Shop - ReDoc")
    response = get_redoc_html(**kwargs)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return bytes(response.body).decode()


def bundle_options(html: str) -> dict[str, Any]:
    """The JSON-encoded options passed to ``SwaggerUIBundle``, decoded, in page order."""
    block = html[html.index("SwaggerUIBundle({") : html.index("presets:")]
    options = {}
    for key, value in re.findall(r'^\s*("(?:[^"\\]|\\.)*"): (.*),$', block, flags=re.M):
        options[json.loads(key)] = json.loads(value)
    return options


def init_oauth_argument(html: str) -> Any:
    found = re.findall(r"ui\.initOAuth\((.*)\)", html)
    assert len(found) <= 1
    return json.loads(found[0]) if found else None


def asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def normalised(html: str) -> str:
    """The page without comments, with each run of whitespace as one space."""
    return re.sub(r"\s+", " ", re.sub(r"<!--.*?-->", "", html, flags=re.S)).strip()


# Swagger UI


def test_swagger_page_loads_the_vendored_assets_and_nothing_from_outside() -> None:
    html = swagger_page()
    assert f'<script src="{STATIC_URL}/swagger-ui/swagger-ui-bundle.js"></script>' in html
    assert f'rel="stylesheet" href="{STATIC_URL}/swagger-ui/swagger-ui.css"' in html
    assert f'rel="shortcut icon" href="{STATIC_URL}/swagger-ui/favicon-32x32.png"' in html
    assert "<title>Shop - Swagger UI</title>" in html
    assert "//" not in html.replace("</", "")  # no absolute or protocol-relative URL
    assert "url: '/openapi.json'," in html


def test_swagger_page_passes_the_default_options() -> None:
    html = swagger_page()
    assert bundle_options(html) == DEFAULT_OPTIONS
    assert list(bundle_options(html)) == list(DEFAULT_OPTIONS)
    assert docs.swagger_ui_default_parameters == DEFAULT_OPTIONS
    assert "oauth2RedirectUrl" not in html
    assert "initOAuth" not in html
    assert "SwaggerUIBundle.presets.apis" in html


def test_swagger_ui_parameters_are_merged_over_the_defaults_as_json() -> None:
    parameters = {"deepLinking": False, "syntaxHighlight": {"theme": "obsidian"}, "x": None}
    html = swagger_page(swagger_ui_parameters=parameters)
    assert bundle_options(html) == {
        **DEFAULT_OPTIONS,
        "deepLinking": False,
        "syntaxHighlight": {"theme": "obsidian"},
        "x": None,
    }
    # An override keeps the default's place; new options come after the defaults.
    assert list(bundle_options(html)) == [*DEFAULT_OPTIONS, "syntaxHighlight", "x"]
    assert docs.swagger_ui_default_parameters == DEFAULT_OPTIONS


def test_swagger_ui_parameters_go_through_jsonable_encoder() -> None:
    html = swagger_page(swagger_ui_parameters={"tags": {"b"}, "ids": ("a", 1)})
    assert bundle_options(html)["tags"] == ["b"]
    assert bundle_options(html)["ids"] == ["a", 1]


def test_changing_the_module_defaults_changes_later_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(docs.swagger_ui_default_parameters, "filter", True)
    assert bundle_options(swagger_page())["filter"] is True


def test_oauth2_redirect_url_is_made_absolute_in_the_browser() -> None:
    html = swagger_page(oauth2_redirect_url="/api/docs/oauth2-redirect")
    assert "oauth2RedirectUrl: window.location.origin + '/api/docs/oauth2-redirect'," in html


def test_init_oauth_is_passed_to_ui_init_oauth() -> None:
    init_oauth = {"clientId": "shop", "scopes": ["read", "write"], "usePkce": True}
    html = swagger_page(init_oauth=init_oauth)
    assert init_oauth_argument(html) == init_oauth
    # After the UI exists, inside the same script.
    script = html.rindex("<script>")
    assert script < html.index("SwaggerUIBundle({") < html.index("ui.initOAuth(")
    assert html.index("ui.initOAuth(") < html.index("</script>", script)


def test_empty_init_oauth_adds_no_call() -> None:
    assert "initOAuth" not in swagger_page(init_oauth={})


def test_json_in_the_page_cannot_close_the_script() -> None:
    hostile = "</script><script>alert(1)</script>&<!--"
    html = swagger_page(init_oauth={"clientId": hostile}, swagger_ui_parameters={hostile: hostile})
    assert html.count("</script>") == 2  # the bundle's and the inline script's own
    assert "<!--" not in html
    assert init_oauth_argument(html) == {"clientId": hostile}
    assert bundle_options(html)[hostile] == hostile


def test_swagger_page_with_cdn_urls() -> None:
    html = swagger_page(**swagger_ui_asset_urls(cdn=True))
    assert asset_urls(html) == [
        "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css",
        "https://fastapi.tiangolo.com/img/favicon.png",
        "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js",
    ]
    assert STATIC_URL not in html


# ReDoc


def test_redoc_page_loads_the_vendored_bundle() -> None:
    html = redoc_page(openapi_url="/v1/openapi.json")
    assert '<redoc spec-url="/v1/openapi.json"></redoc>' in html
    assert f'<script src="{STATIC_URL}/redoc/redoc.standalone.js"> </script>' in html
    assert f'rel="shortcut icon" href="{STATIC_URL}/swagger-ui/favicon-32x32.png"' in html
    assert "<title>Shop - ReDoc</title>" in html
    assert "<noscript>" in html


def test_redoc_google_fonts_are_optional() -> None:
    fonts = "https://fonts.googleapis.com/css?family=Montserrat:300,400,700|Roboto:300,400,700"
    assert f'<link href="{fonts}" rel="stylesheet">' in redoc_page()
    offline = redoc_page(with_google_fonts=False)
    assert "googleapis" not in offline
    assert "//" not in offline.replace("</", "")


def test_redoc_page_with_cdn_urls() -> None:
    html = redoc_page(with_google_fonts=False, **redoc_asset_urls(cdn=True))
    assert asset_urls(html) == [
        "https://fastapi.tiangolo.com/img/favicon.png",
        "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js",
    ]


# OAuth2 redirect page


def test_oauth2_redirect_page_inlines_swagger_uis_handler() -> None:
    response = get_swagger_ui_oauth2_redirect_html()
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = bytes(response.body).decode()
    handler = (STATIC_DIR / "swagger-ui" / "oauth2-redirect.js").read_text(encoding="utf-8")
    assert handler.strip() in html
    assert "window.opener.swaggerUIRedirectOauth2" in html
    assert "<title>Swagger UI: OAuth2 Redirect</title>" in html
    # Self-contained: it works at any path, below any root path.
    assert asset_urls(html) == []
    assert html.count("<script>") == 1 and html.count("</script>") == 1


# Asset URL helpers


def test_asset_urls_below_a_root_path() -> None:
    assert swagger_ui_asset_urls("/proxy/") == {
        "swagger_js_url": f"/proxy{STATIC_URL}/swagger-ui/swagger-ui-bundle.js",
        "swagger_css_url": f"/proxy{STATIC_URL}/swagger-ui/swagger-ui.css",
        "swagger_favicon_url": f"/proxy{STATIC_URL}/swagger-ui/favicon-32x32.png",
    }
    assert redoc_asset_urls("/proxy") == {
        "redoc_js_url": f"/proxy{STATIC_URL}/redoc/redoc.standalone.js",
        "redoc_favicon_url": f"/proxy{STATIC_URL}/swagger-ui/favicon-32x32.png",
    }
    assert swagger_ui_asset_urls("/proxy", cdn=True) == swagger_ui_asset_urls(cdn=True)


def test_default_asset_urls_are_the_local_ones() -> None:
    for function, urls in (
        (get_swagger_ui_html, swagger_ui_asset_urls()),
        (get_redoc_html, redoc_asset_urls()),
    ):
        parameters = inspect.signature(function).parameters
        assert {name: parameters[name].default for name in urls} == urls


# The vendored files


def local_assets() -> list[str]:
    pages = swagger_page() + redoc_page(with_google_fonts=False)
    return sorted({url for url in asset_urls(pages) if url.startswith(STATIC_URL + "/")})


def test_pages_reference_every_asset_they_need() -> None:
    assert local_assets() == [
        f"{STATIC_URL}/redoc/redoc.standalone.js",
        f"{STATIC_URL}/swagger-ui/favicon-32x32.png",
        f"{STATIC_URL}/swagger-ui/swagger-ui-bundle.js",
        f"{STATIC_URL}/swagger-ui/swagger-ui.css",
    ]


MINIMUM_SIZE = {".js": 500_000, ".css": 50_000, ".png": 200}


@pytest.mark.parametrize("url", local_assets())
def test_referenced_asset_is_in_the_package(url: str) -> None:
    path = STATIC_DIR / url.removeprefix(STATIC_URL + "/")
    assert path.is_file()
    assert path.stat().st_size >= MINIMUM_SIZE[path.suffix]


@pytest.mark.parametrize("folder", ["swagger-ui", "redoc"])
def test_each_vendored_package_carries_its_licence(folder: str) -> None:
    licence = (STATIC_DIR / folder / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence or "Apache License" in licence
    for bundle in (STATIC_DIR / folder).glob("*.js"):
        first_line = bundle.read_text(encoding="utf-8").partition("\n")[0]
        if "license information" in first_line:
            named = re.search(r"see (\S+\.LICENSE\.txt)", first_line)
            assert named and (STATIC_DIR / folder / named.group(1)).is_file()


def test_vendored_record_matches_the_files() -> None:
    """VENDORED.md gives the sha256 of every vendored file, and every file has one."""
    record = (STATIC_DIR / "VENDORED.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| `[^`]+` \| (\d+) \| `([0-9a-f]{64})` \|$", record, re.M)
    on_disk = sorted(
        str(path.relative_to(STATIC_DIR))
        for path in STATIC_DIR.rglob("*")
        if path.is_file() and path.name != "VENDORED.md"
    )
    assert sorted(name for name, _, _ in rows) == on_disk
    for name, size, sha256 in rows:
        content = (STATIC_DIR / name).read_bytes()
        assert (len(content), hashlib.sha256(content).hexdigest()) == (int(size), sha256), name


# Serving them


@pytest.fixture(scope="module")
def static_client() -> TestClient:
    app = Starlette(routes=[Mount(STATIC_URL, app=docs.static_files_app())])
    return TestClient(app)


CONTENT_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


@pytest.mark.parametrize("url", local_assets())
def test_static_files_app_serves_the_assets(static_client: TestClient, url: str) -> None:
    response = static_client.get(url)
    assert response.status_code == 200
    path = STATIC_DIR / url.removeprefix(STATIC_URL + "/")
    assert CONTENT_TYPES[path.suffix] in response.headers["content-type"]
    assert response.content == path.read_bytes()
    # Cacheable: a revalidation answers 304 without the body.
    again = static_client.get(url, headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "url",
    [
        f"{STATIC_URL}/",
        f"{STATIC_URL}/nope.js",
        f"{STATIC_URL}/../docs.py",
        f"{STATIC_URL}/%2e%2e/docs.py",
    ],
)
def test_static_files_app_serves_nothing_else(static_client: TestClient, url: str) -> None:
    assert static_client.get(url).status_code == 404


# Side by side with FastAPI 0.165


fastapi_docs = pytest.importorskip("fastapi.openapi.docs")

SWAGGER_CASES: list[dict[str, Any]] = [
    {},
    {"oauth2_redirect_url": "/docs/oauth2-redirect"},
    {"init_oauth": {"clientId": "c", "scopes": ["a", "b"], "appName": "</script>"}},
    {"init_oauth": {}},
    {"swagger_ui_parameters": {"deepLinking": False, "tryItOutEnabled": True, "n": 1.5}},
    {"swagger_ui_parameters": {"<&>": "<&>", "syntaxHighlight": {"theme": "monokai"}}},
    {
        "oauth2_redirect_url": "/proxy/docs/oauth2-redirect",
        "init_oauth": {"usePkceWithAuthorizationCodeGrant": True},
        "swagger_ui_parameters": {"filter": "pets"},
    },
]


@pytest.mark.parametrize("case", SWAGGER_CASES)
def test_swagger_page_with_cdn_urls_is_fastapis(case: dict[str, Any]) -> None:
    arguments = {"openapi_url": "/proxy/openapi.json", "title": "Shop - Swagger UI", **case}
    theirs = bytes(fastapi_docs.get_swagger_ui_html(**arguments).body).decode()
    ours = bytes(get_swagger_ui_html(**arguments, **swagger_ui_asset_urls(cdn=True)).body)
    assert normalised(ours.decode()) == normalised(theirs)
    assert bundle_options(ours.decode()) == bundle_options(theirs)
    assert init_oauth_argument(ours.decode()) == init_oauth_argument(theirs)


@pytest.mark.parametrize("with_google_fonts", [True, False])
def test_redoc_page_with_cdn_urls_is_fastapis(with_google_fonts: bool) -> None:
    arguments: dict[str, Any] = {
        "openapi_url": "/openapi.json",
        "title": "Shop - ReDoc",
        "with_google_fonts": with_google_fonts,
    }
    theirs = bytes(fastapi_docs.get_redoc_html(**arguments).body).decode()
    ours = bytes(get_redoc_html(**arguments, **redoc_asset_urls(cdn=True)).body).decode()
    assert normalised(ours) == normalised(theirs)


def test_cdn_urls_are_fastapis_defaults() -> None:
    for ours, theirs in (
        (swagger_ui_asset_urls(cdn=True), fastapi_docs.get_swagger_ui_html),
        (redoc_asset_urls(cdn=True), fastapi_docs.get_redoc_html),
    ):
        parameters = inspect.signature(theirs).parameters
        assert {name: parameters[name].default for name in ours} == ours


@pytest.mark.parametrize(
    "name", ["get_swagger_ui_html", "get_redoc_html", "get_swagger_ui_oauth2_redirect_html"]
)
def test_signatures_are_fastapis_but_for_the_asset_urls(name: str) -> None:
    ours = inspect.signature(getattr(docs, name)).parameters
    theirs = inspect.signature(getattr(fastapi_docs, name)).parameters
    assert list(ours) == list(theirs)
    asset_parameters = {*swagger_ui_asset_urls(), *redoc_asset_urls()}
    for parameter in ours:
        assert ours[parameter].kind == theirs[parameter].kind
        if parameter not in asset_parameters:
            assert ours[parameter].default == theirs[parameter].default, parameter


def test_default_parameters_are_fastapis() -> None:
    assert docs.swagger_ui_default_parameters == fastapi_docs.swagger_ui_default_parameters


def test_oauth2_redirect_page_speaks_the_same_protocol_as_fastapis() -> None:
    """Swagger UI opens the page and hands it ``window.swaggerUIRedirectOauth2``; the page
    returns the outcome through the same callbacks in both versions."""
    theirs = bytes(fastapi_docs.get_swagger_ui_oauth2_redirect_html().body).decode()
    ours = bytes(get_swagger_ui_oauth2_redirect_html().body).decode()
    for name in ("swaggerUIRedirectOauth2", "callback", "errCb", "window.close", "redirectUrl"):
        assert name in ours and name in theirs
    assert normalised(ours).startswith('<!doctype html> <html lang="en-US"> <head> <title>')
    assert normalised(theirs).startswith('<!doctype html> <html lang="en-US"> <head> <title>')


def test_has_every_public_name_of_fastapis_module() -> None:
    public = {
        name
        for name, value in vars(fastapi_docs).items()
        if not name.startswith("_")
        and not inspect.ismodule(value)
        and (getattr(value, "__module__", "") or "").split(".")[0]
        not in ("typing", "annotated_doc")
    }
    assert {"get_swagger_ui_html", "swagger_ui_default_parameters"} <= public
    assert public - set(dir(docs)) == set()
