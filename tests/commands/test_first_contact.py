"""What a new user meets first, following only the README: the demo publishes into a folder
of its own, never the real runs' `output/`, and a mirror's records never land among the
archive's."""

import shutil
import socket
import subprocess

import pytest

from harvester.mirror.faults import FaultPlan
from harvester.mirror.server import base_url
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import BASE
from tests.helpers.serving import serve_here, served_here, stop
from tests.helpers.shared_runs import folder_digests


def test_the_demo_publishes_into_its_own_folder(tmp_path):
    done = subprocess.run([*HARVESTER, "demo"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]
    assert (tmp_path / "demo" / "latest" / "manifest.json").is_file()


def test_a_mirror_crawled_without_a_public_base_never_lands_among_the_archives_records(
        bundled_topic_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(bundled_topic_run.out, out, symlinks=True)
    before, latest = folder_digests(out), (out / "latest").resolve()
    plan = FaultPlan([])
    mirror = serve_here(faults=plan)
    try:
        url = base_url(mirror)
        done = subprocess.run([*HARVESTER, "crawl", "topic", "--base-url", url, "--out",
                               str(out)], capture_output=True, text=True, timeout=120)
    finally:
        stop(mirror)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"harvester: {out} holds records of {BASE} ({latest.name}); this crawl's would name "
        f"{url}, a mirror with no --public-base-url: give --public-base-url {BASE} to write "
        "them as its own, or publish into another folder with --out"]
    assert plan.hits == []
    assert folder_digests(out) == before


def test_a_mirror_served_again_on_another_port_needs_the_public_base_it_had(tmp_path):
    """Its records would name the new port: every one would read as changed."""
    out = tmp_path / "out"
    with served_here() as first, served_here() as second:  # both up: two ports
        urls = [first, second]
        results = [subprocess.run(
            [*HARVESTER, "crawl", "topic", "--base-url", url, "--out", str(out), "-s",
             "HARVESTER_PROGRESS_INTERVAL=0"], capture_output=True, text=True, timeout=120)
            for url in urls]
    assert [r.returncode for r in results] == [0, 2]
    latest = (out / "latest").resolve()
    assert results[1].stderr.strip().splitlines() == [
        f"harvester: {out} holds records of {urls[0]} ({latest.name}); this crawl's would "
        f"name {urls[1]}, a mirror with no --public-base-url: give --public-base-url "
        f"{urls[0]} to write them as its own, or publish into another folder with --out"]


def closed_port() -> int:
    """A port nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(("host", "cause"), [
    ("127.0.0.1:{port}", "it refused the connection (nothing listens on that port)"),
    ("no-such-host.invalid", "its name does not resolve (DNS)"),
])
def test_a_site_that_cannot_be_reached_is_one_line_naming_the_host_and_why(tmp_path, host,
                                                                           cause):
    host = host.format(port=closed_port())
    done = subprocess.run(
        [*HARVESTER, "crawl", "topic", "--base-url", f"http://{host}", "--out",
         str(tmp_path / "out"), "-s", "HARVESTER_PROGRESS_INTERVAL=0", "-s",
         "HARVESTER_BACKOFF_BASE=0.01", "-s", "HARVESTER_BACKOFF_MAX=0.05", "-s",
         "HARVESTER_CONTACT_URL=mailto:ops@harvest.test"],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"harvester: run not published: crawl stopped (unreachable): cannot reach {host}: "
        f"{cause}. Check the address (--base-url) and this machine's network, or crawl a saved "
        "mirror with --base-url"]
