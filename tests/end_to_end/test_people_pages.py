"""`--people-pages` where a process or the engine takes part: a topic crawl of a copy of the
bundled mirror with people's pages, kept with `--warc`, read back from its files (offline) with
the option gives the same entries, and without it none; robots.txt keeps the pages unasked; a
web archive source refuses the option. What the pages give and how often they are asked is
tests/spiders/test_people_pages_runs.py (offline).

Every request the mirror answers is counted (a fault plan without faults logs them)."""

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from harvester.cli import main
from harvester.mirror.faults import FaultPlan
from harvester.mirror.server import base_url
from harvester.spiders.topic import parse_slugs
from tests.helpers.crawls import bundled_crawl_command
from tests.helpers.offline_runs import harvest_files
from tests.helpers.pages import (
    BASE,
    load_json,
)
from tests.helpers.people_site import (
    LINKED,
    MISSING,
    NAMELESS,
    page_fields,
    people_site,
)
from tests.helpers.serving import serve_here, stop

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
    return people_site(tmp_path_factory.mktemp("people"))


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


def warc_run(first: Crawl, out: Path, people_pages: bool) -> Crawl:
    """`harvester crawl topic --source warc` of the first run's WARC files, offline."""
    run = harvest_files(out, first.run / "warc", topics=parse_slugs(None),
                        command_line={"HARVESTER_PEOPLE_PAGES": people_pages})
    return Crawl(run, load_json(run / "manifest.json"), {})


def test_the_pages_kept_as_warc_fill_the_same_entries_when_read_back(first, tmp_path):
    read_back = warc_run(first, tmp_path / "warc", people_pages=True)
    assert page_fields(read_back.run) == page_fields(first.run)
    assert sorted(read_back.manifest["warnings"]) == sorted(
        [f"person page {BASE}/people/{slug} not read: no usable capture (1 client error); "
         "the newest fetched: HTTP 404" for slug in MISSING]
        + [f"person page {BASE}/people/{NAMELESS} not read: no usable capture (1 not a valid "
           "page); the newest fetched: no name (no h1) on the page"])


def test_warc_files_fill_nothing_without_the_option(first, tmp_path):
    read_back = warc_run(first, tmp_path / "warc", people_pages=False)
    assert set(page_fields(read_back.run).values()) == {(None, None)}
    assert read_back.manifest["warnings"] == []


def test_a_web_archive_source_refuses_the_option(tmp_path, capsys):
    assert main(["crawl", "topic", "--source", "wayback", "--people-pages", "--out",
                 str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        "harvester: --people-pages goes with the live site or --source warc: a web "
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

