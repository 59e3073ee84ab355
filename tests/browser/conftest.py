"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium); never a downloaded browser.

A missing browser is a failure when SHAGYM_REQUIRE_BROWSER=1 (CI), a skip otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright beside the live server

CHROMIUM = os.environ.get("SHAGYM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("SHAGYM_SCREENSHOTS", Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    if not Path(CHROMIUM).exists():
        if os.environ.get("SHAGYM_REQUIRE_BROWSER") == "1":
            raise pytest.UsageError(f"Browser tests are required but {CHROMIUM} is missing (apt-get install chromium).")
        skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed")
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage answers 404 under the live server; serve the files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def shot(page):
    """Save a full-page screenshot under test-artifacts/screenshots/<name>.png."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


CSP_REFUSAL = "Content Security Policy"


@pytest.fixture(autouse=True)
def _no_csp_violation(monkeypatch):
    """Every page any browser test opens runs under the strict Content-Security-Policy: a script, style, image or
    form the policy refused (Chromium says so on the console) fails the test that opened it."""
    from playwright.sync_api._generated import Browser, BrowserContext

    refusals: list[str] = []

    def watch(page):  # type: ignore[no-untyped-def]
        page.on("console", lambda message: refusals.append(f"{page.url}: {message.text}")
                if CSP_REFUSAL in message.text else None)
        return page

    context_new_page, browser_new_page = BrowserContext.new_page, Browser.new_page
    monkeypatch.setattr(BrowserContext, "new_page", lambda self, *a, **k: watch(context_new_page(self, *a, **k)))
    monkeypatch.setattr(Browser, "new_page", lambda self, *a, **k: watch(browser_new_page(self, *a, **k)))
    yield
    assert refusals == []
