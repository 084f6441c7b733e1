"""Helpers for browser tests: a quiet local HTTP server and headless Chromium.

The book is checked the way a reader sees it: the built HTML is served on
127.0.0.1 and opened in Debian's Chromium, driven by playwright. Nothing here
downloads a browser (never run ``playwright install``); a test that needs
Chromium is skipped with a message saying how to install it.

Typical use (the fixtures in ``tests/conftest.py`` wrap these)::

    with serve_directory("_build/html") as base_url:
        with launch_chromium() as browser:
            page = browser.new_page()
            monitor = PageMonitor(page, base_url)
            page.goto(base_url + "index.html")
            assert not monitor.problems()
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
CHROMIUM_MISSING = (
    f"chromium not found at {CHROMIUM_PATH}: install Debian's chromium "
    "(apt-get install chromium) to run browser tests"
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The built book; BOOK_HTML_DIR points the browser tests at another build
# (e.g. `jupyter-book build . --path-output /tmp/me` -> /tmp/me/_build/html).
BOOK_HTML = Path(os.environ.get("BOOK_HTML_DIR", PROJECT_ROOT / "_build" / "html"))


# --------------------------------------------------------------------------
# HTTP server
# --------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler that logs nothing and never caches."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
        ".wasm": "application/wasm",
    }

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def handle(self):
        # A browser closing a connection mid-response is normal; stay quiet.
        with contextlib.suppress(ConnectionError, TimeoutError):
            super().handle()


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on ``host`` that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_directory(directory, host: str = "127.0.0.1"):
    """Serve ``directory`` over HTTP on ``host`` and a free port.

    Yields the base URL, ending with ``/`` (e.g. ``http://127.0.0.1:41234/``).
    The server is threaded, logs nothing, and stops when the block exits.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"directory to serve does not exist: {directory}")
    handler = functools.partial(_QuietHandler, directory=os.fspath(directory))
    server = http.server.ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="test-http", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------
# Chromium
# --------------------------------------------------------------------------


def chromium_missing_reason() -> str | None:
    """Return why browser tests cannot run, or None when they can."""
    if not (os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)):
        return CHROMIUM_MISSING
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: run `make book` (it installs requirements.txt)"
    return None


def skip_without_chromium() -> None:
    """Skip the calling test when Chromium or playwright is unavailable."""
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)


@contextlib.contextmanager
def launch_chromium(*, headless: bool = True, extra_args=()):
    """Launch Debian's Chromium through playwright and yield the Browser.

    Skips the current test (``pytest.skip``) when Chromium is missing.
    """
    skip_without_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH,
            headless=headless,
            args=[*CHROMIUM_ARGS, *extra_args],
        )
        try:
            yield browser
        finally:
            browser.close()


def which_chromium() -> str | None:
    """Path of the Chromium the tests use, if installed (for messages)."""
    return CHROMIUM_PATH if os.path.exists(CHROMIUM_PATH) else shutil.which("chromium")


# --------------------------------------------------------------------------
# Page monitoring
# --------------------------------------------------------------------------


_NON_LOCAL_URL = re.compile(r"^(?![a-z]+://(?:127\.0\.0\.1|localhost|\[::1\])[:/])[a-z]+://")


def origin_of(url: str) -> str:
    """``scheme://host:port`` of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def is_local_url(url: str) -> bool:
    """True for URLs that never leave the machine (127.0.0.1, data:, blob:...)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "chrome", "chrome-extension", "file"}:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS or parts.hostname == ""


class PageMonitor:
    """Record what goes wrong while a playwright page loads.

    Collects console errors, uncaught page errors, failed requests (network
    failure or HTTP status >= 400) and every requested URL. With
    ``block_external=True`` (the default) any request to a non-local host is
    recorded and aborted, so a test proves the page works offline and never
    waits for a CDN.

    Parameters
    ----------
    page : playwright.sync_api.Page
        The page to watch; attach the monitor before ``page.goto``.
    base_url : str, optional
        URL of the served site; its origin counts as "own files".
    block_external : bool, default=True
        Abort requests to hosts other than 127.0.0.1/localhost.
    """

    def __init__(self, page, base_url: str | None = None, *, block_external: bool = True):
        self.page = page
        self.origin = origin_of(base_url) if base_url else None
        self.console_errors: list[dict] = []
        self.page_errors: list[str] = []
        self.failed_requests: list[dict] = []
        self.requests: list[str] = []
        self.external_requests: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)
        page.on("request", self._on_request)
        page.on("requestfailed", self._on_requestfailed)
        page.on("response", self._on_response)
        if block_external:
            # A regex (matched inside the browser driver) so that local requests
            # are not routed through Python at all.
            page.route(_NON_LOCAL_URL, self._route)

    # -- event handlers ---------------------------------------------------
    def _route(self, route):
        url = route.request.url
        if is_local_url(url):
            route.continue_()
        else:
            if url not in self.external_requests:
                self.external_requests.append(url)
            route.abort("blockedbyclient")

    def _on_console(self, msg):
        if msg.type == "error":
            location = msg.location or {}
            self.console_errors.append(
                {"text": msg.text, "url": location.get("url", ""), "page": self.page.url}
            )

    def _on_pageerror(self, error):
        self.page_errors.append(f"{self.page.url}: {error}")

    def _on_request(self, request):
        self.requests.append(request.url)
        if not is_local_url(request.url) and request.url not in self.external_requests:
            self.external_requests.append(request.url)

    def _on_requestfailed(self, request):
        failure = request.failure or "failed"
        if "ERR_BLOCKED_BY_CLIENT" in str(failure):
            return  # an external request we aborted ourselves: reported separately
        self.failed_requests.append(
            {"url": request.url, "failure": str(failure), "page": self.page.url}
        )

    def _on_response(self, response):
        if response.status >= 400:
            self.failed_requests.append(
                {"url": response.url, "failure": f"HTTP {response.status}", "page": self.page.url}
            )

    # -- queries ------------------------------------------------------------
    def own(self, url: str) -> bool:
        """True when ``url`` belongs to the served site (same origin)."""
        return self.origin is not None and url.startswith(self.origin)

    def own_failed_requests(self) -> list[dict]:
        """Failed requests for the site's own files."""
        return [r for r in self.failed_requests if self.own(r["url"])]

    def own_console_errors(self) -> list[dict]:
        """Console errors raised by the site's own scripts (or with no source).

        Chromium's "Failed to load resource" messages are left out: those
        requests are already listed by :meth:`own_failed_requests`.
        """
        return [
            e
            for e in self.console_errors
            if (not e["url"] or self.own(e["url"]))
            and not e["text"].startswith("Failed to load resource")
        ]

    def problems(self) -> list[str]:
        """Everything a well-behaved offline page must not do, as readable lines."""
        lines = [f"request to non-local host: {url}" for url in self.external_requests]
        lines += [
            f"failed request {r['url']} ({r['failure']}) on {r['page']}"
            for r in self.own_failed_requests()
        ]
        lines += [
            f"console error on {e['page']}: {e['text']} (at {e['url']})"
            for e in self.own_console_errors()
        ]
        lines += [f"page error on {text}" for text in self.page_errors]
        return lines

    def reset(self) -> None:
        """Forget everything recorded so far (reuse one page for many URLs)."""
        self.console_errors.clear()
        self.page_errors.clear()
        self.failed_requests.clear()
        self.requests.clear()
        self.external_requests.clear()


def wait_for_mathjax(page, timeout_ms: int = 15000) -> bool:
    """Wait until MathJax 3 (if present on the page) has typeset everything.

    Returns False when the page has no MathJax, True once typesetting is done.
    """
    has_mathjax = page.evaluate(
        "() => !!document.querySelector('script[src*=\"mathjax\" i], script[src*=\"tex-\"]')"
    )
    if not has_mathjax:
        return False
    try:
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
            timeout=timeout_ms,
        )
    except Exception as error:  # playwright's TimeoutError
        src = page.evaluate(
            "() => (document.querySelector('script[src*=\"mathjax\" i]') || {}).src || ''"
        )
        raise AssertionError(
            f"{page.url}: MathJax did not start within {timeout_ms} ms "
            f"(script {src!r} missing or failing?)"
        ) from error
    page.evaluate("() => MathJax.startup.promise")
    return True


def wait_for_widgets(page, timeout_ms: int = 15000) -> int:
    """Wait until every embedded widget view has been rendered.

    Returns the number of widget views expected on the page (0 if none).
    """
    n_views = page.evaluate(
        "() => document.querySelectorAll("
        "'script[type=\"application/vnd.jupyter.widget-view+json\"]').length"
    )
    if n_views:
        page.wait_for_function(
            "(n) => document.querySelectorAll('.jupyter-widgets, .widget-subarea, "
            ".jp-OutputArea-output .lm-Widget').length >= 1",
            arg=n_views,
            timeout=timeout_ms,
        )
    return n_views


def visible_text_outside_code(page) -> str:
    """innerText of the main article with code blocks and MathJax output removed."""
    return page.evaluate(
        """() => {
            const root = document.querySelector('main, article, [role=main]') || document.body;
            const clone = root.cloneNode(true);
            clone.querySelectorAll(
                'pre, code, script, style, mjx-container, mjx-assistive-mml, .MathJax,'
                + ' .highlight, .cell_input, .output.text_plain, .output.stream, .jupyter-widgets'
            ).forEach(n => n.remove());
            // innerText needs layout: attach off-screen briefly.
            clone.style.position = 'absolute'; clone.style.left = '-99999px';
            document.body.appendChild(clone);
            const text = clone.innerText;
            clone.remove();
            return text;
        }"""
    )


def broken_images(page) -> list[str]:
    """src of every <img> on the page that did not load (naturalWidth == 0)."""
    return page.evaluate(
        """() => Array.from(document.images)
              .filter(img => !(img.complete && img.naturalWidth > 0))
              .map(img => img.currentSrc || img.src)"""
    )
