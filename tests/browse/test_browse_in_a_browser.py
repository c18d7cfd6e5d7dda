"""`harvester browse` of the bundled mirror's run in a real browser: the distribution's
headless Chromium, driven by Playwright, searches "Kim Il Sung", narrows the results with the
year facet and opens a document, keeping a screenshot of each step (the folder is named at the
end of `make test`). Every wait is on what the page shows, never on time."""

import re

import pytest

from tests.helpers.browser import ARTIFACTS, CHROMIUM_ARGS, browsing, system_chromium

playwright = pytest.importorskip("playwright.sync_api")
SHOTS = ARTIFACTS / "browse"


@pytest.fixture(scope="module")
def chromium():
    executable = system_chromium()
    if executable is None:
        pytest.skip("no Chromium on this machine (looked for chromium, chromium-browser, "
                    "google-chrome; .ci/run installs Debian's chromium)")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(run_dir):
    with browsing(run_dir) as url:
        yield url, run_dir.name


@pytest.fixture
def page(chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)  # a wait on the page, long only for a busy machine
    yield page
    context.close()


def test_search_a_name_filter_by_year_and_open_a_document(site, page):
    url, database = site
    expect = playwright.expect
    page.goto(f"{url}{database}/documents")
    expect(page.locator("h1")).to_contain_text("documents")

    page.fill("input#_search", "Kim Il Sung")
    page.press("input#_search", "Enter")
    page.wait_for_url(re.compile(r"_search=Kim"))
    expect(page.locator("h3").first).to_contain_text('19 rows where search matches "Kim Il Sung"')
    people = page.locator('.facet-info[data-column="people"]')
    expect(people).to_contain_text("Kim Il Sung")
    assert people.locator("li", has_text="Kim Il Sung").count() == 1  # one entry, not three
    page.screenshot(path=SHOTS / "1-search-kim-il-sung.png", full_page=True)

    year = page.locator('.facet-info[data-column="year"]')
    year.locator("a", has_text="1950").first.click()
    page.wait_for_url(re.compile(r"year=1950"))
    expect(page.locator("h3").first).to_contain_text("4 rows where search matches")
    expect(page.locator("h3").first).to_contain_text("year = 1950")
    assert sorted(page.locator("td.col-record_id").all_inner_texts()) == [
        "110360", "114902", "116978", "300188"]
    page.screenshot(path=SHOTS / "2-year-1950.png", full_page=True)

    page.locator("td.col-record_id a", has_text="116978").click()
    page.wait_for_url(re.compile(r"/documents/116978$"))
    expect(page.locator("h1")).to_contain_text("116978")
    expect(page.locator("td.col-title")).to_have_text(
        "Report on Kim Il Sung’s Talks with Filippov (Stalin) in Moscow")
    archive = page.locator("td.col-url a")
    expect(archive).to_have_attribute(
        "href", "https://digitalarchive.wilsoncenter.org/document/"
                "report-kim-il-sungs-talks-filippov-stalin-moscow")
    expect(page.locator("td.col-capture_url a")).to_have_count(1)
    expect(page.locator("td.col-date_original")).to_have_text("April, 1950")
    page.screenshot(path=SHOTS / "3-document-116978.png", full_page=True)


def test_the_chart_of_documents_per_year_is_on_the_documents_page(site, page):
    url, database = site
    page.goto(f"{url}{database}/documents")
    chart = page.locator("svg[role=img]").first
    playwright.expect(chart.locator("title").first).to_have_text("Documents per year")
    assert chart.locator("rect").count() == 12  # the 12 years with documents, 1949-1986
    page.screenshot(path=SHOTS / "4-documents-per-year.png", full_page=True)
