"""A captured page is of the current site when it has an information block anywhere."""

from harvester.pages.document import DocumentPage
from harvester.sources.selection import is_current_layout

URL = "https://digitalarchive.wilsoncenter.org/document/a-page"


def page(body: str) -> DocumentPage:
    return DocumentPage.from_html(f"<html><body>{body}</body></html>", URL)


def test_an_information_block_in_the_content_makes_a_current_page():
    assert is_current_layout(page('<main><h1>T</h1><div class="x information-block">'
                                  '<h3>Record ID</h3><p>1</p></div></main>'))


def test_an_information_block_only_in_the_chrome_counts_too():
    assert is_current_layout(page('<h1>T</h1><footer><div class="information-block">'
                                  '</div></footer>'))


def test_a_page_without_one_is_of_the_old_site():
    assert not is_current_layout(page('<h1>T</h1><div class="information">x</div>'
                                      '<div class="information-blocks">y</div>'))


def test_a_class_token_is_read_as_xpath_reads_it():
    # A form feed is not space to XPath's normalize-space(), so this is one token.
    assert not is_current_layout(page('<h1>T</h1><div class="a\x0cinformation-block">x</div>'))
    assert is_current_layout(page('<h1>T</h1><div class="a\tinformation-block">x</div>'))
