from harvester.assemble import add_topic, record_order
from harvester.items import Document


def test_membership_is_added_once_and_completes_a_pill_without_slug():
    document = Document(topics=[{"slug": None, "title": "Korean War"},
                                {"slug": "kim", "title": "Kim"}])
    add_topic(document, {"slug": "war", "title": "Korean War"})
    add_topic(document, {"slug": "kim", "title": "Kim"})
    add_topic(document, {"slug": "cold", "title": "Cold War"})
    assert document.topics == [{"slug": "war", "title": "Korean War"},
                               {"slug": "kim", "title": "Kim"},
                               {"slug": "cold", "title": "Cold War"}]


def test_record_ids_sort_as_numbers():
    assert sorted(["300001", "99999", "110360"], key=record_order) == ["99999", "110360", "300001"]
