"""Every field of every saved document page against its hand-checked expected record."""

import pytest

from harvester.items import fields_of
from harvester.pages.document import DocumentPage, MissingField
from tests.conftest import PROVENANCE, document_pages, expected_for, load_json, url_of

FIELDS = [f for f in fields_of("document") if f not in PROVENANCE]
CASES = [(page, load_json(expected_for(page))) for page in document_pages()]
VALID = [(p, e) for p, e in CASES if "reject" not in e]
REJECTS = [(p, e) for p, e in CASES if "reject" in e]


def page_object(page) -> DocumentPage:
    return DocumentPage.from_html(page.read_bytes(), url_of(page))


def test_the_mirror_has_enough_document_pages():
    assert len(VALID) >= 15 and REJECTS


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
