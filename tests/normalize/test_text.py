import pytest
from lxml import html

from harvester.normalize.text import clean, controls_in, paragraphs, unique, without_controls
from harvester.pages.html import (
    absolute,
    block_text,
    decode_cfemail,
    document_slug,
    inline_text,
    is_download,
)


def encode(address: str, key: int) -> str:
    return bytes([key, *(b ^ key for b in address.encode())]).hex()


def test_clean_collapses_spaces_nbsp_and_trims():
    assert clean("  Kim \u00a0Il\tSung\n ") == "Kim Il Sung"


def test_clean_gives_none_for_empty_text_never_empty_string():
    assert clean(" \u00a0 ") is None
    assert clean(None) is None


def test_clean_composes_unicode_nfc():
    assert clean("Sato\u0304") == "Satō"


def test_clean_drops_zero_width_characters():
    assert clean("Bia\u200błek") == "Białek"


def test_unique_keeps_first_occurrence_order():
    assert unique(["b", " a", "b ", "", None, "a"]) == ["b", "a"]


def test_paragraphs_join_blocks_with_blank_line():
    assert paragraphs(["  one ", "", "two  three"]) == "one\n\ntwo three"


def test_decode_cfemail_round_trip():
    assert decode_cfemail(encode("archive@wilsoncenter.org", 0x5A)) == "archive@wilsoncenter.org"


def test_decode_cfemail_rejects_garbage():
    assert decode_cfemail("zz") is None
    assert decode_cfemail("5a") is None


def test_inline_text_decodes_protected_email_in_place():
    hex_value = encode("a@b.org", 0x21)
    node = html.fromstring(
        f'<div>Write to <a href="/cdn-cgi/l/email-protection#{hex_value}">'
        f'<span class="__cf_email__" data-cfemail="{hex_value}">[email&#160;protected]</span>'
        "</a> today.</div>"
    )
    assert inline_text(node) == "Write to a@b.org today."


def test_block_text_keeps_paragraphs_and_line_breaks():
    node = html.fromstring(
        "<div><p>One  <b>bold</b></p><p>Two<br>Three</p><script>x</script></div>")
    assert block_text(node) == "One bold\n\nTwo\n\nThree"


def test_document_slug_accepts_pages_and_refuses_scans():
    assert document_slug("https://h/document/kim-il-sung-0") == "kim-il-sung-0"
    assert document_slug("https://h/document/110360") == "110360"
    assert document_slug("https://h/document/1234/download") is None
    assert document_slug("https://h/document/110360.pdf?v=abc") is None
    assert document_slug("https://h/documents") is None


def test_is_download():
    assert is_download("https://h/document/1234/download")
    assert not is_download("https://h/document/slug")


def test_absolute_resolves_and_drops_fragments_and_other_schemes():
    assert absolute("https://h/search?page=1", "?page=2#top") == "https://h/search?page=2"
    assert absolute("https://h/x", "mailto:a@b") is None
    assert absolute("https://h/x", "") is None


@pytest.mark.parametrize(("raw", "cleaned"), [
    ("Kim\x01 Il Sung", "Kim Il Sung"),  # C0, as &#1; gives it
    ("Kim\x7f Il Sung", "Kim Il Sung"),  # DEL (&#x7f;)
    ("Kim\x9b Il Sung", "Kim Il Sung"),  # C1, raw
    ("Kim \u202egnuS lI\u202c", "Kim gnuS lI"),  # a right-to-left override and its end
    ("a\u2066b\u2069 \u200ec\u200f \u061cd", "ab c d"),  # isolates and bidi marks
    ("form\x0cfeed\x0bvertical\x1fseparator\x85next", "form feed vertical separator next"),
    ("Satō\x01 Eisaku", "Satō Eisaku"),  # the same outside ASCII
    ("\x01\u202e", None),
])
def test_clean_drops_control_characters_however_they_arrive(raw, cleaned):
    assert clean(raw) == cleaned


def test_no_control_character_is_left_in_a_record_or_named_as_found():
    record = {"title": "A\u202eB", "people": [{"name": "x\x01y", "id": 3}], "text": "p\n\nq\tr"}
    assert list(controls_in(record)) == [("title", "\u202e"), ("people[0].name", "\x01")]
    assert without_controls(record) == {"title": "AB", "people": [{"name": "xy", "id": 3}],
                                        "text": "p\n\nq\tr"}
    assert list(controls_in(without_controls(record))) == []
