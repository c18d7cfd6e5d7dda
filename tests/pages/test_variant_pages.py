"""The fixture variants (fixtures/pages/): their topic and listing pages against their
hand-checked values (teaser dates in other markup), and the fixtures themselves: every expected
Document fits the published contract, every page has its expected file, and the real-shaped
pages carry the shared site chrome as it is now."""

import importlib.util

import pytest
from jsonschema import Draft202012Validator

from harvester.inspect import parse_saved_page
from harvester.items import fields_of, schema_for
from harvester.pages.listing import ListingPage
from harvester.pages.topic import TopicPage
from harvester.run.merge import PROVENANCE
from tests.helpers.pages import (
    ROOT,
    all_document_pages,
    expected_for,
    load_json,
    url_of,
    variant_pages,
)

TOPICS = [(p, load_json(expected_for(p))) for p in variant_pages("topics")]
LISTINGS = [(p, load_json(expected_for(p))) for p in variant_pages("search")]
TOPIC_FIELDS = ["slug", "title", "description", "topic_id", "popular", "listing_urls"]
LISTING_FIELDS = ["total", "document_urls", "pager_urls", "entries"]


@pytest.mark.parametrize("field", TOPIC_FIELDS)
@pytest.mark.parametrize(("page", "expected"), TOPICS, ids=[p.stem for p, _ in TOPICS])
def test_topic_variant_field(page, expected, field):
    topic = TopicPage.from_html(page.read_bytes(), url_of(page))
    assert getattr(topic, field)() == expected[field]


@pytest.mark.parametrize("field", LISTING_FIELDS)
@pytest.mark.parametrize(("page", "expected"), LISTINGS, ids=[p.stem[-5:] for p, _ in LISTINGS])
def test_listing_variant_field(page, expected, field):
    listing = ListingPage.from_html(page.read_bytes(), url_of(page))
    assert getattr(listing, field)() == expected[field]


PAGES = [(p, "document") for p in variant_pages("document")] + \
    [(p, "topic") for p, _ in TOPICS] + [(p, "listing") for p, _ in LISTINGS]


@pytest.mark.parametrize(("page", "kind"), PAGES, ids=[p.stem[-24:] for p, _ in PAGES])
def test_the_parse_command_gives_each_variants_hand_checked_values(page, kind):
    parsed, ok = parse_saved_page(page, url_of(page), kind)
    expected = load_json(expected_for(page))
    assert ok
    assert {field: parsed.get(field) for field in expected} == expected


def test_the_variants_show_every_teaser_date_markup():
    pages = [p.read_text("utf-8") for p, _ in TOPICS + LISTINGS]
    for marker in ('class="card__date"', 'class="teaser__date"', "field--name-field-date",
                   '<td class="document">\n                <p>April, 1950</p>'):
        assert any(marker in page for page in pages), marker


def test_every_expected_document_fits_the_contract_in_its_order():
    validator = Draft202012Validator(schema_for("document"))
    written = [f for f in fields_of("document") if f not in PROVENANCE]
    for page in all_document_pages():
        expected = load_json(expected_for(page))
        if "reject" in expected:
            continue
        assert list(expected) == written, page.name
        for person in expected["people"]:
            assert list(person) == list(schema_for("document")["properties"]["people"]
                                        ["items"]["properties"]), page.name
        record = {**expected, "retrieved_at": "2026-01-01T00:00:00Z", "capture": None}
        assert [e.message for e in validator.iter_errors(record)] == [], page.name


def test_every_variant_page_has_its_expected_file_and_no_file_is_left_over():
    pages = [*variant_pages("document"), *variant_pages("topics"), *variant_pages("search"),
             *variant_pages("people")]
    assert len(pages) == 13
    assert all(expected_for(p).is_file() for p in pages)
    expected = sorted((ROOT / "fixtures" / "pages").rglob("*.expected.json"))
    assert expected == sorted(expected_for(p) for p in pages)


def test_real_shaped_pages_carry_the_shared_chrome_unchanged():
    path = ROOT / "fixtures" / "chrome" / "stamp.py"
    spec = importlib.util.spec_from_file_location("fixture_chrome_stamp", path)
    stamp = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stamp)
    pages = stamp.chrome_pages()
    # Eight converted document pages, the nine document, topic and listing variants and two
    # people pages.
    assert len(pages) == 19
    assert stamp.main(["--check"]) == 0
    # The chrome is most of a real page, as on the site (about 60 KB a page).
    assert all(len(p.read_bytes()) > 50_000 for p in pages)
