"""People's own pages (`/people/<slug>`): the fixture pages against their hand-checked values,
one field at a time, and the other forms of life dates, labels and descriptions the page
object reads, each in a page of its own."""

import pytest

from harvester.inspect import parse_saved_page
from harvester.pages.life_dates import life_dates, only_life_dates, split_name, year_of
from harvester.pages.person import PersonPage
from tests.helpers.pages import expected_for, load_json, url_of, variant_pages

PEOPLE = [(p, load_json(expected_for(p))) for p in variant_pages("people")]
FIELDS = ["slug", "name", "life_dates", "description"]
URL = "https://digitalarchive.wilsoncenter.org/people/jaruzelski-wojciech"


def test_there_is_a_fixture_of_each_shape():
    assert [p.stem for p, _ in PEOPLE] == ["gromyko-andrei-andreevich", "kim-il-sung",
                                           "stalin-joseph", "workers-party-korea"]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(("page", "expected"), PEOPLE, ids=[p.stem for p, _ in PEOPLE])
def test_person_page_field(page, expected, field):
    person = PersonPage.from_html(page.read_bytes(), url_of(page))
    assert getattr(person, field)() == expected[field]


@pytest.mark.parametrize(("page", "expected"), PEOPLE, ids=[p.stem for p, _ in PEOPLE])
def test_the_parse_command_gives_each_person_pages_values_with_its_url(page, expected):
    assert parse_saved_page(page, url_of(page)) == (expected, True)


def page(main: str, chrome: str = "") -> PersonPage:
    return PersonPage.from_html(f"<html><body>{chrome}<main>{main}</main></body></html>", URL)


def test_a_born_only_line_under_the_name_is_a_birth_year():
    person = page("<h1>Jaruzelski, Wojciech</h1><p>b. 1923</p><p>Polish general.</p>")
    assert (person.name(), person.life_dates(), person.description()) == (
        "Jaruzelski, Wojciech", "b. 1923", "Polish general.")


def test_a_drupal_field_labelled_born_gives_the_year_of_its_date():
    person = page('<h1 class="title">Jaruzelski, Wojciech</h1>'
                  '<div class="field field--name-field-born field--label-inline">'
                  '<div class="field__label">Born</div>'
                  '<div class="field__item">6 July 1923, Kurów</div></div>'
                  '<div class="field field--name-field-note"><p>First Secretary from 1981.</p>'
                  "</div>")
    assert (person.life_dates(), person.description()) == ("b. 1923", "First Secretary from 1981.")


def test_a_definition_list_of_life_dates_is_read_and_kept_out_of_the_description():
    person = page("<h1>Jaruzelski, Wojciech</h1><dl><dt>Life Dates:</dt><dd><p>1923–2014</p>"
                  "</dd><dt>Country</dt><dd><p>Poland</p></dd></dl>"
                  "<p>Polish general and politician.</p>")
    assert (person.life_dates(), person.description()) == ("1923-2014",
                                                           "Polish general and politician.")


def test_bold_labels_give_born_and_died_and_their_lines_are_not_the_description():
    person = page("<h1>Jaruzelski, Wojciech</h1><p><strong>Born:</strong> July 6, 1923</p>"
                  "<p><strong>Died:</strong> May 25, 2014</p>"
                  "<p><strong>Wojciech Jaruzelski</strong> led Poland from 1981 to 1990.</p>")
    assert (person.life_dates(), person.description()) == (
        "1923-2014", "Wojciech Jaruzelski led Poland from 1981 to 1990.")


def test_a_labelled_range_of_whole_dates_gives_both_years():
    person = page('<h1>Jaruzelski, Wojciech</h1><div class="information-block">'
                  '<h3 class="sub-title">Life Dates</h3><div class="text">July 6, 1923 – May 25, '
                  "2014</div></div>")
    assert person.life_dates() == "1923-2014"


def test_an_element_classed_for_life_dates_is_read_wherever_it_is():
    person = page('<div class="person-card"><span class="person__life">(ca. 1890–1953?)</span>'
                  "</div><h1>Somebody</h1>")
    assert person.life_dates() == "ca. 1890-1953?"


def test_the_menus_life_dates_and_paragraphs_are_never_the_persons():
    chrome = ('<div class="mega-menu"><a class="card card--person" href="/people/kim-il-sung">'
              '<h3 class="card-title">Kim Il Sung</h3><p class="card--person__life">(1912-1994)'
              "</p><p>Founder of the DPRK.</p></a></div>")
    person = page('<h1 class="title">Poland. Ministry of Foreign Affairs</h1>', chrome)
    assert (person.name(), person.life_dates(), person.description()) == (
        "Poland. Ministry of Foreign Affairs", None, None)


def test_years_in_the_description_or_the_documents_are_not_life_dates():
    person = page('<h1 class="title">Jaruzelski, Wojciech</h1><div class="text-block"><p>Prime '
                  "Minister 1981-1985.</p></div><h2>Documents</h2><div class=\"views-row\">"
                  '<a href="/document/note-conversation">Note</a><p>(1923-2014)</p></div>')
    assert (person.life_dates(), person.description()) == (None, "Prime Minister 1981-1985.")


def test_a_page_without_a_heading_has_no_name():
    person = page("<p>(1912-1994)</p><p>Some text.</p>")
    assert (person.name(), person.details()["name"]) == (None, None)


@pytest.mark.parametrize(("text", "expected"), [
    ("(1912-1994)", "1912-1994"), ("1912–1994", "1912-1994"), ("1912 — 1994", "1912-1994"),
    ("b. 1912", "b. 1912"), ("Born 1912", "b. 1912"), ("d. 1994", "d. 1994"),
    ("(1912–)", "b. 1912"), ("born 1878, died 1953", "1878-1953"),
    ("c. 1890-1953?", "ca. 1890-1953?"), ("April 15, 1912 – July 8, 1994", "1912-1994"),
    ("1912-04-15", None), ("Leader of Korea", None), ("", None),
])
def test_life_dates_in_their_one_form(text, expected):
    assert life_dates(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("(1912–1994)", "1912-1994"), ("b. 1912", "b. 1912"),
    ("Born 1912 in Mangyongdae", None), ("Kim Il Sung (1912-1994)", None),
])
def test_only_a_line_of_nothing_but_dates_is_taken_near_a_name(text, expected):
    assert only_life_dates(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("December 18, 1878", "1878"), ("18.12.1878", "1878"), ("1878-12-18", "1878"),
    ("Dec. 1878", "1878"), ("unknown", None),
])
def test_the_year_of_a_whole_date(text, expected):
    assert year_of(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Kim Il Sung (1912-1994)", ("Kim Il Sung", "1912-1994")),
    ("Stalin, Joseph, 1878-1953", ("Stalin, Joseph", "1878-1953")),
    ("Satō, Eisaku, b. 1901", ("Satō, Eisaku", "b. 1901")),
    ("Chiang, Ching-kuo (Jiang Jingguo)", ("Chiang, Ching-kuo (Jiang Jingguo)", None)),
    ("Korea (North). Embassy (Soviet Union)", ("Korea (North). Embassy (Soviet Union)", None)),
    ("Workers' Party of Korea", ("Workers' Party of Korea", None)),
])
def test_a_heading_loses_only_the_life_dates_it_ends_in(text, expected):
    assert split_name(text) == expected
