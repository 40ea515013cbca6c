"""The report in a real browser: headless Chromium (Debian's) driven by Playwright.

Opens ``index.html`` from disk and checks that the page loads nothing from the network, logs no
console error, draws every chart, shows a model's name on hover and a details panel on click,
and that the hostile model name renders as text without opening a dialog. At a phone's width
(400 px) the page must not scroll sideways and no legend or axis title may be cut. It saves
full-page screenshots at both widths under ``test-artifacts/`` in the repository root.

Never runs ``playwright install``: the browser is ``/usr/bin/chromium``. Outside CI the test
skips when Chromium or Playwright is missing; in CI (``$CI`` set) it fails instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--disable-quic"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORT = {"width": 1440, "height": 900}
PHONE = {"width": 400, "height": 860}
ALL_DRAWN = ("() => [...document.querySelectorAll('.plot')].every("
             "el => el.querySelector('.main-svg') !== null)")


def _require_browser() -> Any:
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "the 'playwright' Python package is not installed (pip install playwright)"
    if problem is None and not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (apt-get install chromium)"
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the browser test must run in CI: {problem}")
        pytest.skip(problem)
    return sync_playwright


@pytest.fixture(scope="module")
def browser() -> Any:
    """One headless Chromium for the module (Playwright allows one sync driver at a time)."""
    sync_playwright = _require_browser()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page_session(built_report: Any, browser: Any) -> Any:
    """The report open in Chromium, with every request, console message and dialog recorded."""
    log: dict[str, list[str]] = {"errors": [], "requests": [], "blocked": [], "dialogs": []}
    page = browser.new_page(viewport=VIEWPORT)

    def route(r: Any) -> None:
        url = r.request.url
        log["requests"].append(url)
        if url.startswith(("file://", "data:", "blob:", "about:")):
            r.continue_()
        else:
            log["blocked"].append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))

    def on_dialog(d: Any) -> None:
        log["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(built_report.index_html.resolve().as_uri())
    page.wait_for_function(ALL_DRAWN, timeout=60_000)
    yield page, log
    page.close()


def test_no_network_and_no_console_errors(page_session: Any) -> None:
    _, log = page_session
    assert log["blocked"] == []
    assert all(u.startswith(("file://", "data:", "blob:", "about:")) for u in log["requests"])
    assert log["errors"] == []


def test_every_chart_drew_its_traces(page_session: Any, built_report: Any) -> None:
    page, _ = page_session
    charts = page.evaluate("""() => [...document.querySelectorAll('.plot')].map(el => ({
        id: el.id,
        traces: (el.data || []).length,
        paths: el.querySelectorAll('.scatterlayer path, .barlayer path').length,
    }))""")
    expected = {f"{f.id}-plot" for s in built_report.sections for f in s.figures()}
    assert {c["id"] for c in charts} == expected
    for chart in charts:
        assert chart["traces"] > 0 and chart["paths"] > 0, chart


def test_hover_shows_the_model_and_click_opens_its_details(
    page_session: Any, hostile: dict[str, str]
) -> None:
    page, log = page_session
    plot = page.locator("#fig-scaling-imagenet-plot")
    plot.scroll_into_view_if_needed()
    # The hostile result is a point of the "Other results" trace; find its marker on screen.
    where = page.evaluate("""(model) => {
        const gd = document.getElementById('fig-scaling-imagenet-plot');
        for (let t = 0; t < gd.data.length; t++) {
            const rows = gd.data[t].customdata || [];
            for (let i = 0; i < rows.length; i++) {
                if (rows[i][0] === model) { return [t, i]; }
            }
        }
        return null;
    }""", hostile["model"])
    assert where is not None
    trace, index = where
    point = plot.locator(".scatterlayer .trace").nth(trace).locator(".points path").nth(index)
    box = point.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y)
    hover = page.locator("#fig-scaling-imagenet-plot .hoverlayer")
    hover.locator("text").first.wait_for(timeout=10_000)
    assert hostile["model"] in (hover.text_content() or "")
    page.mouse.click(x, y)
    detail = page.locator("#fig-scaling-imagenet .point-detail")
    detail.wait_for(state="visible", timeout=10_000)
    assert detail.locator(".pd-model").inner_text() == hostile["model"]
    # Its paper URL is javascript:, so the title is shown as text, not as a link.
    assert detail.locator("a").count() == 0
    assert log["dialogs"] == []


def test_hostile_names_render_as_text_and_open_no_dialog(
    page_session: Any, hostile: dict[str, str]
) -> None:
    page, log = page_session
    texts = page.evaluate("""() => [...document.querySelectorAll('td')]
        .map(td => td.textContent)""")
    assert hostile["model"] in texts
    assert hostile["title"] in texts
    assert page.evaluate("document.querySelectorAll('main img').length") == 0
    assert page.evaluate("[...document.querySelectorAll('a')].filter(a => "
                         "a.href.startsWith('javascript')).length") == 0
    assert log["dialogs"] == []


def test_screenshot(page_session: Any) -> None:
    page, _ = page_session
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.move(0, 0)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / "report-top.png"))
    assert (ARTIFACTS / "report.png").stat().st_size > 100_000


@pytest.fixture(scope="module")
def phone_page(built_report: Any, browser: Any) -> Any:
    """The report at a phone's width (its own page, so the desktop tests are unaffected)."""
    page = browser.new_page(viewport=PHONE)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
        ("file://", "data:", "blob:", "about:")) else r.abort())
    page.goto(built_report.index_html.resolve().as_uri())
    page.wait_for_function(ALL_DRAWN, timeout=60_000)
    yield page
    page.close()


def test_phone_width_never_scrolls_sideways(phone_page: Any) -> None:
    widths = phone_page.evaluate("""() => ({
        document: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
        viewport: document.documentElement.clientWidth,
    })""")
    assert widths["viewport"] <= PHONE["width"]
    assert widths["document"] <= widths["viewport"], widths
    assert widths["body"] <= widths["viewport"], widths
    # Whatever is wider than the screen lives in its own scrolling box.
    outside = phone_page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => !(e instanceof SVGElement) && !e.closest('.table-scroll'))
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(e => e.tagName + '.' + e.className)""")
    assert outside == []


def test_phone_charts_keep_legends_and_axis_titles(phone_page: Any) -> None:
    cut = phone_page.evaluate("""() => [...document.querySelectorAll('.plot')].flatMap(plot => {
        const box = plot.getBoundingClientRect();
        return [...plot.querySelectorAll('.legend text, .g-xtitle text, .g-ytitle text')]
            .filter(t => {
                const r = t.getBoundingClientRect();
                return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
            })
            .map(t => plot.id + ': ' + t.textContent);
    })""")
    assert cut == []
    sizes = phone_page.evaluate("""() => [...document.querySelectorAll('.plot')].map(
        p => p.querySelector('.main-svg').getBoundingClientRect().width)""")
    assert sizes and max(sizes) <= PHONE["width"]


def test_phone_screenshot(phone_page: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    phone_page.evaluate("window.scrollTo(0, 0)")
    phone_page.screenshot(path=str(ARTIFACTS / "report-phone.png"), full_page=True)
    phone_page.screenshot(path=str(ARTIFACTS / "report-phone-top.png"))
    assert (ARTIFACTS / "report-phone.png").stat().st_size > 50_000
