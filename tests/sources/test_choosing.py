"""Choosing a URL's capture on a real state store, without a crawl: newest first, bounded,
one fetch per payload, and resumable. The walk that runs the choices is tested in
tests/spiders/test_walk.py."""

import re
from dataclasses import replace
from pathlib import Path

import pytest

from harvester.capture import outcomes
from harvester.capture.outcomes import DIGEST_MISMATCHES
from harvester.capture.rows import Answer, Capture, sha1_digest
from harvester.sources import selection
from harvester.sources.choosing import choose, summary
from harvester.state.captures import CaptureLedger
from tests.helpers.ledgers import census_ledger
from tests.helpers.pages import BASE, SITE

KEY = f"{BASE}/document/journal-soviet-ambassador-dprk-am-puzanov-7-september-1960"
PAGE = (SITE / "document" / "journal-soviet-ambassador-dprk-am-puzanov-7-september-1960.html"
        ).read_bytes()
CUT = PAGE[:len(PAGE) // 2]
CEAUSESCU = "notes-talks-between-nicolae-ceausescu-and-kim-il-sung"
CEAUSESCU_PAGE = (SITE / "document" / f"{CEAUSESCU}.html").read_bytes()


def capture(timestamp: str, body: bytes, status: int = 200) -> Capture:
    return Capture(location=f"/web/{timestamp}id_/{KEY}", key=KEY, kind="document",
                   timestamp=timestamp, original=KEY, status=status, mimetype="text/html",
                   digest=sha1_digest(body + timestamp.encode()))


def ledger(tmp_path: Path, captures: list[Capture]) -> CaptureLedger:
    return census_ledger(tmp_path, captures, "/document/")


def run(found: CaptureLedger, answers: dict[str, bytes], limit: int = 5):
    """Drive a choice as a source would; (what it fetched, the choice)."""
    chooser = choose(found, KEY, "document", selection.read_document,
                     lambda c, a: selection.judge(c, a, BASE, BASE), lambda c: None, limit)
    fetched, answer = [], None
    try:
        while True:
            asked = chooser.send(answer)
            fetched.append(asked.timestamp)
            answer = Answer(200, {"content-type": "text/html"}, answers[asked.timestamp])
    except StopIteration as done:
        return fetched, done.value


def test_newest_first_and_the_first_whole_page_wins(tmp_path):
    found = ledger(tmp_path, [capture("20240101000000", PAGE), capture("20250101000000", CUT),
                              capture("20230101000000", PAGE)])
    fetched, choice = run(found, {"20250101000000": CUT, "20240101000000": PAGE})
    assert fetched == ["20250101000000", "20240101000000"]
    assert choice.verdict.outcome == outcomes.USED
    assert (choice.capture.timestamp, choice.page.record_id) == ("20240101000000", "115630")
    assert choice.skipped == {outcomes.TRUNCATED: 1}


def test_a_url_is_given_up_after_the_fetches_allowed(tmp_path):
    stamps = [f"202{n}0101000000" for n in range(7)]
    found = ledger(tmp_path, [capture(s, CUT) for s in stamps])
    fetched, choice = run(found, dict.fromkeys(stamps, CUT), limit=3)
    assert fetched == sorted(stamps, reverse=True)[:3]
    assert choice.gave_up and choice.verdict is None
    assert summary(choice) == ("no usable capture (3 truncated); gave up after the maximum "
                               "number of fetches")


def test_a_resumed_choice_never_fetches_a_judged_capture_again(tmp_path):
    found = ledger(tmp_path, [capture("20250101000000", CUT), capture("20240101000000", CUT),
                              capture("20230101000000", PAGE)])
    chooser = choose(found, KEY, "document", selection.read_document,
                     lambda c, a: selection.judge(c, a, BASE, BASE), lambda c: None, 2)
    first = chooser.send(None)
    chooser.send(Answer(200, {"content-type": "text/html"}, CUT))  # judged, then "killed"
    assert first.timestamp == "20250101000000"
    fetched, choice = run(found, {"20240101000000": CUT, "20230101000000": PAGE}, limit=2)
    assert fetched == ["20240101000000"]   # the judged one is not asked again ...
    assert choice.gave_up                  # ... and counts against the bound


def test_a_choice_taken_up_again_names_its_newest_skip_as_one_never_interrupted(tmp_path):
    """The newest capture has no title; the run is killed once it is judged. The choice made
    again by the resumed run (a new ledger over the state) fetches only the older capture, and
    its reject says what the newest fetched lacked, with the field, as it would have."""
    untitled = re.sub(rb"<h1[^>]*>.*?</h1>", b"", PAGE, flags=re.S)
    captures = [capture("20250101000000", untitled), capture("20240101000000", CUT)]
    answers = {"20250101000000": untitled, "20240101000000": CUT}
    _, whole = run(ledger(tmp_path / "whole", captures), answers)
    found = ledger(tmp_path / "killed", captures)
    chooser = choose(found, KEY, "document", selection.read_document,
                     lambda c, a: selection.judge(c, a, BASE, BASE), lambda c: None, 5)
    chooser.send(None)
    chooser.send(Answer(200, {"content-type": "text/html"}, untitled))  # judged, then "killed"

    fetched, again = run(CaptureLedger(found.store, found.run_id), answers)

    assert fetched == ["20240101000000"]
    assert summary(whole) == summary(again) == (
        "no usable capture (1 not a valid page, 1 truncated); the newest fetched: no document "
        "title (h1) on the page")
    assert again.newest_skip == whole.newest_skip == selection.Verdict(
        outcomes.NOT_A_PAGE, detail="no document title (h1) on the page", field="title")


def test_a_ledger_opened_again_knows_what_the_one_before_tried(tmp_path):
    """A resumed run opens a new ledger over the state. What it keeps in memory of the tries
    (which URLs and payloads it may answer for without asking the table) comes from the table,
    so it answers as the ledger that noted them; a URL and a payload nothing tried are
    answered as never tried."""
    cut = replace(capture("20250101000000", CUT), digest=sha1_digest(CUT))
    found = ledger(tmp_path, [cut, capture("20240101000000", PAGE)])
    chooser = choose(found, KEY, "document", selection.read_document,
                     lambda c, a: selection.judge(c, a, BASE, BASE), lambda c: None, 2)
    chooser.send(None)
    chooser.send(Answer(200, {"content-type": "text/html"}, CUT))  # judged, then "killed"
    again = CaptureLedger(found.store, found.run_id)

    for known in (found, again):
        assert known.fetches(KEY) == 1
        assert known.skips(KEY) == {outcomes.TRUNCATED: 1}
        assert known.shared_unfetched(KEY) == []
        assert known.digest_outcome(sha1_digest(CUT)) == (outcomes.TRUNCATED, None)
        assert known.digest_outcome(sha1_digest(PAGE)) is None
        assert (known.fetches(f"{BASE}/document/1"), known.skips(f"{BASE}/document/1")) == (0, {})
    assert [c.timestamp for c in again.untried(KEY)] == ["20240101000000"]


# -- redirects are addresses, never payloads ---------------------------------------------------
# Every captured redirect's body is empty, so every one has the digest of b"":
# `3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ`, whether it is indexed `unk 301` or `text/html 302`, or
# listed as a `warc/revisit` (wayback-recordings/test_search_with_date.txt).
EMPTY = "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"
PUZANOV, SHTYKOV = "journal-soviet-ambassador-dprk-am-puzanov-7-september-1960", \
    "telegram-shtykov-gromyko-and-stalin-0"


def redirect(path: str, timestamp: str, status: int = 301, mimetype: str = "unk",
             original: str | None = None, revisit: bool = False) -> Capture:
    key = f"{BASE}{path}"
    return Capture(location=f"/web/{timestamp}id_/{original or key}", key=key, kind="document",
                   timestamp=timestamp, original=original or key,
                   status=None if revisit else status,
                   mimetype="warc/revisit" if revisit else mimetype, digest=EMPTY,
                   revisit=revisit)


def drive(found: CaptureLedger, key: str, answers: dict[str, Answer]):
    """A choice for `key`, answered by capture location; (what it fetched, the choice)."""
    chooser = choose(found, key, "document", selection.read_document,
                     lambda c, a: selection.judge(c, a, BASE, BASE),
                     selection.census_type_skip, 5)
    fetched, answer = [], None
    try:
        while True:
            asked = chooser.send(answer)
            fetched.append(asked.location)
            answer = answers[asked.location]
    except StopIteration as done:
        return fetched, done.value


def test_redirects_with_one_digest_each_lead_to_their_own_target(tmp_path):
    first = redirect("/document/110360", "20240115093000")
    second = redirect("/document/300188", "20240115093000", status=302, mimetype="text/html")
    again = redirect("/document/300188", "20250301120000", revisit=True)
    found = ledger(tmp_path, [first, second, again])
    moved = {first.location: Answer(301, moved_to=f"{BASE}/document/{PUZANOV}"),
             again.location: Answer(301, moved_to=f"{BASE}/document/{SHTYKOV}")}
    fetched, choice = drive(found, first.key, moved)
    assert fetched == [first.location]
    assert (choice.verdict.outcome, choice.verdict.target) == (
        outcomes.MOVED, f"{BASE}/document/{PUZANOV}")
    # The second URL's redirects are fetched though their digest was already judged.
    fetched, choice = drive(found, second.key, moved)
    assert fetched == [again.location]
    assert (choice.verdict.outcome, choice.verdict.target) == (
        outcomes.MOVED, f"{BASE}/document/{SHTYKOV}")
    assert found.digest_outcome(EMPTY) is None


def test_a_redirect_to_another_spelling_of_its_url_is_the_same_page(tmp_path):
    http = redirect(KEY.removeprefix(BASE), "20250101000000",
                    original=KEY.replace("https://", "http://"))
    found = ledger(tmp_path, [http, capture("20240101000000", PAGE)])
    fetched, choice = drive(found, KEY, {
        http.location: Answer(301, moved_to=KEY + "/"),
        f"/web/20240101000000id_/{KEY}": Answer(200, {"content-type": "text/html"}, PAGE)})
    assert fetched == [http.location, f"/web/20240101000000id_/{KEY}"]
    assert (choice.verdict.outcome, choice.page.record_id) == (outcomes.USED, "115630")
    assert choice.skipped == {outcomes.SELF_REDIRECT: 1}


def other_url(page: Capture, slug: str, timestamp: str | None = None) -> Capture:
    """The same row, for another URL (at another time)."""
    key = f"{BASE}/document/{slug}"
    stamp = timestamp or page.timestamp
    return replace(page, location=f"/web/{stamp}id_/{key}", key=key, original=key,
                   timestamp=stamp)


def test_only_a_payload_whose_bytes_have_its_digest_is_another_address(tmp_path):
    """A 2xx with a body whose bytes have the digest of a payload already used is that
    record's page under another address: fetched, to see its bytes, never merged unseen; the
    same body served 403 is judged on its own (its verdict depends on its status too)."""
    page = replace(capture("20240101000000", PAGE), digest=sha1_digest(PAGE))
    other = other_url(page, "other")
    refused = replace(other_url(page, "other", "20250101000000"), status=403)
    found = ledger(tmp_path, [page, other, refused])
    html = {"content-type": "text/html"}
    drive(found, KEY, {page.location: Answer(200, html, PAGE)})
    fetched, choice = drive(found, other.key, {refused.location: Answer(403, html, PAGE),
                                               other.location: Answer(200, html, PAGE)})
    assert fetched == [refused.location, other.location]
    assert (choice.verdict.outcome, choice.verdict.detail) == (outcomes.SAME_PAYLOAD, "115630")
    assert choice.skipped == {outcomes.CLIENT_ERROR: 1}
    assert found.counts(DIGEST_MISMATCHES) == {}


def test_a_digest_the_payload_does_not_have_merges_nothing(tmp_path):
    """The index gives another document's page the digest of a page already used: it is
    fetched, its own page read, and the mismatch counted."""
    page = replace(capture("20240101000000", PAGE), digest=sha1_digest(PAGE))
    impostor = other_url(page, CEAUSESCU)
    found = ledger(tmp_path, [page, impostor])
    html = {"content-type": "text/html"}
    drive(found, KEY, {page.location: Answer(200, html, PAGE)})
    fetched, choice = drive(found, impostor.key, {impostor.location: Answer(
        200, html, CEAUSESCU_PAGE)})
    assert fetched == [impostor.location]
    assert (choice.verdict.outcome, choice.page.record_id) == (outcomes.USED, "119271")
    assert found.counts(DIGEST_MISMATCHES) == {"payload digest does not match the payload": 1}


def test_a_skip_shared_by_digest_alone_is_checked_before_the_url_is_given_up(tmp_path):
    """The index gives a page the digest of a challenge already judged: skipped unfetched
    while the URL has other captures to try, fetched after all when none of them serves."""
    challenge = b"<html><head><title>Just a moment...</title></head><body>" \
                b"<script>window._cf_chl_opt={}</script></body></html>"
    seen = replace(capture("20240101000000", challenge), digest=sha1_digest(challenge))
    lied = other_url(seen, CEAUSESCU, "20250101000000")
    found = ledger(tmp_path, [seen, lied])
    html = {"content-type": "text/html"}
    drive(found, KEY, {seen.location: Answer(200, html, challenge)})
    fetched, choice = drive(found, lied.key, {lied.location: Answer(200, html, CEAUSESCU_PAGE)})
    assert fetched == [lied.location]
    assert (choice.verdict.outcome, choice.page.record_id, choice.skipped) == (
        outcomes.USED, "119271", {})


def test_a_revisit_of_an_empty_body_takes_its_own_urls_capture_only(tmp_path):
    first = redirect("/document/110360", "20240115093000")
    second = redirect("/document/300188", "20240115093000")
    again = redirect("/document/300188", "20250301120000", revisit=True)
    alone = redirect("/document/400400", "20250301120000", revisit=True)
    found = ledger(tmp_path, [first, second, again, alone])
    assert found.payload_of(EMPTY, again.key) == second
    assert found.payload_of(EMPTY, alone.key) is None
    assert found.payload_of(capture("20240101000000", PAGE).digest, KEY) is None


@pytest.mark.parametrize(("status", "mimetype", "revisit", "reason"), [
    (301, "unk", False, None), (302, "text/html", False, None),
    (200, "unk", False, outcomes.NOT_HTML), (200, "application/pdf", False, outcomes.NOT_HTML),
    (None, "warc/revisit", True, None),
])
def test_a_redirect_row_is_fetched_whatever_its_type(status, mimetype, revisit, reason):
    row = replace(redirect("/document/110360", "20240115093000", revisit=revisit),
                  status=status, mimetype=mimetype)
    assert selection.census_type_skip(row) == reason
