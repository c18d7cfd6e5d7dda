"""Tests for harvester.normalize.names: the RECORDS.md "Person object" rules."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harvester.normalize.names import EAST_ASIAN_FAMILY_NAMES, KINDS, parse_name

KEYS = ["display", "family", "given", "kind"]

ORGANIZATIONS = [
    "Japan. Foreign Ministry. Asian Affairs Bureau",
    "Poland. Embassy (Canada)",
    "Korea (North). Embassy (Soviet Union)",
    "United States. Department of State",
    "Germany (East). Ministerium für Auswärtige Angelegenheiten",
    "Communist Party of the Soviet Union. Central Committee",
    "Workers' Party of Korea",
    "United Nations",
    "Korean People's Army",
    "U.S. Army",
    "Leon Levy Foundation",
    "Carnegie Corporation of New York (CCNY)",
    "German Federal Archives (BArch)",
    "Central Intelligence Agency",
    "United States Air Force",
    "European Union",
    "Chinese People's Volunteers Headquarters",
]

# name, display, family, given
PERSONS = [
    ("Nehru, Jawaharlal", "Jawaharlal Nehru", "Nehru", "Jawaharlal"),
    ("Hoxha, Enver", "Enver Hoxha", "Hoxha", "Enver"),
    ("Stalin, Joseph", "Joseph Stalin", "Stalin", "Joseph"),
    ("Stalin, Joseph, 1878-1953", "Joseph Stalin", "Stalin", "Joseph"),
    ("Puzanov, A. M.", "A. M. Puzanov", "Puzanov", "A. M."),
    ("Satō, Eisaku", "Eisaku Satō", "Satō", "Eisaku"),
    ("Blair, Anthony Charles Lynton (\"Tony\")", "Anthony Charles Lynton Blair", "Blair",
     "Anthony Charles Lynton"),
    ("Blair, Anthony (“Tony”)", "Anthony Blair", "Blair", "Anthony"),
    ("Blair, Anthony “Tony”", "Anthony Blair", "Blair", "Anthony"),
    ("Blair, Anthony 'Tony'", "Anthony Blair", "Blair", "Anthony"),
    ("Tito, Josip Broz, 1892–1980", "Josip Broz Tito", "Tito", "Josip Broz"),
    ("Smith, John, b. 1921", "John Smith", "Smith", "John"),
    ("Smith, John, d. 1950", "John Smith", "Smith", "John"),
    ("Smith, John 1912–1994", "John Smith", "Smith", "John"),
    ("Smith, John, -1994", "John Smith", "Smith", "John"),
    ("Smith, John, 1921-", "John Smith", "Smith", "John"),
    ("O'Neill, Thomas P.", "Thomas P. O'Neill", "O'Neill", "Thomas P."),
    ("King, Martin Luther, Jr.", "Martin Luther King, Jr.", "King", "Martin Luther"),
    ("Press, Frank", "Frank Press", "Press", "Frank"),  # an organisational word as a surname
    ("St. John, Ronald", "Ronald St. John", "St. John", "Ronald"),
    # East Asian family names keep family-first order
    ("Mao, Zedong", "Mao Zedong", "Mao", "Zedong"),
    ("Mao, Zedong, 1893-1976", "Mao Zedong", "Mao", "Zedong"),
    ("Zhou, Enlai", "Zhou Enlai", "Zhou", "Enlai"),
    ("Kim, Il Sung", "Kim Il Sung", "Kim", "Il Sung"),
    ("Kim, Il-sŏng", "Kim Il-sŏng", "Kim", "Il-sŏng"),
    ("Kim, Il Sung, 1912-1994", "Kim Il Sung", "Kim", "Il Sung"),
    ("Chiang, Ching-kuo (Jiang Jingguo)", "Chiang Ching-kuo", "Chiang", "Ching-kuo"),
    ("Deng, Xiaoping", "Deng Xiaoping", "Deng", "Xiaoping"),
    ("Pak, Hon-yong", "Pak Hon-yong", "Pak", "Hon-yong"),
    ("Ch’oe, Yong-gŏn", "Ch’oe Yong-gŏn", "Ch’oe", "Yong-gŏn"),
    ("Chŏng, Il-kwŏn", "Chŏng Il-kwŏn", "Chŏng", "Il-kwŏn"),
    ("Ho, Chi Minh", "Ho Chi Minh", "Ho", "Chi Minh"),
    ("Pham, Van Dong", "Pham Van Dong", "Pham", "Van Dong"),
    ("Nguyễn, Văn Thiệu", "Nguyễn Văn Thiệu", "Nguyễn", "Văn Thiệu"),
    ("Lee, Hu-rak", "Lee Hu-rak", "Lee", "Hu-rak"),
    ("Lee, Robert E.", "Robert E. Lee", "Lee", "Robert E."),  # initials: Western order
    # person cards may carry a region after the life dates
    ("Kim, Il Sung, 1912-1994 North Korea", "Kim Il Sung", "Kim", "Il Sung"),
]

UNKNOWN = [
    "Kim Il Sung",  # uninverted: never reorder
    "Filippov",
    "Filippov (Stalin)",
    "Feng Xi [Stalin]",
    "Soviet Union",  # a bare state name, like "Japan"
    "Japan",
    "A. M. Puzanov",
    "Dr. Kim",
    "Stalin, 1878-1953",  # nothing left of the given name
    "Blair, (\"Tony\")",
    "Smith,",
    ", John",
    ",",
    "1950, John",
    "Elizabeth II, Queen of Great Britain, 1926-",  # a title, not a given name
]


def _expected(display, family=None, given=None, kind="unknown"):
    return {"display": display, "family": family, "given": given, "kind": kind}


@pytest.mark.parametrize("name", ORGANIZATIONS)
def test_organizations(name):
    result = parse_name(name)
    assert result == _expected(name, kind="organization")
    assert list(result) == KEYS


@pytest.mark.parametrize(("name", "display", "family", "given_name"), PERSONS)
def test_persons(name, display, family, given_name):
    result = parse_name(name)
    assert result == _expected(display, family, given_name, "person")
    assert list(result) == KEYS


@pytest.mark.parametrize("name", UNKNOWN)
def test_unknown(name):
    result = parse_name(name)
    assert result == _expected(name)
    assert list(result) == KEYS


@pytest.mark.parametrize("name", ["", "   ", "\u00a0", None])
def test_empty(name):
    assert parse_name(name) == _expected("")


def test_whitespace_collapsed():
    assert parse_name("  Nehru,\u00a0 Jawaharlal\n") == _expected(
        "Jawaharlal Nehru", "Nehru", "Jawaharlal", "person")
    assert parse_name("Poland.  Embassy\t(Canada)")["display"] == "Poland. Embassy (Canada)"


def test_nfc():
    result = parse_name("Sato\u0304, Eisaku")
    assert result == _expected("Eisaku Sat\u014d", "Sat\u014d", "Eisaku", "person")


def test_family_name_set():
    assert {"Kim", "Mao", "Zhou", "Chiang", "Nguyen", "Pham"} <= EAST_ASIAN_FAMILY_NAMES
    assert "Sato" not in EAST_ASIAN_FAMILY_NAMES  # Japanese names are shown given-first


@given(st.text())
def test_any_text_gives_the_four_keys(text):
    result = parse_name(text)
    assert list(result) == KEYS
    assert result["kind"] in KINDS
    assert isinstance(result["display"], str)
    if result["kind"] == "person":
        assert result["family"] and result["given"]
    else:
        assert result["family"] is None and result["given"] is None
        assert result["display"] == unicodedata.normalize("NFC", " ".join(text.split()))


@given(st.from_regex(r"[A-Z][a-zō'-]{1,12}, [A-Z][a-z]{1,10}( [A-Z][a-z.]{1,10})?", fullmatch=True))
def test_inverted_names_are_persons(name):
    result = parse_name(name)
    family, given_name = name.split(", ", 1)
    if result["kind"] == "person":
        assert result["family"] == family
        assert result["given"] == given_name
        assert result["display"] in (f"{given_name} {family}", f"{family} {given_name}")
