"""What people's own pages said, kept in the state by slug: saved, read back for the people
index, and which pages a run is due to read (those its documents link, not read lately)."""

import pytest

from harvester.run.merge import merge_run
from harvester.state.store import StateStore

MAY = "2026-05-01T10:00:00Z"
JUNE = "2026-06-01T10:00:00Z"
KIM = {"slug": "kim-il-sung", "url": "https://a/people/kim-il-sung", "name": "Kim Il Sung",
       "life_dates": "1912-1994", "description": "Leader of the DPRK."}


def person(slug: str, name: str = "X") -> dict:
    return {"id": None, "slug": slug, "name": name, "role": "associated"}


def document(record_id: str, *people: dict) -> dict:
    return {"record_id": record_id, "url": f"https://a/document/d{record_id}",
            "topics": [], "people": list(people)}


@pytest.fixture
def store(tmp_path):
    store = StateStore(tmp_path / "state" / "job.sqlite")
    yield store
    store.close()


def test_a_saved_page_gives_its_details_by_slug(store):
    store.save_person_pages({"kim-il-sung": KIM}, MAY)
    assert store.person_details() == {
        "kim-il-sung": {"life_dates": "1912-1994", "description": "Leader of the DPRK."}}


def test_a_missing_page_is_checked_and_keeps_what_it_said_before(store):
    store.save_person_pages({"kim-il-sung": KIM}, MAY)
    store.save_person_pages({"kim-il-sung": {"url": KIM["url"], "missing": 404},
                             "honecker-erich": {"url": "https://a/people/honecker-erich",
                                                "missing": 410}}, JUNE)
    assert store.person_details() == {
        "honecker-erich": {"life_dates": None, "description": None},
        "kim-il-sung": {"life_dates": "1912-1994", "description": "Leader of the DPRK."}}
    assert store.db.execute("SELECT slug, checked_at FROM person_pages ORDER BY slug"
                            ).fetchall() == [("honecker-erich", JUNE), ("kim-il-sung", JUNE)]


def test_a_run_reads_the_people_its_documents_link_unless_read_since(store):
    store.open_run("job", {}, "r1", MAY, False)
    store.stage_document("r1", document("1", person("kim-il-sung"), person("stalin-joseph")),
                         ["https://a/document/d1"], None, None, MAY)
    store.stage_document("r1", document("2", person("kim-il-sung"),
                                         {**person(None), "id": 40011}), [], None, None, MAY)
    assert store.people_to_read("r1") == ["kim-il-sung", "stalin-joseph"]
    store.save_person_pages({"kim-il-sung": KIM}, MAY)
    assert store.people_to_read("r1", "2026-04-01T00:00:00Z") == ["stalin-joseph"]
    assert store.people_to_read("r1", JUNE) == ["kim-il-sung", "stalin-joseph"]


def test_a_document_found_unchanged_links_its_people_from_the_stored_record(store):
    store.open_run("job", {}, "r1", MAY, False)
    store.stage_document("r1", document("1", person("kim-il-sung")), ["https://a/document/d1"],
                         None, None, MAY)
    merge_run(store, "r1", MAY, {}, False, set())
    store.end_run("r1", "published", MAY)
    store.open_run("job", {}, "r2", JUNE, False)
    store.stage_document("r2", document("2", person("stalin-joseph")), [], None, None, JUNE)
    assert store.people_to_read("r2") == ["stalin-joseph"]
    store.stage_unchanged("r2", "1", JUNE)
    assert store.people_to_read("r2") == ["kim-il-sung", "stalin-joseph"]
