"""Every field of every saved document page (the mirror's and the variants') against its
hand-checked expected record, and each parsing rule on small pages of its own."""

import pytest

from harvester.items import fields_of
from harvester.pages.document import DocumentPage, MissingField
from harvester.run.merge import PROVENANCE
from tests.helpers.pages import all_document_pages, document_pages, expected_for, load_json, url_of

FIELDS = [f for f in fields_of("document") if f not in PROVENANCE]
CASES = [(page, load_json(expected_for(page))) for page in all_document_pages()]
VALID = [(p, e) for p, e in CASES if "reject" not in e]
REJECTS = [(p, e) for p, e in CASES if "reject" in e]


def page_object(page) -> DocumentPage:
    return DocumentPage.from_html(page.read_bytes(), url_of(page))


def test_the_mirror_has_enough_document_pages():
    assert len(document_pages()) >= 20 and len(VALID) >= 20 and REJECTS


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(("page", "expected"), VALID, ids=[p.stem for p, _ in VALID])
def test_field(page, expected, field):
    document = page_object(page)
    value = getattr(document, field)() if field != "url" else document.url
    assert value == expected[field]


@pytest.mark.parametrize(("page", "expected"), VALID, ids=[p.stem for p, _ in VALID])
def test_record_has_every_field_in_contract_order(page, expected):
    record = page_object(page).record()
    assert list(expected) == FIELDS
    assert record.record_id == expected["record_id"]


@pytest.mark.parametrize(("page", "expected"), REJECTS, ids=[p.stem for p, _ in REJECTS])
def test_page_without_required_field_is_rejected_with_reason(page, expected):
    with pytest.raises(MissingField) as raised:
        page_object(page).record()
    assert raised.value.field == expected["reject"]["field"]
    assert raised.value.reason


def test_topic_link_with_junk_in_its_address_gives_no_slug_rather_than_a_bad_one():
    html = ('<h1 class="title">T</h1><div class="pill-block"><h3 class="title">Associated Topics'
            '</h3><a class="pill" href="/topics/korean-war%00x"><div class="name">Korean War'
            '</div></a><a class="pill" href="/topics/cold-war/"><div class="name">Cold War</div>'
            '</a></div>')
    page = DocumentPage.from_html(html, "https://digitalarchive.wilsoncenter.org/document/x")
    assert page.topics() == [{"slug": None, "title": "Korean War"},
                             {"slug": "cold-war", "title": "Cold War"}]


URL = "https://digitalarchive.wilsoncenter.org/document/x"
INFO = ('<div class="information-block"><h3 class="sub-title">Record ID</h3>'
        '<div class="text">301122</div></div>')


def test_a_title_in_a_themes_header_element_is_read_but_its_menu_is_not():
    html = ('<header class="site-header"><nav class="navbar"><h3>Topics</h3><ul><li>'
            '<a href="/topics/korean-war">Korean War</a></li></ul></nav>'
            '<section class="jumbotron-document"><h2 class="date">March 9, 1986</h2>'
            '<h1 class="title"><span>Record</span></h1><p class="donated">This document was made'
            ' possible with support from Korea Foundation</p></section></header>'
            f'<main>{INFO}</main>')
    page = DocumentPage.from_html(html, URL)
    assert (page.title(), page.date()["edtf"], page.topics(), page.record_id()) == \
        ("Record", "1986-03-09", [], "301122")
    assert page.credit() == "This document was made possible with support from Korea Foundation"


def test_an_articles_own_footer_is_content_the_sites_footer_is_not():
    html = ('<main><article><h1 class="title">Record</h1><footer class="node__meta">'
            f'{INFO}</footer></article></main><footer class="site-footer"><div class="pill-block">'
            '<h3 class="title">Associated Places</h3><a class="pill" href="/places/cuba">'
            '<span class="name">Cuba</span></a></div></footer>')
    page = DocumentPage.from_html(html, URL)
    assert (page.record_id(), page.places()) == ("301122", [])


def test_mega_menu_cards_are_not_people_even_inside_the_main_area():
    html = ('<main><div class="mega-menu__panel"><h3 class="title">People</h3><ul><li><a '
            'class="pill" href="/people/kim-il-sung"><span class="name">Kim Il Sung</span></a>'
            '</li></ul></div>'
            f'<h1 class="title">Record</h1>{INFO}</main>')
    assert DocumentPage.from_html(html, URL).people() == []


# -- people, donors, files shown in place of text ------------------------------------------------
def pill_block(label: str, pills: str) -> str:
    return f'<div class="pill-block"><h3 class="title">{label}</h3><ul>{pills}</ul></div>'


def person(href: str, name: str) -> str:
    return f'<li><a class="pill pill-people" href="{href}"><span class="name"><span>{name}' \
        '</span></span></a></li>'


def test_people_carry_the_slug_of_their_people_page_and_the_term_id_of_a_faceted_link():
    html = ('<h1 class="title">T</h1>' + pill_block("Associated People & Organizations", "".join((
        person("/people/kim-il-sung", "Kim, Il Sung"),
        person("https://digitalarchive.wilsoncenter.org/people/cuba-ministry-foreign-affairs/",
               "Cuba. Ministry of Foreign Affairs"),
        person("/search?f%5B0%5D=people%3A40344&fo%5B0%5D=40344", "Honecker, Erich"),
        person("/people/Bad%20Slug", "Mao, Zedong"),
        person("//[", "Zhou, Enlai"),
    ))))
    people = DocumentPage.from_html(html, URL).people()
    assert [(p["id"], p["slug"], p["name"]) for p in people] == [
        (None, "kim-il-sung", "Kim, Il Sung"),
        (None, "cuba-ministry-foreign-affairs", "Cuba. Ministry of Foreign Affairs"),
        (40344, None, "Honecker, Erich"),
        (None, None, "Mao, Zedong"),
        (None, None, "Zhou, Enlai"),
    ]
    assert list(people[0]) == ["id", "slug", "name", "role", "display", "family", "given", "kind"]


def donors_of(credit: str, block: str = "") -> list[str]:
    html = f'<h1 class="title">T</h1><p class="donated">{credit}</p>{block}{INFO}'
    return DocumentPage.from_html(html, URL).donors()


def test_donors_named_only_in_the_credit_line_are_the_records_donors():
    assert donors_of("This document was made possible with support from Leon Levy Foundation") \
        == ["Leon Levy Foundation"]
    assert donors_of("This document was made possible with support from Carnegie Corporation of"
                     " New York (CCNY)&nbsp;and Korea Foundation, Henry Luce Foundation") == \
        ["Carnegie Corporation of New York (CCNY)", "Korea Foundation", "Henry Luce Foundation"]


def test_a_linked_donor_is_one_name_even_with_and_inside_it():
    credit = ('This document was made possible with support from <a href="https://macfound.org">'
              'John D. and Catherine T. MacArthur Foundation</a>, <a href="https://llf.org">'
              'Leon Levy</a> Foundation and <a href="https://kf.or.kr">Korea Foundation</a>')
    assert donors_of(credit) == ["John D. and Catherine T. MacArthur Foundation",
                                 "Leon Levy Foundation", "Korea Foundation"]


def test_donors_in_both_places_are_listed_once_block_first():
    block = ('<div class="information-block"><h3 class="sub-title">Donors</h3><div class="text">'
             'Korea Foundation; Carnegie Corporation of New York (CCNY)</div></div>')
    credit = "This document was made possible with support from Leon&nbsp;Levy  Foundation " \
        "and KOREA foundation"
    assert donors_of(credit, block) == ["Korea Foundation",
                                        "Carnegie Corporation of New York (CCNY)",
                                        "Leon Levy Foundation"]


def test_a_credit_line_in_other_words_names_no_donor():
    assert donors_of("Translated by the North Korea International Documentation Project") == []


def test_a_pdf_only_page_gives_its_file_as_preview_and_download_in_page_order():
    html = ('<h1 class="title">T</h1><a href="/document/29904/download">Download PDF</a>'
            '<div id="documentTabs"><div class="tab-content"><div class="tab-pane active">'
            '<object class="pdf-preview" data="/sites/default/files/documents/letter.pdf" '
            'type="application/pdf"></object></div></div></div>'
            '<a href="/sites/default/files/documents/letter.pdf">the same file</a>'
            '<div class="pill-block"><h3 class="title">Related Documents</h3><object '
            'class="pdf-preview" data="/other.pdf"></object></div>')
    page = DocumentPage.from_html(html, URL)
    file = "https://digitalarchive.wilsoncenter.org/sites/default/files/documents/letter.pdf"
    assert (page.text(), page.preview()) == (None, file)
    assert page.downloads() == ["https://digitalarchive.wilsoncenter.org/document/29904/download",
                                file]


def test_a_page_with_text_has_no_preview():
    html = '<h1 class="title">T</h1><div class="tab-pane active"><p>Text.</p></div>'
    assert DocumentPage.from_html(html, URL).preview() is None


def test_tabs_inside_tabs_give_the_shown_languages_text_without_the_language_buttons():
    html = ('<h1 class="title">T</h1><div class="tab-content"><div class="tab-pane active">'
            '<ul class="nav nav-pills"><li><button class="nav-link active">English</button></li>'
            '<li><button class="nav-link">Korean</button></li></ul><div class="tab-content">'
            '<div class="tab-pane">Korean text.</div><div class="tab-pane active"><p>English '
            'text.</p></div></div></div><div class="tab-pane"><p>Original.</p></div></div>')
    assert DocumentPage.from_html(html, URL).text() == "English text."
