"""Bot challenges are told from pages by their shape (harvester/pages/challenge.py).

Cloudflare injects its "JavaScript detections" snippet into every page it serves (the real page in
shared/real-world/pages/ carries it, as `fixtures/real-shaped/cloudflare-jsd-snippet.html` does,
copied from it): a page of the archive that carries it, wherever it sits, is still the page. Every
challenge shape known is still a challenge."""

from dataclasses import asdict

import pytest
from scrapy.http import Response

from harvester.mirror.hostile import CHALLENGE_PAGE
from harvester.pages.challenge import SNIFF_BYTES, challenge_marker, has_site_content
from harvester.pages.document import DocumentPage
from tests.helpers.pages import document_pages, expected_for, listing_pages, load_json, url_of
from tests.helpers.real_shaped import (
    JSD_SNIPPET,
    REAL_PAGE_URL,
    real_page,
    with_icon_font,
    with_snippet,
)

HONECKER = next(p for p in document_pages() if p.stem.startswith("memorandum-conversation"))
SMALLEST = min(document_pages(), key=lambda page: page.stat().st_size)
PLACES = ("before-body-end", "end-of-text-tab")

# The shapes of challenge and block pages known (the stand-in's is CHALLENGE_PAGE).
BLOCK_PAGE = (b"<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>"
              b"<body><div id=\"cf-wrapper\"><h1 data-translate=\"block_headline\">Sorry, you "
              b"have been blocked</h1><h2 class=\"cf-subheadline\">You are unable to access "
              b"digitalarchive.wilsoncenter.org</h2></div></body></html>")
TURNSTILE_PAGE = (b"<html><head><title>digitalarchive.wilsoncenter.org</title></head><body>"
                  b"<form id=\"challenge-form\" action=\"/?__cf_chl_f_tk=x\" method=\"POST\">"
                  b"<div class=\"cf-turnstile\" data-sitekey=\"0x4AAA\"></div></form>"
                  b"<script src=\"https://challenges.cloudflare.com/turnstile/v0/api.js\">"
                  b"</script></body></html>")
OLD_JS_CHALLENGE = (b"<html><head><title>Just a moment...</title></head><body><h1>Checking your "
                    b"browser before accessing digitalarchive.wilsoncenter.org.</h1></body></html>")


def record_of(page: bytes, url: str) -> dict:
    return asdict(DocumentPage.from_html(page, url).record())


@pytest.mark.parametrize("place", PLACES)
def test_a_page_that_carries_the_snippet_is_no_challenge(place):
    page = with_snippet(SMALLEST.read_bytes(), place)
    assert len(page) < SNIFF_BYTES and b"/cdn-cgi/challenge-platform/" in page
    assert challenge_marker(200, {}, page) is None


@pytest.mark.parametrize("place", PLACES)
def test_the_snippet_changes_no_field_of_the_record(place):
    url, plain = url_of(HONECKER), HONECKER.read_bytes()
    assert record_of(with_snippet(plain, place), url) == record_of(plain, url)


@pytest.mark.parametrize("place", PLACES)
def test_a_page_over_the_sniffed_size_with_the_snippet_is_no_challenge(place):
    page = with_snippet(with_icon_font(HONECKER.read_bytes()), place)
    assert len(page) > SNIFF_BYTES + 20_000 and page.index(JSD_SNIPPET) > SNIFF_BYTES
    assert challenge_marker(200, {}, page) is None


def test_every_page_of_the_mirror_with_the_snippet_is_no_challenge():
    for page in [*document_pages(), *listing_pages()]:
        body = page.read_bytes()
        for place in PLACES if b"tab-pane" in body else ("before-body-end",):
            assert challenge_marker(200, {}, with_snippet(body, place)) is None, \
                (page.name, place)


def test_words_of_a_challenge_quoted_in_a_document_do_not_make_it_one():
    quoted = HONECKER.read_bytes().replace(
        b"</h1>", b"</h1><p>Just a moment... verify you are human</p>", 1)
    assert challenge_marker(200, {}, quoted) is None
    assert challenge_marker(403, {}, quoted.replace(b"Just a moment", b"CAPTCHA")) is None


def test_the_real_page_is_no_challenge_and_parses_as_it_did_without_the_snippet():
    page = real_page()
    assert page.count(b"/cdn-cgi/challenge-platform/scripts/jsd/main.js") == 1
    assert challenge_marker(200, {}, page) is None
    assert has_site_content(page)
    without = page.replace(JSD_SNIPPET, b"")
    assert len(without) < len(page)
    assert record_of(page, REAL_PAGE_URL) == record_of(without, REAL_PAGE_URL)


@pytest.mark.parametrize(("status", "headers", "body", "marker"), [
    (403, {"cf-mitigated": "challenge"}, b"", "cf-mitigated: challenge"),
    (200, {"CF-Mitigated": " Challenge "}, b"<html></html>", "cf-mitigated: challenge"),
    (200, {}, CHALLENGE_PAGE, "window._cf_chl_opt"),
    (403, {}, CHALLENGE_PAGE, "window._cf_chl_opt"),
    (503, {}, b"<html><title>Just a moment...</title></html>", "<title>just a moment"),
    (200, {}, OLD_JS_CHALLENGE, "<title>just a moment"),
    (403, {}, BLOCK_PAGE, "<title>attention required!"),
    (200, {}, TURNSTILE_PAGE, "cf_chl_"),
    (200, {}, TURNSTILE_PAGE.replace(b"__cf_chl_f_tk=x", b""),
     "challenges.cloudflare.com/turnstile"),
    (200, {}, b"<p>Verify you are human by completing the action below.</p>",
     "verify you are human"),
    (429, {}, b"<p>Please solve this CAPTCHA</p>", "captcha"),
    (200, {}, b"<p>An essay on the CAPTCHA</p></html>", None),
    (404, {}, CHALLENGE_PAGE, None),
    (503, {}, b"<h1>503 Service Unavailable</h1>", None),
    (200, {}, JSD_SNIPPET, None),
])
def test_challenge_shapes(status, headers, body, marker):
    response = Response("http://x/", status=status, headers=headers, body=body)
    assert challenge_marker(response.status, response.headers, response.body) == marker


def test_a_challenge_that_carries_the_snippet_is_still_a_challenge():
    page = CHALLENGE_PAGE.replace(b"</body>", JSD_SNIPPET + b"</body>")
    assert challenge_marker(200, {}, page) == "window._cf_chl_opt"


def test_the_header_says_challenge_whatever_the_body_holds():
    page = HONECKER.read_bytes()
    assert challenge_marker(403, {"cf-mitigated": "challenge"}, page) == "cf-mitigated: challenge"


def test_the_snippet_never_reaches_a_record():
    page = with_snippet(HONECKER.read_bytes(), "end-of-text-tab")
    record = record_of(page, url_of(HONECKER))
    assert "__CF$cv$params" not in (record["text"] or "")
    assert record == record_of(HONECKER.read_bytes(), url_of(HONECKER))
    assert load_json(expected_for(HONECKER))["record_id"] == record["record_id"]
