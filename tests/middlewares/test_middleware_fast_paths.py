"""The middlewares' shortcuts for ordinary pages decide exactly what the full checks decide:
a page the encoding shortcut passes is one that decoding would leave as it is, and the end of a
page is found wherever it is."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.pages.completeness import looks_complete
from harvester.pages.decoding import clean_utf8, declared_encoding, decode_page

PIECES = st.sampled_from([
    b"<html><head><title>t</title></head><body>", b"<p>plain text</p>", b"</body></html>",
    b'<meta charset="utf-8">', b'<meta charset="windows-1252">',
    "caf\u00e9 \u2014 \u041a\u0438\u043c".encode(), "\ufffd".encode(), b"\xef\xbf", b"\xbd",
    b"\x00", b"\x08", b"\x09", b"\x0b", b"\x0c", b"\x0d", b"\x1f", b"\x7f", b"\x80", b"\xe9",
    b"\xff\xfe", b"\xef\xbb\xbf", b"\xfe\xff", b"\xc3", b"\xa9", b"<footer>", b"</HTML >",
])
CONTENT_TYPES = st.sampled_from([None, "text/html", "text/html; charset=utf-8",
                                 "text/html; charset=UTF-8", "text/html; charset=iso-8859-1",
                                 "text/html; charset=windows-1252", "text/html; charset=bogus"])


@settings(max_examples=1500, deadline=None)
@given(pieces=st.lists(PIECES, max_size=12), content_type=CONTENT_TYPES)
def test_a_page_the_encoding_shortcut_passes_needs_no_decoding(pieces, content_type):
    body = b"".join(pieces)
    if clean_utf8(body, content_type):
        assert decode_page(body, content_type) == (body.decode("utf-8"), "utf-8", 0)
        assert declared_encoding(body, content_type) == "utf-8"


def test_the_encoding_shortcut_takes_an_ordinary_page_and_only_that():
    page = '<html><head><meta charset="utf-8"></head><body>caf\u00e9</body></html>'.encode()
    assert clean_utf8(page, "text/html; charset=utf-8")
    assert clean_utf8(page, None)
    assert not clean_utf8(page, "text/html; charset=windows-1252")
    assert not clean_utf8(b"\xef\xbb\xbf" + page, None)
    assert not clean_utf8(page.replace(b"caf", b"c\x00af"), None)
    assert not clean_utf8(page.replace(b"caf", "\ufffd".encode()), None)
    assert not clean_utf8(page.replace(b"caf\xc3\xa9", b"caf\xe9"), None)


FULL_SEARCH = re.compile(rb"</html\s*>|</body\s*>|<footer[\s>]", re.IGNORECASE)


@settings(max_examples=500, deadline=None)
@given(before=st.integers(0, 3000), after=st.integers(0, 3000),
       end=st.sampled_from([b"", b"</html>", b"</BODY  >", b"<footer class=x>", b"<footer>",
                            b"</htm", b"<footers>"]))
def test_the_end_of_a_page_is_found_wherever_it_is(before, after, end):
    body = b"x" * before + end + b"y" * after
    assert looks_complete(body) == (FULL_SEARCH.search(body) is not None)
