from harvester.assemble import assemble, record_order
from harvester.items import Document, ListingCounter, Membership, Topic

BASE = "https://digitalarchive.wilsoncenter.org"


def doc(record_id: str, *urls: str, topics=None) -> Document:
    return Document(record_id=record_id, url=urls[-1], title="t", topics=topics or [],
                    reached_from=list(urls))


def test_memberships_resolve_through_redirects_and_merge_topics():
    slugged = doc("110360", f"{BASE}/document/110360", f"{BASE}/document/telegram-shtykov")
    other = doc("300001", f"{BASE}/document/report",
                topics=[{"slug": None, "title": "Korean War"}])
    documents = {"110360": slugged, "300001": other}
    topics = {"kim": Topic(slug="kim", title="Kim"), "war": Topic(slug="war", title="Korean War")}
    memberships = [
        Membership("kim", f"{BASE}/document/110360"),
        Membership("kim", f"{BASE}/document/report"),
        Membership("war", f"{BASE}/document/report"),
        Membership("war", f"{BASE}/document/telegram-shtykov"),
        Membership("kim", f"{BASE}/document/never-fetched"),
    ]
    counters = [ListingCounter("kim", f"{BASE}/search?page=0", 3, 86466),
                ListingCounter("kim", f"{BASE}/search?page=1", 3, 86466)]
    reports = assemble(documents, topics, memberships, counters)

    assert slugged.topics == [
        {"slug": "kim", "title": "Kim"}, {"slug": "war", "title": "Korean War"}]
    # The page's own pill (no slug) is completed, not repeated.
    assert other.topics == [{"slug": "war", "title": "Korean War"}, {"slug": "kim", "title": "Kim"}]
    assert topics["kim"].record_ids == ["110360", "300001"]
    assert topics["kim"].document_count == 3
    assert topics["kim"].topic_id == 86466
    assert topics["war"].record_ids == ["110360", "300001"]
    assert reports["kim"].listed == 3
    assert reports["kim"].unresolved == [f"{BASE}/document/never-fetched"]


def test_record_ids_sort_as_numbers():
    assert sorted(["300001", "99999", "110360"], key=record_order) == ["99999", "110360", "300001"]
