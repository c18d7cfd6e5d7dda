"""The people index built from small hand-made documents: keys, name forms, roles, dates."""

from harvester.dataset.people import people_index, person_key


def person(name: str, role: str = "associated", id: int | None = None, slug: str | None = None,
           **extra) -> dict:
    return {"id": id, "slug": slug, "name": name, "role": role,
            "display": extra.get("display", name),
            "family": extra.get("family"), "given": extra.get("given"),
            "kind": extra.get("kind", "unknown")}


def document(record_id: str, people: list[dict], earliest=None, latest=None) -> dict:
    date = None
    if earliest:
        date = {"original": earliest, "edtf": earliest, "earliest": earliest,
                "latest": latest or earliest, "precision": "day"}
    return {"record_id": record_id, "date": date, "people": people}


def test_key_is_the_slug_when_known_else_the_term_id_else_the_name():
    assert person_key(person("Kim, Il Sung", slug="kim-il-sung")) == "slug:kim-il-sung"
    assert person_key(person("Kim Il Sung", id=87212)) == "id:87212"
    assert person_key(person("Kim Il Sung")) == "name:Kim Il Sung"


def test_an_entry_keyed_by_slug_carries_the_slug_and_no_term_id():
    index = people_index([document("2", [person("Stalin, Joseph, 1878-1953",
                                                slug="stalin-joseph")]),
                          document("1", [person("Stalin, Joseph", slug="stalin-joseph")])])
    assert [(e["key"], e["id"], e["slug"], e["name"], e["names"], e["record_ids"])
            for e in index] == [("slug:stalin-joseph", None, "stalin-joseph", "Stalin, Joseph",
                                 ["Stalin, Joseph", "Stalin, Joseph, 1878-1953"], ["1", "2"])]


def test_one_term_shown_in_two_forms_is_one_entry_named_by_its_commonest_form():
    index = people_index([
        document("3", [person("Stalin, I.V.", id=7)]),
        document("1", [person("Stalin, Joseph", id=7)]),
        document("2", [person("Stalin, Joseph", id=7)]),
    ])
    assert [(e["key"], e["name"], e["names"], e["record_ids"]) for e in index] == [
        ("id:7", "Stalin, Joseph", ["Stalin, Joseph", "Stalin, I.V."], ["1", "2", "3"])]


def test_a_tie_between_forms_goes_to_the_form_of_the_lowest_record_id():
    index = people_index([document("20", [person("B form", id=1)]),
                          document("10", [person("A form", id=1)])])
    assert index[0]["names"] == ["A form", "B form"]


def test_roles_count_documents_and_a_document_counts_once():
    index = people_index([
        document("1", [person("X", "author", 5), person("X", "associated", 5)]),
        document("2", [person("X", "author", 5)]),
    ])
    assert (index[0]["roles"], index[0]["document_count"]) == (
        {"author": 2, "associated": 1, "contributor": 0}, 2)


def test_the_same_name_under_a_slug_a_term_and_no_link_stays_three_entries():
    index = people_index([document("1", [person("Party", id=9), person("Party"),
                                         person("Party", slug="party")])])
    assert [e["key"] for e in index] == ["id:9", "name:Party", "slug:party"]


def test_date_span_takes_the_outer_bounds_and_ignores_undated_documents():
    index = people_index([
        document("1", [person("X", id=1)], "1950-04-01", "1950-04-30"),
        document("2", [person("X", id=1)], "1949-03-05"),
        document("3", [person("X", id=1)]),
    ])
    assert (index[0]["first_date"], index[0]["last_date"]) == ("1949-03-05", "1950-04-30")
    undated = people_index([document("3", [person("Y", id=2)])])
    assert (undated[0]["first_date"], undated[0]["last_date"]) == (None, None)


def test_entries_sort_by_display_name_case_blind_then_id():
    index = people_index([document("1", [
        person("b", id=3, display="beta"), person("A", id=2, display="Alpha"),
        person("a", id=1, display="alpha"), person("Z", display="alpha")])])
    assert [e["key"] for e in index] == ["id:2", "id:1", "name:Z", "id:3"]
