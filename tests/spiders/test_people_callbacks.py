"""People's own pages on the live site (`--people-pages`), called one at a time on saved pages:
the after-walk phase that asks for them (`people_requests`), `parse_person` and
`person_failed`, and exactly what each tells the run and the manifest's warnings."""

from collections.abc import Iterator

import pytest
from scrapy.http import Response

from harvester.run.context import utc_iso
from harvester.spiders.topic import TopicSpider
from tests.helpers.pages import BASE, VARIANTS, expected_for, load_json
from tests.helpers.spider_fakes import (
    Fake,
    answer,
    call,
    fail,
    fake_run,
    http_error,
    requested,
    timed_out,
)

TELEGRAM = f"{BASE}/document/telegram-shtykov-gromyko-and-stalin"
# The people the telegram's page links by slug, in the order the phase asks for them.
LINKED = ["gromyko-andrei-andreevich", "kim-il-sung", "shtykov-terentii-fomich",
          "stalin-joseph", "workers-party-korea"]
# Every saved person's page (fixtures/pages/people), each of a person the telegram links.
SAVED = sorted(page.stem for page in (VARIANTS / "people").glob("*.html"))


def person(slug: str) -> str:
    return f"{BASE}/people/{slug}"


@pytest.fixture
def people(tmp_path) -> Iterator[Fake]:
    """A topic run with people's pages on, whose run has taken the telegram's record."""
    fake = fake_run(TopicSpider, tmp_path / "people", {"HARVESTER_PEOPLE_PAGES": True},
                    base_url=BASE)
    request = fake.spider.document_request(TELEGRAM, None)
    [document] = call(request, answer(request))
    fake.run.take(document)
    yield fake
    fake.close()


def person_request(fake: Fake, slug: str):
    return next(r for r in fake.spider.people_requests() if r.cb_kwargs["slug"] == slug)


# -- people_requests ------------------------------------------------------------------------------
def test_each_person_the_runs_documents_link_is_asked_for_once(people):
    assert requested(people.spider.people_requests()) == [
        (person(slug), "parse_person", "person_failed", {"slug": slug}) for slug in LINKED]
    assert people.stats["harvester/person_pages_requested"] == len(LINKED)


def test_no_person_is_asked_for_with_the_option_off_or_while_the_run_stops(topic, people):
    request = topic.spider.document_request(TELEGRAM, None)
    topic.run.take(call(request, answer(request))[0])
    people.crawler.crawling = False

    assert list(topic.spider.people_requests()) == []
    assert list(people.spider.people_requests()) == []


def test_a_person_read_within_the_period_is_not_asked_for_again(people):
    people.spider.parse_person(answer(person_request(people, "kim-il-sung"),
                                      url=person("kim-il-sung"), root=VARIANTS),
                               slug="kim-il-sung")
    # As the run's publication saves it (harvester.run.publish).
    people.run.store.save_person_pages(people.run.harvest.person_pages,
                                       utc_iso(people.run.context.started))

    assert [r.cb_kwargs["slug"] for r in people.spider.people_requests()] == \
        [slug for slug in LINKED if slug != "kim-il-sung"]


# -- parse_person ---------------------------------------------------------------------------------
@pytest.mark.parametrize("slug", SAVED)
def test_a_persons_page_tells_the_run_what_it_says(people, slug):
    request = person_request(people, slug)
    people.run.told.clear()

    assert call(request, answer(request, root=VARIANTS)) == []

    said = load_json(expected_for(VARIANTS / "people" / f"{slug}.html"))
    assert people.run.told == [("person_page", slug, said)]
    assert people.stats["harvester/person_pages_read"] == 1
    assert people.run.findings.warnings == []


@pytest.mark.parametrize(("response", "why"), [
    (lambda r: answer(r, b"<html><body><p>Stalin, Joseph</p></body></html>"),
     "no name (no h1) on the page"),
    (lambda r: Response(r.url, body=b"\x89PNG\r\n", request=r,
                        headers={"Content-Type": "image/png"}), "not an HTML page"),
], ids=["no name", "not html"])
def test_a_persons_page_that_cannot_be_read_is_a_warning(people, response, why):
    request = person_request(people, "stalin-joseph")
    people.run.told.clear()

    assert call(request, response(request)) == []
    assert people.run.told == []
    assert people.run.findings.warnings == [
        f"person page {person('stalin-joseph')} not read: {why}"]
    assert people.stats["harvester/person_pages_failed"] == 1
    assert people.run.findings.incomplete == []


# -- person_failed --------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [404, 410])
def test_a_persons_page_the_site_does_not_have_is_remembered_as_checked(people, status):
    request = person_request(people, "shtykov-terentii-fomich")
    people.run.told.clear()

    assert fail(request, http_error(request, status)) == []

    url = person("shtykov-terentii-fomich")
    assert people.run.told == [("person_page", "shtykov-terentii-fomich",
                                {"url": url, "missing": status})]
    assert people.run.findings.warnings == [f"person page {url} not read: HTTP {status}"]


def test_a_persons_page_that_times_out_is_only_a_warning(people):
    request = person_request(people, "gromyko-andrei-andreevich")
    people.run.told.clear()

    fail(request, timed_out(request))

    url = person("gromyko-andrei-andreevich")
    assert people.run.told == []
    assert people.run.findings.warnings == [f"person page {url} not read: DownloadTimeoutError: "
                                      f"Getting {url} took longer than 180.0 seconds."]
    assert people.run.findings.incomplete == []


def test_past_twenty_failed_pages_one_line_counts_the_rest(people):
    request = person_request(people, "kim-il-sung")
    people.run.findings.warnings.append("an earlier warning")

    for _ in range(23):
        fail(request, http_error(request, 500, retries=1))

    url = person("kim-il-sung")
    assert people.run.findings.warnings == ["an earlier warning"] + \
        [f"person page {url} not read: HTTP 500 after 2 attempts"] * 20 + \
        ["3 more person pages not read (the log at INFO names them)"]
    assert people.stats["harvester/person_pages_failed"] == 23
