"""The explorers in a real browser: static book pages and live Voila.

(a) Static mode, on the built book (``make book``; skipped if not built):
    every explorer of every page is found by its CSS class, every enabled
    slider is moved with the keyboard (ArrowRight, End, Home on its handle)
    and every toggle button is clicked; each move must change the image
    shown (compared by a hash of the image bytes: blob URLs change on every
    redraw, so comparing ``src`` would prove nothing). The live-only
    sliders must be disabled there.
(b) Live mode: the explorer chapters served by Voila on 127.0.0.1. The
    kernel takes over (live-only sliders get enabled); moving the learning
    rate, the regularization and a live-only slider with the keyboard must
    change the figure. Voila is always stopped at the end.

Set EXPLORERS_BOOK_HTML to test another build folder than _build/html.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _browser import free_port, skip_without_chromium, wait_for_widgets

ROOT = Path(__file__).resolve().parent.parent
EXPLORER_CLASS = "dlmath-explorer"

#: JavaScript: hash (SHA-1, hex) of the visible image of the i-th explorer.
SHOWN_IMAGE_HASH = """async (index) => {
    const explorer = document.querySelectorAll('.dlmath-explorer')[index];
    const images = Array.from(explorer.querySelectorAll('img'))
        .filter(img => img.offsetParent !== null && img.src);
    if (images.length !== 1) return 'visible images: ' + images.length;
    const bytes = await (await fetch(images[0].src)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-1', bytes);
    return Array.from(new Uint8Array(digest))
        .map(b => b.toString(16).padStart(2, '0')).join('');
}"""


def _book_dir() -> Path:
    return Path(os.environ.get("EXPLORERS_BOOK_HTML", ROOT / "_build" / "html"))


def _explorer_pages() -> list[str]:
    """Pages of the built book whose saved widget state holds an explorer."""
    book = _book_dir()
    if not (book / "index.html").is_file():
        return []
    return sorted(
        str(path.relative_to(book))
        for path in book.rglob("*.html")
        if EXPLORER_CLASS in path.read_text(encoding="utf-8", errors="ignore")
    )


def _shown(page, index: int) -> str:
    return page.evaluate(SHOWN_IMAGE_HASH, index)


def _wait_for_change(page, index: int, before: str, timeout_s: float = 15.0) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = _shown(page, index)
        if now != before and not now.startswith("visible images"):
            return now
        time.sleep(0.05)
    return _shown(page, index)


def _open(page, url: str) -> int:
    page.goto(url)
    wait_for_widgets(page, timeout_ms=60_000)
    page.wait_for_selector(f".{EXPLORER_CLASS} img", timeout=60_000)
    return page.locator(f".{EXPLORER_CLASS}").count()


# --------------------------------------------------------------------------
# (a) static pages
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def static_book(serve):
    book = _book_dir()
    if not (book / "index.html").is_file():
        pytest.skip(f"the book is not built ({book}/index.html missing): run `make book`")
    skip_without_chromium()
    return serve(book)


@pytest.mark.parametrize("relative", _explorer_pages() or ["(no page)"])
def test_static_explorer_controls_switch_the_image(static_book, page, relative):
    if relative == "(no page)":
        pytest.skip("no page of the built book contains an explorer")
    n_explorers = _open(page, static_book + relative)
    assert n_explorers >= 1
    for index in range(n_explorers):
        explorer = page.locator(f".{EXPLORER_CLASS}").nth(index)
        explorer.scroll_into_view_if_needed()
        assert len(_shown(page, index)) == 40, _shown(page, index)

        # Choose the last option of every toggle group first (e.g. "L2"),
        # so that a strength slider has an effect. A group whose default is
        # already the last option has nothing to switch yet.
        groups = explorer.locator(".widget-toggle-buttons")
        for g in range(groups.count()):
            last = groups.nth(g).locator("button").last
            if "mod-active" in (last.get_attribute("class") or ""):
                continue
            before = _shown(page, index)
            last.click()
            assert _wait_for_change(page, index, before) != before, (relative, "toggle", g)

        sliders = explorer.locator(".widget-slider")
        moved = 0
        for s in range(sliders.count()):
            slider = sliders.nth(s)
            if slider.locator("[disabled]").count() or "mod-disabled" in (
                slider.get_attribute("class") or ""
            ):
                continue  # live-only: checked below
            handle = slider.locator(".noUi-handle")
            handle.focus()
            positions = set()
            for key in ("Home", "ArrowRight", "End", "ArrowLeft", "Home"):
                position = handle.get_attribute("aria-valuenow")
                before = _shown(page, index)
                handle.press(key)
                if handle.get_attribute("aria-valuenow") == position:
                    continue  # already at that end: nothing to switch
                positions.add(handle.get_attribute("aria-valuenow"))
                after = _wait_for_change(page, index, before)
                assert after != before, f"{relative}: explorer {index}, slider {s}, {key}"
            assert len(positions) >= 2, f"{relative}: slider {s} did not move"
            moved += 1
        assert moved >= 1

        # Every toggle button switches the image too.
        for g in range(groups.count()):
            buttons = groups.nth(g).locator("button")
            for b in range(buttons.count()):
                if "mod-active" in (buttons.nth(b).get_attribute("class") or ""):
                    continue
                before = _shown(page, index)
                buttons.nth(b).click()
                assert _wait_for_change(page, index, before) != before, (relative, g, b)


def test_static_live_only_sliders_are_disabled(static_book, page):
    pages = [p for p in _explorer_pages() if "04a_regression" in p]
    if not pages:
        pytest.skip("the regression explorer page is not in the built book")
    _open(page, static_book + pages[0])
    explorer = page.locator(f".{EXPLORER_CLASS}").first
    text = explorer.inner_text()
    assert "need a running kernel" in text
    labels = explorer.locator(".widget-slider .widget-label")
    disabled = [
        labels.nth(i).inner_text()
        for i in range(labels.count())
        if explorer.locator(".widget-slider").nth(i).locator("[disabled]").count()
    ]
    assert {"epochs", "batch size", "momentum"} <= set(disabled), disabled
    assert "learning rate" not in disabled


# --------------------------------------------------------------------------
# (b) live mode in Voila
# --------------------------------------------------------------------------


class VoilaServer:
    """Voila serving one notebook on 127.0.0.1 (always stopped by ``stop``)."""

    def __init__(self, notebook: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        voila = Path(sys.executable).with_name("voila")
        self.process = subprocess.Popen(
            [str(voila), str(notebook), "--no-browser", f"--Voila.port={self.port}",
             "--Voila.ip=127.0.0.1", "--Voila.tornado_settings={'disable_check_xsrf': True}"],
            cwd=notebook.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stop kills the kernel too
        )

    def wait_until_listening(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"voila exited with code {self.process.returncode}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"voila did not listen on port {self.port} in {timeout_s} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def open_live_explorer(page, notebook: Path):
    """Start Voila, open the notebook, wait until the explorer is live."""
    server = VoilaServer(notebook)
    try:
        server.wait_until_listening()
        page.set_default_timeout(300_000)  # Voila runs the whole notebook first
        page.goto(server.url, timeout=300_000)
        page.wait_for_selector(f".{EXPLORER_CLASS} img", timeout=300_000)
        # Live: the kernel answered, so no slider of the explorer is disabled.
        page.wait_for_function(
            "() => { const e = document.querySelector('.dlmath-explorer');"
            " return e && e.querySelectorAll('.widget-slider').length > 0"
            " && !e.querySelector('.widget-slider [disabled]'); }",
            timeout=120_000,
        )
    except BaseException:
        server.stop()
        raise
    return server


def _press_and_check(page, handle, key="ArrowRight", timeout_s=60.0):
    before = _shown(page, 0)
    handle.focus()
    handle.press(key)
    after = _wait_for_change(page, 0, before, timeout_s=timeout_s)
    assert after != before, f"the figure did not change after {key}"


@pytest.mark.parametrize(
    "notebook, live_only_label",
    [("04a_regression_explorer.ipynb", "epochs"),
     ("04b_classification_explorer.ipynb", "hidden units")],
)
def test_live_explorer_in_voila(page, notebook, live_only_label):
    skip_without_chromium()
    path = ROOT / "chapters" / notebook
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    server = open_live_explorer(page, path)
    try:
        explorer = page.locator(f".{EXPLORER_CLASS}").first
        sliders = explorer.locator(".widget-slider")
        labels = [
            sliders.nth(i).locator(".widget-label").first.inner_text()
            for i in range(sliders.count())
        ]
        handle_of = {
            label: sliders.nth(i).locator(".noUi-handle") for i, label in enumerate(labels)
        }
        # learning rate, by keyboard
        _press_and_check(page, handle_of["learning rate"], "ArrowRight")
        # regularization: a toggle group (click) then the strength slider
        toggle = explorer.locator(".widget-toggle-buttons").filter(has_text="L1")
        before = _shown(page, 0)
        toggle.locator("button", has_text="L1").click()
        assert _wait_for_change(page, 0, before, timeout_s=60) != before
        _press_and_check(page, handle_of["strength λ"], "Home")
        # a live-only slider retrains too
        _press_and_check(page, handle_of[live_only_label], "ArrowLeft")
        status = explorer.inner_text()
        assert re.search(r"retrained and drawn in \d+ ms", status), status
    finally:
        server.stop()
    assert server.process.poll() is not None
