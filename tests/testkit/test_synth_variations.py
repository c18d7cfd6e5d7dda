"""The synthetic mirror holds every date form and markup variation of the real site somewhere,
and its records every kind of person, non-ASCII text and PDF-only document the parser must
handle."""

import json
import re

import pytest

from harvester_testkit.synth.people import ORGANIZATIONS, PARTICIPANTS, UNINVERTED
from tests.helpers.synth_mirrors import DOCUMENTS


# -- every variation of the fixtures is somewhere ---------------------------------------------
def header(html: str) -> str:
    return html.split('<div class="document-header">', 1)[1].split("</div>\n          <div "
                                                                  'class="document-body">')[0]


DATE_FORMS = {
    "day": r"[A-Z][a-z]+ [1-9]\d?, \d{4}", "padded day (old site)": r"[A-Z][a-z]+ 0\d, \d{4}",
    "month": r"[A-Z][a-z]+ \d{4}", "month with comma (old site)": r"[A-Z][a-z]+, \d{4}",
    "year": r"\d{4}", "circa": r"(c\.|ca\.|circa) \d{4}", "decade": r"\d{3}0s",
    "range": r"\d{4}-\d{4}",
}


@pytest.mark.parametrize("form", sorted(DATE_FORMS))
def test_every_date_form_is_represented(expected, form):
    shown = [d["date"]["original"] for d in expected["documents"] if d["date"]]
    assert any(re.fullmatch(DATE_FORMS[form], text) for text in shown)


VARIATIONS = {
    "empty date element (undated)": lambda p: '<div class="date"></div>\n            <h1' in p,
    "no date element at all": lambda p: 'class="date"' not in header(p),
    "n.d. or undated": lambda p: re.search(r'class="date">(n\.d\.|undated)<', header(p)),
    "nbsp inside a date": lambda p: re.search(r'class="date">[A-Z][a-z]+&nbsp;\d', header(p)),
    "date on its own lines": lambda p: '<div class="date">\n' in header(p),
    "teaser of another document above the header": lambda p: "document-neighbour" in p,
    "related documents with dates": lambda p: re.search(
        r'related-documents__list">\s*<div class="teaser[^"]*">\s*<div class="date">', p),
    "Cloudflare-obfuscated e-mail": lambda p: "data-cfemail=" in p,
    "pill-block headings h3": lambda p: '<h3 class="title">Associated' in p,
    "pill-block headings h4": lambda p: '<h4 class="title">Associated' in p,
    "subject pills with spans": lambda p: re.search(r'pill-subject[^>]*><div class="name"><span>',
                                                    p),
    "subject pills without spans": lambda p: re.search(r'pill-subject[^>]*><div class="name">[^<]',
                                                       p),
    "language pills with spans": lambda p: re.search(
        r'languages%3A\d+[^>]*><div class="name"><span>', p),
    "Author(s) h2 with sibling pills": lambda p: '<h2 class="title">Author(s):</h2>\n'
                                                 '            <div class="pills pills--authors">'
                                                 in p,
    "Document Contributors": lambda p: ">Document Contributors<" in p,
    "credit line": lambda p: '<div class="donated">This' in p,
    "credit line with nbsp and line breaks": lambda p: '<div class="donated">\n' in p,
    "donors as pills": lambda p: "donors%3A" in p,
    "donors as text split on ;": lambda p: re.search(r'Donors</div>\s*<div class="text">[^<]*; ',
                                                     p),
    "donors as text split on <br>": lambda p: re.search(
        r'Donors</div>\s*<div class="text">[^<]*<br>', p),
    "archive as text": lambda p: re.search(r'Original Archive</div>\s*<div class="text">', p),
    "people link not percent-encoded": lambda p: "f[0]=people:" in p,
    "people linked to their pages /people/<slug>": lambda p: 'href="/people/' in p,
    "credit line with linked donors": lambda p: re.search(
        r'class="donated">[^<]*support from <a href=', p),
    "PDF-only page (object.pdf-preview, no text)": lambda p: 'class="pdf-preview" data="' in p,
    "person pill without a link": lambda p: '<div class="pill pill-person"><div class="name">' in p,
    "a pill repeated": lambda p: any(p.count(pill) > 1 for pill in re.findall(
        r'<div class="pill pill-person">.*?</div></a></div>', p)),
    "pill with life dates and region": lambda p: "pill__details" in p,
    "decomposed (NFD) name": lambda p: "a\u0301" in p or "s\u0326" in p or "e\u0301" in p,
    "name with nbsp and a run of spaces": lambda p: re.search(r',&nbsp;[^<]*  ', p),
    "active tab second": lambda p: re.search(r'tab-pane fade" id="tab-original[^>]*>.*?'
                                             r'tab-pane fade show active', p, re.S),
    "single tab pane without .active": lambda p: "nav-tabs" not in p and "tab-pane fade\"" in p,
    "a language level inside the tabs (#documentTabs, two languages)": lambda p: re.search(
        r'id="translation-english".*?id="original-[a-z]+"', p, re.S),
    "<br>-separated lines": lambda p: re.search(r"<p>Time: [^<]*<br>", p),
    "h4 and list items in the text": lambda p: "<ul><li>" in p,
    "footnote marker": lambda p: '<sup><a href="#fn1"' in p,
    "runs of spaces and nbsp in text": lambda p: "  &nbsp;" in p,
    "title with nbsp and runs of spaces": lambda p: re.search(r'label-hidden">[^<]*&nbsp;', p),
    "title with &#039; entities": lambda p: re.search(r'label-hidden">[^<]*&#039;', p),
    "bracketed gloss in a title": lambda p: re.search(
        r'label-hidden">[^<]*(\[Stalin\]|\(Stalin\))', p),
    "Record ID with surrounding whitespace": lambda p: re.search(
        r'Record ID</div>\s*<div class="text">\n\s+\d+\n', p),
    "download link absolute": lambda p: 'href="https://digitalarchive.wilsoncenter.org/document/'
                                        in p,
    "download link twice": lambda p: "Download the original scan" in p,
    "no download link": lambda p: "/download" not in p,
    "node id only in the shortlink": lambda p: "drupal-settings-json" not in p and
                                               'rel="shortlink"' in p,
    "page without a title": lambda p: "<h1" not in p,
    "page without a Record ID": lambda p: ">Record ID<" not in p,
}


@pytest.mark.parametrize("variation", sorted(VARIATIONS))
def test_every_markup_variation_is_represented(pages, variation):
    documents = [html for path, html in pages.items() if path.startswith("document/")]
    assert any(VARIATIONS[variation](html) for html in documents)


def test_information_blocks_come_in_varying_order(pages):
    orders = {tuple(re.findall(r'<div class="sub-title">([^<]+)</div>', html))
              for path, html in pages.items() if path.startswith("document/")}
    assert len(orders) > DOCUMENTS // 2


def test_slug_clash_gets_a_dash_zero(mirror, expected):
    slugs = {d["slug"] for d in expected["documents"]}
    assert any(s.endswith("-0") and s[:-2] in slugs for s in slugs)


def test_every_person_of_the_pool_is_on_a_valid_page(expected):
    named = {p["name"] for d in expected["documents"] for p in d["people"]}
    pool = {p.name for p in (*PARTICIPANTS, *ORGANIZATIONS, *UNINVERTED)}
    assert pool <= named


def test_records_carry_non_ascii_and_every_person_kind(expected):
    text = json.dumps(expected["documents"], ensure_ascii=False)
    assert re.search(r"[ąćęłńóśźżáéíóúőűăâîșțčřšžýůō]", text) and re.search(r"[а-яё]", text)
    assert "’" in text and "“" in text
    people = [p for d in expected["documents"] for p in d["people"]]
    assert {p["kind"] for p in people} == {"person", "organization", "unknown"}
    assert {p["role"] for p in people} == {"author", "associated", "contributor"}
    assert any(p["id"] is None for p in people)
    assert any(p["slug"] for p in people) and any(p["id"] for p in people)


def test_pdf_only_records_have_a_preview_instead_of_text(expected):
    shown = [d for d in expected["documents"] if d["preview"]]
    assert shown and all(d["text"] is None and d["preview"] in d["downloads"] for d in shown)
    assert all(d["texts"] == [] for d in shown)
    assert all(d["text"] for d in expected["documents"] if not d["preview"])


def test_records_hold_every_text_the_english_translation_as_text(expected):
    documents = [d for d in expected["documents"] if not d["preview"]]
    shapes = {tuple((t["kind"], t["language"] is not None) for t in d["texts"])
              for d in documents}
    assert shapes == {(("translation", True),), (("translation", False),),
                      (("translation", True), ("original", True)),
                      (("original", True), ("translation", True))}
    for document in documents:
        [translation] = [t for t in document["texts"] if t["kind"] == "translation"]
        assert translation["text"] == document["text"]
        assert [t["language"] for t in document["texts"] if t["kind"] == "original"] in (
            [], document["languages"][:1])
