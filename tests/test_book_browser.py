"""Open every page of the built book in headless Chromium, offline.

For each page: MathJax has typeset every formula (no raw TeX left in the
visible text, no MathJax error), every image loaded, every widget view was
rendered, no request for the book's own files failed, no console or page
error came from the book's scripts, and no request left 127.0.0.1.

The book is served from its *parent* folder (``.../html/chapters/x.html``)
so that a path written absolute-from-root would fail here as it would when
the book is published under a sub-path.

Skipped with a message when the book is not built (``make book``) or when
Debian's Chromium is missing.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
except ImportError:  # the browser tests then skip (see _browser.chromium_missing_reason)
    PlaywrightTimeoutError = TimeoutError

from _book import toc_files
from _browser import BOOK_HTML, broken_images, visible_text_outside_code, wait_for_mathjax

# Folders of the site that hold assets, not pages.
ASSET_DIRS = {"_static", "_sources", "_images", "_downloads", "vendor", "_panels_static"}

RAW_TEX = re.compile(
    r"\$\$|\\\(|\\\)|\\\[|\\\]"
    r"|\\(?:frac|dfrac|tfrac|begin|end|sum|prod|int|hat|bar|tilde|mathbf|mathrm|mathcal"
    r"|operatorname|partial|nabla|left|right|alpha|beta|gamma|delta|epsilon|eta|theta"
    r"|lambda|mu|sigma|odot|cdot|times|sqrt|log|exp|max|min|top|quad|text|label)\b"
)


def _book_pages() -> list[str]:
    if not (BOOK_HTML / "index.html").is_file():
        return []
    pages = []
    for path in sorted(BOOK_HTML.rglob("*.html")):
        relative = path.relative_to(BOOK_HTML)
        if relative.parts[0] in ASSET_DIRS:
            continue
        pages.append(relative.as_posix())
    return pages


def _is_redirect(book_html: Path, page_path: str) -> bool:
    head = (book_html / page_path).read_text(encoding="utf-8")[:2000].lower()
    return 'http-equiv="refresh"' in head


PAGES = _book_pages()
# Pages that only forward elsewhere (index.html -> intro.html) are checked by
# test_index_redirects_to_intro, the others are opened and inspected.
CONTENT_PAGES = [page for page in PAGES if not _is_redirect(BOOK_HTML, page)]


@pytest.fixture(scope="module")
def site_url(book_html, serve) -> str:
    """URL of the book served one folder below the server root."""
    return serve(book_html.parent) + book_html.name + "/"


def test_book_has_pages(book_html):
    assert PAGES, f"no HTML pages found under {book_html}"
    assert "intro.html" in PAGES


# ---------------------------------------------------------------------------
# Static checks of the HTML (no browser needed)
# ---------------------------------------------------------------------------


class _AssetCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "img", "iframe"} and attrs.get("src"):
            self.urls.append((tag, attrs["src"]))
        if tag == "link" and attrs.get("href") and "stylesheet" in (attrs.get("rel") or ""):
            self.urls.append((tag, attrs["href"]))


@pytest.mark.parametrize("page_path", PAGES or ["(book not built)"])
def test_assets_are_local_and_relative(book_html, page_path):
    """Every <script src>, stylesheet and <img src> is a relative URL.

    An absolute URL (https://cdn...) needs the network; a path starting with
    "/" breaks when the book is opened from disk or from a sub-folder.
    """
    html = (book_html / page_path).read_text(encoding="utf-8")
    collector = _AssetCollector()
    collector.feed(html)
    bad = [
        f"<{tag}> {url}"
        for tag, url in collector.urls
        if re.match(r"^[a-z][a-z0-9+.-]*://|^//|^/", url, re.I) and not url.startswith("data:")
    ]
    assert not bad, f"{page_path} loads assets that are not relative to the page: {bad}"


def test_offline_assets_are_in_the_site(book_html):
    """MathJax, RequireJS and the widget manager are copied into the site."""
    for relative in (
        "vendor/mathjax/tex-mml-chtml.js",
        "vendor/require.js",
        "vendor/widgets-setup.js",
        "vendor/html-manager/embed-amd.js",
    ):
        assert (book_html / relative).is_file(), (
            f"{relative} missing from the built site: run `make book` "
            "(it runs `npm ci --prefix web` and stages web/dist/site/vendor)"
        )
    static_js = [p.name for p in (book_html / "_static").glob("*.js")]
    for name in ("require.js", "embed-amd.js", "tex-mml-chtml.js"):
        assert name not in static_js, f"{name} is under _static/ and would load on every page"


# ---------------------------------------------------------------------------
# In the browser
# ---------------------------------------------------------------------------

LOAD_IMAGES = """async () => {
    const images = Array.from(document.images);
    images.forEach(img => { img.loading = 'eager'; });
    await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
        img.addEventListener('load', done);
        img.addEventListener('error', done);
        setTimeout(done, 10000);
    })));
}"""

COUNT_WIDGETS = """() => ({
    views: document.querySelectorAll(
        'script[type="application/vnd.jupyter.widget-view+json"]').length,
    rendered: Array.from(document.querySelectorAll('.widget-subarea'))
        .filter(area => area.children.length > 0).length,
})"""


def test_index_redirects_to_intro(book_html, site_url, monitored_page):
    """index.html (written by Jupyter Book) forwards to the root page."""
    page, monitor = monitored_page(site_url)
    page.goto(site_url + "index.html")
    page.wait_for_url("**/intro.html", timeout=10_000)
    assert not monitor.problems()


@pytest.mark.parametrize("page_path", CONTENT_PAGES or ["(book not built)"])
def test_page_renders_offline(page_path, book_html, site_url, monitored_page):
    page, monitor = monitored_page(site_url)
    page.goto(site_url + page_path, wait_until="load")

    # Math: MathJax finished, no TeX error, no TeX left in the prose.
    wait_for_mathjax(page)
    n_errors = page.evaluate("() => document.querySelectorAll('mjx-merror').length")
    assert n_errors == 0, f"{page_path}: MathJax reported {n_errors} TeX error(s)"
    text = visible_text_outside_code(page)
    leftovers = sorted({match.group(0) for match in RAW_TEX.finditer(text)})
    if leftovers:
        first = RAW_TEX.search(text)
        context = text[max(0, first.start() - 60) : first.end() + 60].replace("\n", " ")
        pytest.fail(f"{page_path}: raw TeX in the visible text {leftovers}, e.g. ...{context}...")

    # Widgets: every saved view has been rendered by the widget manager.
    counts = page.evaluate(COUNT_WIDGETS)
    if counts["views"]:
        page.wait_for_function(
            "(n) => Array.from(document.querySelectorAll('.widget-subarea'))"
            ".filter(a => a.children.length > 0).length >= n",
            arg=counts["views"],
            timeout=30_000,
        )

    # Images: every <img> loaded (lazy ones forced).
    page.evaluate(LOAD_IMAGES)
    broken = broken_images(page)
    assert not broken, f"{page_path}: images that did not load: {broken}"

    # Let late requests (fonts, widget CSS) finish, then look at the record.
    # (Best effort: on a loaded machine "networkidle" can take long to settle.)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    try:
        page.wait_for_load_state("networkidle", timeout=5_000)
    except PlaywrightTimeoutError:
        pass
    problems = monitor.problems()
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


def test_pages_match_toc(book_html, project_root):
    """Every chapter listed in _toc.yml was built into a page."""
    files = toc_files(project_root)
    missing = [f for f in files if not (book_html / Path(f).with_suffix(".html")).is_file()]
    assert not missing, f"chapters in _toc.yml without a built page: {missing}"
