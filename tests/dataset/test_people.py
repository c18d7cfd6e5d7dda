"""The people index built from small hand-made documents: keys, merged name forms and terms,
roles, dates, what a person's own page adds."""

from harvester.dataset.people import build_people_index, people_index


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


def test_key_is_the_slug_when_known_else_the_term_id_else_the_normalised_name():
    alone = [person("Kim, Il Sung", slug="kim-il-sung"), person("Mao, Zedong", id=39915),
             person("Romanian Communist Party. Central Committee")]
    index = build_people_index([document("1", alone)])
    assert [index.key_of(p) for p in alone] == [
        "slug:kim-il-sung", "id:39915", "name:romanian communist party central committee"]


def test_a_name_under_a_slug_a_term_and_no_link_is_one_entry_with_every_form_an_alias():
    # The bundled mirror's Kim Il Sung: a slug, the term 40011 and the term 87212 uninverted.
    index = people_index([
        document("110360", [person("Kim, Il Sung", id=40011)]),
        document("114078", [person("Kim, Il Sung", slug="kim-il-sung")]),
        document("122604", [person("Kim Il Sung", id=87212)]),
        document("300412", [person("Kim, Il Sung", slug="kim-il-sung")]),
        document("300975", [person("Kim Il Sung")]),
    ])
    assert [(e["key"], e["slug"], e["ids"], e["name"], e["aliases"], e["record_ids"])
            for e in index] == [
        ("slug:kim-il-sung", "kim-il-sung", [40011, 87212], "Kim, Il Sung", ["Kim Il Sung"],
         ["110360", "114078", "122604", "300412", "300975"])]


def test_life_dates_and_accents_do_not_split_a_person():
    index = people_index([
        document("1", [person("Stalin, Joseph, 1878-1953", id=39830)]),
        document("2", [person("Stalin, Joseph", slug="stalin-joseph")]),
        document("3", [person("Ceaușescu, Nicolae", id=40512)]),
        document("4", [person("Ceausescu, Nicolae")]),
    ])
    assert [(e["key"], e["ids"], e["name"], e["aliases"]) for e in index] == [
        ("id:40512", [40512], "Ceaușescu, Nicolae", ["Ceausescu, Nicolae"]),
        ("slug:stalin-joseph", [39830], "Stalin, Joseph, 1878-1953", ["Stalin, Joseph"])]


def test_two_slugs_stay_two_entries_and_a_term_that_could_be_either_stays_apart():
    index = people_index([document("1", [person("Kim, Il", slug="kim-il"),
                                         person("Kim, Il", slug="kim-il-0"),
                                         person("Kim, Il", id=5)])])
    assert [e["key"] for e in index] == ["id:5", "slug:kim-il", "slug:kim-il-0"]


def test_terms_sharing_a_name_without_a_slug_are_keyed_by_the_smallest_term_id():
    index = people_index([document("1", [person("Kim Il Sung", id=87212),
                                         person("Kim, Il Sung", id=40011)])])
    assert [(e["key"], e["ids"], e["slug"]) for e in index] == [
        ("id:40011", [40011, 87212], None)]


def test_a_word_order_is_never_guessed():
    index = people_index([document("1", [person("Stalin, Joseph", id=1),
                                         person("Joseph Stalin", id=2)])])
    assert [e["key"] for e in index] == ["id:2", "id:1"]


def test_one_term_shown_in_two_forms_is_one_entry_named_by_its_commonest_form():
    index = people_index([
        document("3", [person("Stalin, I.V.", id=7)]),
        document("1", [person("Stalin, Joseph", id=7)]),
        document("2", [person("Stalin, Joseph", id=7)]),
    ])
    assert [(e["key"], e["name"], e["aliases"], e["record_ids"]) for e in index] == [
        ("id:7", "Stalin, Joseph", ["Stalin, I.V."], ["1", "2", "3"])]


def test_a_tie_between_forms_goes_to_the_form_of_the_lowest_record_id():
    index = people_index([document("20", [person("B form", id=1)]),
                          document("10", [person("A form", id=1)])])
    assert (index[0]["name"], index[0]["aliases"]) == ("A form", ["B form"])


def test_roles_count_documents_and_a_document_counts_once():
    index = people_index([
        document("1", [person("X", "author", 5), person("X", "associated", 5)]),
        document("2", [person("X", "author", 5)]),
    ])
    assert (index[0]["roles"], index[0]["document_count"]) == (
        {"author": 2, "associated": 1, "contributor": 0}, 2)


def test_date_span_takes_the_outer_bounds_and_ignores_undated_documents():
    index = people_index([
        document("1", [person("X", id=1)], "1950-04-01", "1950-04-30"),
        document("2", [person("X", id=1)], "1949-03-05"),
        document("3", [person("X", id=1)]),
    ])
    assert (index[0]["first_date"], index[0]["last_date"]) == ("1949-03-05", "1950-04-30")
    undated = people_index([document("3", [person("Y", id=2)])])
    assert (undated[0]["first_date"], undated[0]["last_date"]) == (None, None)


def test_entries_sort_by_display_name_case_blind_then_smallest_id():
    index = people_index([document("1", [
        person("b", id=3, display="beta"), person("A", id=2, display="Alpha"),
        person("c", id=1, display="alpha"), person("Z", display="alpha")])])
    assert [e["key"] for e in index] == ["id:2", "id:1", "name:z", "id:3"]


def test_a_persons_own_page_fills_life_dates_and_description_by_slug():
    index = people_index(
        [document("1", [person("Kim, Il Sung", slug="kim-il-sung"), person("Mao, Zedong", id=1)])],
        details={"kim-il-sung": {"life_dates": "1912-1994", "description": "Leader of the DPRK."}})
    assert [(e["key"], e["life_dates"], e["description"]) for e in index] == [
        ("slug:kim-il-sung", "1912-1994", "Leader of the DPRK."), ("id:1", None, None)]
