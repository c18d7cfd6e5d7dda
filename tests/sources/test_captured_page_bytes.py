"""A captured document page read straight from its bytes (`selection.document_page`): most
pages go to the parser as they are (`decoding.parses_as_is`), and whichever way a page goes,
its tree is the one its decoded text gives."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from parsel import Selector

from harvester.items import to_record
from harvester.pages.decoding import decode_page, parses_as_is
from harvester.sources.selection import document_page
from tests.helpers.pages import all_document_pages, expected_for, load_json, url_of

UTF8 = "text/html; charset=utf-8"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "document"
VALID = [page for page in all_document_pages() if "reject" not in load_json(expected_for(page))]
# The real-shaped document pages (the real site's chrome and scripts), each with its record.
REAL_SHAPED = sorted(FIXTURES.glob("*.html"))
PAGE = b'<html><head><meta charset="utf-8"><title>t</title></head><body><p>caf\xc3\xa9</p>' \
    b"</body></html>"


def tree_of_text(body: bytes, content_type: str | None, url: str) -> bytes:
    """The tree as the page's decoded text gives it (how every page was read before)."""
    text = decode_page(body, content_type)[0]
    return etree.tostring(Selector(text=text, type="html", base_url=url).root)


@pytest.mark.parametrize("page", [*VALID, *REAL_SHAPED], ids=lambda page: page.stem)
def test_a_saved_document_page_goes_to_the_parser_as_it_is_and_gives_its_record(page):
    body, expected = page.read_bytes(), load_json(expected_for(page))
    url = url_of(page) if page in VALID else expected["url"]
    assert parses_as_is(body, UTF8)
    read = document_page(url, body, UTF8)
    assert etree.tostring(read.selector.root) == tree_of_text(body, UTF8, url)
    record = to_record(read.record())
    assert {k: v for k, v in record.items() if k in expected and k != "retrieved_at"} == \
        {k: v for k, v in expected.items() if k != "retrieved_at"}


@pytest.mark.parametrize(("body", "content_type"), [
    (b"\xef\xbb\xbf" + PAGE, UTF8),                              # a byte-order mark
    (PAGE.replace(b"caf", b"c\x01af"), UTF8),                    # a control character
    (PAGE.replace(b"caf\xc3\xa9", b"caf\xe9"), UTF8),            # not UTF-8
    (PAGE.replace(b"utf-8", b"windows-1252"), "text/html"),      # declared otherwise
    ("\u00a0".encode() + PAGE, UTF8),                            # no-break space first
    (PAGE + "\u3000\n".encode(), UTF8),                          # ideographic space last
])
def test_a_page_that_decoding_or_stripping_would_change_is_decoded_first(body, content_type):
    assert not parses_as_is(body, content_type)
    url = "https://digitalarchive.wilsoncenter.org/document/1"
    assert etree.tostring(document_page(url, body, content_type).selector.root) == \
        tree_of_text(body, content_type, url)


def test_ascii_whitespace_round_a_clean_page_still_lets_it_go_as_it_is():
    assert parses_as_is(b" \r\n\t" + PAGE + b"\n\n", UTF8)
    assert parses_as_is(b" \n", UTF8)
    assert not parses_as_is(b"", UTF8)   # parsel takes no empty bytes: decoded, as before


PIECES = st.sampled_from([
    b"<html><head><title>t</title></head><body>", b"<p>plain text</p>", b"</body></html>",
    b'<meta charset="utf-8">', b'<meta charset="windows-1252">',
    "caf\u00e9 \u2014 \u041a\u0438\u043c".encode(), "\ufffd".encode(), b"\x00", b"\x1f",
    b"\x0b", b"\x0c", b" ", b"\t", b"\r\n", "\u00a0".encode(), "\u2028".encode(),
    "\u3000".encode(), "\u0085".encode(), b"\xe9", b"\xef\xbb\xbf", b"<br>", b"&amp;",
])
CONTENT_TYPES = st.sampled_from([None, "text/html", UTF8, "text/html; charset=windows-1252"])


@settings(max_examples=1500, deadline=None)
@given(pieces=st.lists(PIECES, max_size=12), content_type=CONTENT_TYPES)
def test_any_page_gives_the_tree_its_decoded_text_gives(pieces, content_type):
    body = b"".join(pieces)
    url = "https://digitalarchive.wilsoncenter.org/document/1"
    assert etree.tostring(document_page(url, body, content_type).selector.root) == \
        tree_of_text(body, content_type, url)
