"""`--people-pages`: a topic crawl of a copy of the bundled mirror with people's pages added
under `people/` reads the page of each person its documents link, once, and people.jsonl and
the SQLite export carry what the pages say. A page that answers 404 or has no name is a warning
in the manifest, and the run publishes the same documents and rejects as without the option.
The next run does not ask again for a page read (or found missing) within the re-check period;
a run without the option asks for none. A run kept with `--warc` and read back from its files
with the option gives the same entries.

Every request the mirror answers is counted (a fault plan without faults logs them)."""

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from harvester.cli import main
from harvester.mirror.faults import FaultPlan
from harvester.mirror.server import base_url
from tests.helpers.crawls import HARVESTER, bundled_crawl_command
from tests.helpers.pages import (
    BASE,
    SITE,
    expected_for,
    load_json,
    read_jsonl,
    variant_pages,
    without_provenance,
)
from tests.helpers.serving import serve_here, stop

# The four fixture pages (fixtures/pages/people/), by slug: their hand-checked values.
READ = {page.stem: load_json(expected_for(page)) for page in variant_pages("people")}
# A page the copy serves without an h1: nothing to read.
NAMELESS = "honecker-erich"
# The other people the mirror's documents link by slug: no page, so 404.
MISSING = ["aksenov-aleksandr-nikiforovich", "bialek-mieczyslaw", "jaruzelski-wojciech",
           "korea-north-embassy-soviet-union", "novotny-antonin", "olszowski-stefan",
           "poland-ministry-foreign-affairs", "puzanov-aleksandr-mikhailovich",
           "shtykov-terentii-fomich", "zakharov-matvei-vasilevich"]
LINKED = sorted([*READ, NAMELESS, *MISSING])
QUICK = ("-s", "HARVESTER_BACKOFF_BASE=0.02", "-s", "HARVESTER_BACKOFF_MAX=0.2")


@dataclass
class Crawl:
    run: Path  # the run folder it published
    manifest: dict
    targets: dict[str, int]  # request target -> how often the mirror was asked for it

    def people_requests(self) -> dict[str, int]:
        return {t: n for t, n in self.targets.items() if t.startswith("/people/")}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A copy of the bundled mirror with the fixture people pages and one nameless page."""
    root = Path(shutil.copytree(SITE, tmp_path_factory.mktemp("people") / "site"))
    (root / "people").mkdir()
    for page in variant_pages("people"):
        shutil.copy(page, root / "people" / page.name)
    (root / "people" / f"{NAMELESS}.html").write_text(
        "<html><body><main><p>Honecker, Erich</p></main></body></html>", "utf-8")
    return root


def crawl(site: Path, out: Path, *extra: str) -> Crawl:
    """A topic crawl of `site` into `out` that must publish."""
    plan = FaultPlan([])
    server = serve_here(site, faults=plan)
    try:
        result = subprocess.run(bundled_crawl_command(base_url(server), out, *QUICK, *extra),
                                capture_output=True, text=True, timeout=180)
    finally:
        stop(server)
    assert result.returncode == 0, result.stderr[-3000:]
    run = (out / "latest").resolve()
    return Crawl(run, load_json(run / "manifest.json"), dict(plan.requests_per_url))


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("with-pages")


@pytest.fixture(scope="module")
def first(site, out) -> Crawl:
    return crawl(site, out, "--people-pages", "--warc")


@pytest.fixture(scope="module")
def second(first, site, out) -> Crawl:
    return crawl(site, out, "--people-pages")


@pytest.fixture(scope="module")
def without(site, tmp_path_factory) -> Crawl:
    return crawl(site, tmp_path_factory.mktemp("without"))


def page_fields(run: Path) -> dict[str, tuple]:
    """key -> (life_dates, description) of every people entry."""
    return {e["key"]: (e["life_dates"], e["description"])
            for e in read_jsonl(run / "people.jsonl")}


def filled(slugs=READ) -> dict[str, tuple]:
    """What the entries of the people whose page was read must hold: the pages' own values."""
    return {f"slug:{slug}": (READ[slug]["life_dates"], READ[slug]["description"])
            for slug in slugs}


def test_each_linked_persons_page_is_asked_for_once(first):
    assert first.people_requests() == {f"/people/{slug}": 1 for slug in LINKED}


def test_people_jsonl_holds_what_each_page_says_and_nothing_for_the_others(first):
    fields = page_fields(first.run)
    assert len(fields) == 29
    assert {k: v for k, v in fields.items() if v != (None, None)} == filled()
    assert fields["slug:kim-il-sung"] == (
        "1912-1994", "Kim Il Sung was the founding leader of the Democratic People’s Republic of "
        "Korea, which he ruled from its establishment in 1948 until his death in 1994.\n\nThe "
        "documents below, from the archives of the DPRK’s allies, record his talks with foreign "
        "leaders, diplomats and party delegations.")
    assert fields["slug:workers-party-korea"][0] is None


def test_a_page_that_fails_or_has_no_name_is_a_warning_and_the_run_publishes(first):
    assert sorted(first.manifest["warnings"]) == sorted(
        [f"person page {BASE}/people/{slug} not read: HTTP 404" for slug in MISSING]
        + [f"person page {BASE}/people/{NAMELESS} not read: no name (no h1) on the page"])
    assert first.manifest["finish_reason"] == "finished"


def test_the_option_changes_no_document_and_no_reject(first, without):
    for name in ("documents.jsonl", "rejects.jsonl", "topics.jsonl"):
        assert [without_provenance(r) for r in read_jsonl(first.run / name)] == \
            [without_provenance(r) for r in read_jsonl(without.run / name)], name


def test_without_the_option_no_persons_page_is_asked_for(without):
    assert without.people_requests() == {}
    assert set(page_fields(without.run).values()) == {(None, None)}
    assert without.manifest["warnings"] == []


def test_the_next_run_asks_only_for_a_page_it_could_not_read_and_keeps_the_rest(second):
    assert second.people_requests() == {f"/people/{NAMELESS}": 1}
    assert {k: v for k, v in page_fields(second.run).items() if v != (None, None)} == filled()
    assert second.manifest["warnings"] == [
        f"person page {BASE}/people/{NAMELESS} not read: no name (no h1) on the page"]


def test_the_sqlite_export_holds_the_life_dates_and_descriptions(first, tmp_path):
    out = tmp_path / "run.sqlite"
    assert main(["export", "sqlite", str(first.run), str(out), "--quiet"]) == 0
    db = sqlite3.connect(out)
    try:
        rows = db.execute("SELECT key, life_dates, description FROM people WHERE life_dates "
                          "IS NOT NULL OR description IS NOT NULL ORDER BY key").fetchall()
    finally:
        db.close()
    assert rows == sorted((key, *values) for key, values in filled().items())


def warc_run(first: Crawl, out: Path, *extra: str) -> Crawl:
    result = subprocess.run(
        [*HARVESTER, "crawl", "topic", "--source", "warc", str(first.run / "warc"), "--out",
         str(out), "-s", "HARVESTER_PROGRESS_INTERVAL=0", *extra],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    run = (out / "latest").resolve()
    return Crawl(run, load_json(run / "manifest.json"), {})


def test_the_pages_kept_as_warc_fill_the_same_entries_when_read_back(first, tmp_path):
    read_back = warc_run(first, tmp_path / "warc", "--people-pages")
    assert page_fields(read_back.run) == page_fields(first.run)
    assert sorted(read_back.manifest["warnings"]) == sorted(
        [f"person page {BASE}/people/{slug} not read: no usable capture (1 client error); "
         "the newest fetched: HTTP 404" for slug in MISSING]
        + [f"person page {BASE}/people/{NAMELESS} not read: no usable capture (1 not a valid "
           "page); the newest fetched: no name (no h1) on the page"])


def test_warc_files_fill_nothing_without_the_option(first, tmp_path):
    read_back = warc_run(first, tmp_path / "warc")
    assert set(page_fields(read_back.run).values()) == {(None, None)}
    assert read_back.manifest["warnings"] == []


def test_a_web_archive_source_refuses_the_option(tmp_path):
    result = subprocess.run([*HARVESTER, "crawl", "topic", "--source", "wayback",
                             "--people-pages", "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (
        2, "harvester: --people-pages goes with the live site or --source warc: a web "
           "archive's census does not ask for people's pages\n")


def test_robots_txt_keeps_the_people_pages_unasked_and_the_run_publishes(site, tmp_path):
    own = Path(shutil.copytree(site, tmp_path / "site"))
    robots = own / "robots.txt"
    robots.write_text(robots.read_text("utf-8") + "Disallow: /people/\n", "utf-8")
    done = crawl(own, tmp_path / "out", "--people-pages")
    assert done.people_requests() == {}
    assert len(done.manifest["warnings"]) == len(LINKED)
    assert all(w.endswith("not read: Forbidden by robots.txt") for w in done.manifest["warnings"])
    assert set(page_fields(done.run).values()) == {(None, None)}

