"""/docs and /redoc of the example app, in headless Chromium, with no internet.

The example app runs under a real uvicorn on 127.0.0.1 (on the core of this test
pass) and Playwright drives Debian's Chromium, never a downloaded browser. Every
request the page makes to anywhere but that server is aborted and recorded, so
the pages are shown to work from the vendored assets alone.

Without Chromium or Playwright the tests are skipped, unless
``FASTCORE_REQUIRE_BROWSER=1`` (set by ``.ci/run``), where they fail instead.
"""

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.servers import uvicorn_server

CHROMIUM = os.environ.get("FASTCORE_CHROMIUM") or shutil.which("chromium")
REQUIRED = os.environ.get("FASTCORE_REQUIRE_BROWSER") == "1"

# As root and on a closed network, Chromium needs no sandbox and none of its
# background services, which would only try (and fail) to reach Google.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# ReDoc's "API docs by Redocly" badge loads this image and removes itself
# when the image cannot be had, so offline the page simply shows no badge.
SELF_HIDING_REDOC_BADGE = "https://cdn.redoc.ly/redoc/logo-mini.svg"

try:
    from playwright.sync_api import Browser, Page, Route, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None

if sync_playwright is None or CHROMIUM is None:
    reason = "needs Playwright and Debian's chromium (apt-get install chromium)"
    if REQUIRED:
        pytest.fail(f"FASTCORE_REQUIRE_BROWSER=1 but the browser test {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with uvicorn_server("examples.app:app") as port:
        yield port


@pytest.fixture(scope="module")
def browser() -> Iterator["Browser"]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def offline_page(browser: "Browser", port: int) -> Iterator[tuple["Page", list[str]]]:
    """A page that may reach only the local server; the second item lists what it tried."""
    local = f"http://127.0.0.1:{port}/"
    outside: list[str] = []

    def allow_only_local(route: "Route") -> None:
        if route.request.url.startswith(local):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context = browser.new_context(base_url=local)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.route("**/*", allow_only_local)
    yield page, outside
    context.close()


def test_swagger_ui_lists_the_operations(offline_page: tuple["Page", list[str]]) -> None:
    page, outside = offline_page
    page.goto("/docs")
    page.wait_for_selector(".opblock")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert paths == [
        "/token",
        "/users",
        "/users/me",
        "/items",
        "/items",
        "/items/{item_id}",
        "/items/{item_id}",
        "/items/{item_id}",
    ]
    assert page.locator(".info .title").inner_text().startswith("fastcore shop")
    assert outside == []


def test_swagger_ui_authorizes_with_the_password_flow_and_calls(
    offline_page: tuple["Page", list[str]],
) -> None:
    page, outside = offline_page
    page.goto("/docs")
    page.click("button.btn.authorize")
    page.fill("#oauth_username", "alice")
    page.fill("#oauth_password", "wonderland")
    # swagger_ui_init_oauth in the example pre-selects every scope.
    scopes = page.locator(".modal-ux input[type=checkbox]")
    assert [box.is_checked() for box in scopes.all()] == [True, True, True]
    page.click(".auth-btn-wrapper button.authorize")
    page.wait_for_selector(".auth-btn-wrapper button.authorize:has-text('Logout')")
    page.click(".auth-btn-wrapper button.btn-done")

    operation = page.locator("#operations-users-read_me_users_me_get")
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    operation.locator("button.execute").click()
    answer = operation.locator(".live-responses-table tbody .response")
    answer.wait_for()
    assert answer.locator(".response-col_status").inner_text().strip() == "200"
    assert (
        '"username": "alice"' in answer.locator(".response-col_description pre").first.inner_text()
    )
    # The bearer token obtained in the modal went with the call.
    assert "Authorization: Bearer ey" in operation.locator(".curl").inner_text()
    assert outside == []


def test_redoc_renders_the_operations(offline_page: tuple["Page", list[str]]) -> None:
    page, outside = offline_page
    page.goto("/redoc")
    page.wait_for_selector("h1")
    assert page.locator("h1").all_inner_texts() == ["fastcore shop (1.0.0)"]
    headings = page.locator("h2").all_inner_texts()
    for operation in ["Log In", "Sign Up", "Read Me", "List Items", "Create Item", "Read Item"]:
        assert operation in headings
    assert page.get_by_text("OAuth2PasswordBearer").count() > 0
    assert outside in ([], [SELF_HIDING_REDOC_BADGE])
    assert page.locator("img[alt='redocly logo']").count() == 0
