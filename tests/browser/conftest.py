"""Browser tests: Playwright (sync API) driving the system's headless Chromium against pytest-django's live server.

Every flow runs at a desktop (1280×800) and a phone (390×844) viewport; a failing test leaves a screenshot in
test-artifacts/. With HOUQIN_SCREENSHOTS=<folder> (`make screenshots`), `site.shoot(name)` saves the pages the
user guides show, as <name>-<viewport>.png.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse to run beside it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}, which is not installed")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[Any]:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@dataclass
class Site:
    """A browser page on the live server at one viewport."""

    page: Any
    url: str
    viewport: str

    @property
    def is_phone(self) -> bool:
        return self.viewport == "phone"

    def go(self, path: str) -> None:
        self.page.goto(self.url + path)

    def shoot(self, name: str) -> None:
        """Save the page for the user guide (only when HOUQIN_SCREENSHOTS names a folder)."""
        folder = os.environ.get("HOUQIN_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(folder) / f"{name}-{self.viewport}.png"))


@pytest.fixture(params=list(VIEWPORTS))
def site(request: pytest.FixtureRequest, browser: Any, live_server: Any) -> Iterator[Site]:
    phone = request.param == "phone"
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="zh-CN", is_mobile=phone, has_touch=phone)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield Site(page=page, url=live_server.url, viewport=request.param)
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
