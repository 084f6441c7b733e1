"""Shared pytest fixtures: paths of the project, a local HTTP server, Chromium.

Browser fixtures skip (never fail) when Debian's Chromium is missing, and the
book fixtures skip when the book has not been built (``make book``).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from _browser import BOOK_HTML, PROJECT_ROOT, PageMonitor, launch_chromium, serve_directory

ROOT = PROJECT_ROOT


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository root (where _config.yml lives)."""
    return ROOT


@pytest.fixture(scope="session")
def book_html() -> Path:
    """Folder of the built book; skips the test when it was not built."""
    if not (BOOK_HTML / "index.html").is_file():
        pytest.skip(f"the book is not built ({BOOK_HTML}/index.html missing): run make book first")
    return BOOK_HTML


@pytest.fixture(scope="session")
def serve():
    """Factory: ``serve(directory)`` starts a quiet HTTP server and returns its base URL.

    Servers live until the end of the session.
    """
    with contextlib.ExitStack() as stack:
        yield lambda directory: stack.enter_context(serve_directory(directory))


@pytest.fixture(scope="session")
def book_url(book_html, serve) -> str:
    """Base URL (ending in '/') of the built book served on 127.0.0.1."""
    return serve(book_html)


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium (playwright Browser) shared by the session.

    Skips the test with an install hint when /usr/bin/chromium is missing.
    """
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    """A fresh page in its own browser context (no shared cache or storage)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = context.new_page()
    new_page.set_default_timeout(30_000)
    yield new_page
    context.close()


@pytest.fixture
def monitored_page(page):
    """Factory: ``monitored_page(base_url)`` -> (page, PageMonitor).

    The monitor records console errors, page errors, failed requests and
    aborts any request to a non-local host (proving the page works offline).
    """
    return lambda base_url=None, **kwargs: (page, PageMonitor(page, base_url, **kwargs))
