"""The built documentation site in a real browser: Debian's chromium driven
by Playwright, over a local HTTP server (search needs one: it runs in a web
worker, which file:// pages cannot start). Every request the pages make must
go to that server: the site loads nothing from the internet."""

import functools
import os
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from playground_helpers import require_browser_tools  # noqa: E402

require_browser_tools()

from docs_helpers import built_site  # noqa: E402


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def site_url():
    site, _ = built_site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def docs(page, site_url):
    """The browser's page, refusing (and recording) every request that is not to the site's server."""
    outside, errors = [], []
    local = urlsplit(site_url).netloc

    def route(request_route):
        if urlsplit(request_route.request.url).netloc == local:
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1400, "height": 1000})
    yield page
    assert outside == [] and errors == []


def shoot(page, tmp_path, name):
    """A screenshot, to look at as a reader would: kept in the folder
    GLASSNET_SCREENSHOTS names, if any, else in the test's temporary folder."""
    folder = Path(os.environ.get("GLASSNET_SCREENSHOTS") or tmp_path)
    page.screenshot(path=str(folder / f"site-{name}.png"), full_page=False)


def picture_loaded(image) -> bool:
    return image.evaluate("image => image.complete && image.naturalWidth > 0")


def test_the_home_page_renders(docs, site_url, tmp_path):
    docs.goto(site_url)
    assert docs.title() == "glassnet"
    assert docs.locator("article h1").inner_text().rstrip("¶") == "glassnet"
    assert docs.locator("nav.md-nav--primary").get_by_text("Getting started").count() >= 1
    assert picture_loaded(docs.locator("article img").first)
    # the stylesheet applied: Material's header is coloured and fixed at the top
    assert docs.locator("header.md-header").evaluate("header => getComputedStyle(header).position") in ("sticky", "fixed")
    shoot(docs, tmp_path, "home")


def test_search_finds_the_gradient_check(docs, site_url, tmp_path):
    docs.goto(site_url)
    search = docs.locator("input.md-search__input")
    search.click()
    search.press_sequentially("gradient check")  # typed, key by key: the search listens to the keys
    docs.locator(".md-search-result__item").first.wait_for(timeout=20_000)
    docs.wait_for_function("/matching document/.test(document.querySelector('.md-search-result__meta').textContent)")
    # read at once: the list is redrawn as results come in
    links = docs.eval_on_selector_all(".md-search-result__item a", "links => links.map(link => link.href)")
    assert any("guides/glass-box/" in link for link in links), links
    assert "gradient" in docs.locator(".md-search-result").inner_text().lower()
    shoot(docs, tmp_path, "search")


def test_a_gallery_page_shows_its_pictures(docs, site_url, tmp_path):
    docs.goto(site_url + "gallery/04_spirals/")
    assert "Two spirals" in docs.locator("article h1").inner_text()
    boundary = docs.locator("article img[src$='spirals_boundary.png']")
    boundary.scroll_into_view_if_needed()
    assert picture_loaded(boundary)
    assert boundary.bounding_box()["width"] > 300
    assert "glassnet.plot.decision_boundary" in docs.locator("article").inner_text()  # the code is on the page
    shoot(docs, tmp_path, "gallery-spirals")
    docs.goto(site_url + "gallery/")
    cards = docs.locator("article .grid.cards img")
    assert cards.count() >= 8
    for index in range(cards.count()):
        cards.nth(index).scroll_into_view_if_needed()
        assert picture_loaded(cards.nth(index)), cards.nth(index).get_attribute("src")


def test_the_classifier_reference_lists_learning_rate_init(docs, site_url, tmp_path):
    docs.goto(site_url + "api/models/#glassnet.MLPClassifier")
    section = docs.locator("xpath=//*[@id='glassnet.MLPClassifier']"
                           "/following-sibling::div[contains(concat(' ', @class, ' '), ' doc-contents ')][1]")
    # the parameter's entry: its name, its type and default, and its meaning from the one table
    entry = section.locator("li.doc-section-item").filter(
        has=docs.locator("b > code", has_text="learning_rate_init")).first
    entry.scroll_into_view_if_needed()
    assert entry.is_visible()
    assert re.fullmatch(r"learning_rate_init \(float, default: 0\.001 ?\) – Step size of sgd and adam\.",
                        " ".join(entry.inner_text().split()))
    assert "restore_best_weights" in section.inner_text()  # glassnet's own parameters, from the same table
    shoot(docs, tmp_path, "reference")
