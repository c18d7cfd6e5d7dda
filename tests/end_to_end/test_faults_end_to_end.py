"""Every fault the mirror can inject, as a real crawl (`harvester crawl` in a subprocess) of the
bundled mirror through the faulty server. The scenarios and the crawl are in
tests/helpers/faulty_crawls.py; that the cache never keeps a faulty answer is in test_faults_cache.

A survivable fault must end with exactly the records of a fault-free crawl; a fault that lasts
on one document with exactly those records less that document, plus a reject saying why; a fault
that must stop the run with the right reason, exit code 1, and the previous run untouched.
docs/RELIABILITY.md is checked against these results. The crawls run a few at a time: most of
their time is spent waiting out back-offs.

Nothing here depends on how fast the machine is: no answer of the mirror comes near the download
timeout unless a scenario makes the server hold it back for far longer than the timeout, and
every check of time is a lower bound that the harvester's own waiting guarantees."""

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.helpers.faulty_crawls import (
    BY_NAME,
    CIPHERED,
    LASTING_SETTINGS,
    LISTING,
    SCENARIOS,
    STALIN,
    STALIN49,
    STOP_ADVICE,
    ZHIVKOV,
    Result,
    Scenario,
    crawl,
    published,
    snapshot,
)
from tests.helpers.pages import BASE, ROOT


@pytest.fixture(scope="module")
def results(reference, tmp_path_factory) -> dict[str, Result]:
    """Each scenario's crawl; the lasting faults share one crawl, one document each."""
    lasting = [s for s in SCENARIOS if s.kind == "rejects"]
    crawls = {s.name: (s.spec, s.settings, s.kind == "stops") for s in SCENARIOS
              if s.kind != "rejects"}
    crawls["lasting"] = ("; ".join(s.spec for s in lasting), LASTING_SETTINGS, False)

    def run(name: str) -> Result:
        spec, settings, over_a_good_run = crawls[name]
        out = tmp_path_factory.mktemp(name)
        if over_a_good_run:  # the last good run must survive a stopped one
            shutil.rmtree(out)
            shutil.copytree(reference, out, symlinks=True)
        return crawl(spec, out, settings)

    with ThreadPoolExecutor(max_workers=4) as pool:
        done = dict(zip(crawls, pool.map(run, crawls), strict=True))
    return {s.name: done["lasting" if s.kind == "rejects" else s.name] for s in SCENARIOS}


def names(kind: str) -> list[str]:
    return [s.name for s in SCENARIOS if s.kind == kind]


@pytest.mark.parametrize("name", names("survives"))
def test_survivable_fault_ends_with_exactly_the_fault_free_records(name, results, reference):
    result = results[name]
    assert result.code == 0, result.stderr
    # Retries make the number of requests vary with the fault; what was published does not.
    assert re.fullmatch(rf"harvester: published {re.escape(str((result.out / 'latest').resolve()))}"
                        r": 19 documents, 1 topic, 1 reject, \d+ requests; 19 added, 0 changed, "
                        r"0 removed", result.last_line), result.last_line
    assert published(result.out) == published(reference)
    assert any(hit.fault for hit in result.hits), "the fault never happened"


@pytest.mark.parametrize("name", names("rejects"))
def test_lasting_fault_on_a_document_is_a_reject_that_says_why(name, results):
    scenario, result = BY_NAME[name], results[name]
    url = BASE + scenario.target
    port = result.base.rsplit(":", 1)[1]
    reason = scenario.reject.format(base=result.base, port=port)
    assert {"url": url, "reason": reason, "field": None} in published(result.out)["rejects"]
    assert url not in [d["url"] for d in published(result.out)["documents"]]


def test_lasting_faults_lose_only_their_documents_and_count_them(results, reference):
    result = results["503-for-good"]
    assert result.code == 0, result.stderr
    got, want = published(result.out), published(reference)
    faulty = {BASE + s.target for s in SCENARIOS if s.kind == "rejects"}
    assert got["documents"] == [d for d in want["documents"] if d["url"] not in faulty]
    kept = [d["record_id"] for d in got["documents"]]
    assert got["topics"] == [{**t, "record_ids": [r for r in t["record_ids"] if r in kept]}
                             for t in want["topics"]]
    assert sorted(r["url"] for r in got["rejects"]) == sorted(
        [r["url"] for r in want["rejects"]] + list(faulty))
    manifest = json.loads((result.out / "latest" / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["rejects"] == len(faulty) + len(want["rejects"])


@pytest.mark.parametrize("name", names("stops"))
def test_fault_that_must_stop_the_run_stops_it_and_keeps_the_last_good_run(name, results,
                                                                           reference):
    scenario, result = BY_NAME[name], results[name]
    assert result.code == 1, result.stderr
    keeps = f"; the last good run is still {(result.out / 'latest').resolve()}"
    assert result.last_line.startswith("harvester: run not published: ")
    assert result.last_line.endswith(keeps)
    if scenario.reason:
        assert result.last_line.startswith(
            f"harvester: run not published: crawl stopped ({scenario.reason}): ")
        assert STOP_ADVICE[scenario.reason] in result.last_line
    assert snapshot(result.out) == snapshot(reference)
    assert not [p for p in result.out.iterdir() if p.name.startswith(".") and "partial" in p.name]


def gap_after_fault(result: Result, target: str) -> float:
    """Seconds between the faulty answer for `target` and the next request for it."""
    hits = [hit for hit in result.hits if hit.target == target]
    assert hits[0].fault and not hits[1].fault
    return hits[1].at - hits[0].at


def test_retry_after_in_seconds_is_waited_out(results):
    result = results["429-retry-after-seconds"]
    faults = [n for n, hit in enumerate(result.hits) if hit.fault]
    assert len(faults) == len({result.hits[n].target for n in faults}) >= 2
    for target in {result.hits[n].target for n in faults}:
        assert gap_after_fault(result, target) >= 1.0
    # The whole download slot waits, not only the page that got the 429: whatever page the
    # crawl asks for next comes a full second later.
    for n in faults:
        assert result.hits[n + 1].at - result.hits[n].at >= 1.0, result.hits[n].target


def test_retry_after_as_a_date_is_waited_out(results):
    # The date has whole seconds: "now + 2 s" leaves between 1 and 2 seconds to wait.
    assert gap_after_fault(results["429-retry-after-date"], CIPHERED) >= 1.0


def test_retry_after_on_a_503_is_waited_out(results):
    assert gap_after_fault(results["503-retry-after"], STALIN49) >= 1.0


def test_a_challenge_is_asked_again_only_after_the_pause(results):
    result = results["challenges-now-and-then"]
    assert gap_after_fault(result, STALIN) >= 0.3
    assert gap_after_fault(result, CIPHERED) >= 0.3


def test_a_redirect_to_another_host_is_never_followed(results):
    # The other host name points at the same server: a followed redirect would show here.
    assert [hit.fault for hit in results["redirect-to-another-host"].hits
            if hit.target == ZHIVKOV] == ["redirect-offsite"]


def test_a_robots_txt_that_forbids_everything_stops_before_any_page(results):
    for name in ("robots-503", "robots-challenge", "robots-unreachable"):
        assert {hit.target for hit in results[name].hits} == {"/robots.txt"}, name


def test_messages_name_what_happened(results):
    assert "robots.txt answered HTTP 503 after 4 attempts;" in results["robots-503"].last_line
    assert "robots.txt was answered with a bot challenge (cf-mitigated: challenge);" in \
        results["robots-challenge"].last_line
    assert "bot challenge (window._cf_chl_opt)" in results["challenges-200"].last_line
    assert "the archive asked to wait 3600 s (Retry-After)" in \
        results["retry-after-over-the-cap"].last_line
    assert f"429 Too Many Requests 4 times in a row for {results['429-for-ever'].base}{STALIN}" \
        in results["429-for-ever"].last_line
    assert (f"document list incomplete: {results['list-page-503-for-good'].base}{LISTING}: "
            "HTTP 503 after 4 attempts") in results["list-page-503-for-good"].last_line


# -- docs/RELIABILITY.md ----------------------------------------------------------------------
def table_rows() -> dict[str, list[str]]:
    text = (ROOT / "docs" / "RELIABILITY.md").read_text("utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 5:
            rows[cells[0].strip("`")] = cells
    return rows


def lost(scenario: Scenario, result: Result, reference: Path) -> int:
    """Documents of the mirror missing from what `output/latest` holds after the run (for
    a lasting fault, of its own document)."""
    want = {d["url"] for d in published(reference)["documents"]}
    if scenario.kind == "rejects":
        want = {BASE + scenario.target}
    return len(want - {d["url"] for d in published(result.out)["documents"]})


def test_reliability_table_is_what_the_tests_found(results, reference):
    rows = table_rows()
    assert list(rows) == list(BY_NAME)
    for name, (_, spec, did, code, records_lost) in rows.items():
        scenario, result = BY_NAME[name], results[name]
        assert spec.strip("`").replace("\\|", "|") == scenario.spec, name
        assert code == str(result.code), name
        assert records_lost == str(lost(scenario, result, reference)), name
        if scenario.reason:
            assert f"`{scenario.reason}`" in did, name
        if scenario.reject:
            assert f"`{scenario.reject.format(base='<mirror>', port='<port>')}`" in did, name


def test_zz_timing(results):
    """How long each crawl took (shown with `pytest -s`), and that each ended as its kind
    says: the stopped ones with 1, the others with 0."""
    for name, r in results.items():
        print(f"{name:35s} {r.seconds:5.1f}s code {r.code} requests {len(r.hits)}")
    assert {name: r.code for name, r in results.items()} == {
        s.name: int(s.kind == "stops") for s in SCENARIOS}
