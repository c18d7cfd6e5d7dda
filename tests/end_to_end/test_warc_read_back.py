"""A run kept as WARC (`--warc`) reads back (`--source warc`) as the same run: the same
documents, topics, rejects and addresses. The crawl is of a synthetic mirror whose listings link
two documents by their old numeric URLs, which redirect to their slugs: redirects have empty
bodies, so in the WARC they share one payload digest, and each must still become an address of
its record, never "payload already tried". Crawled with and without `--public-base-url` (a
mirror crawled without it writes its records at the mirror's own address, and so must the WARC
read back, topics included)."""

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import BASE, read_jsonl, without_provenance
from tests.helpers.serving import served

KIM = "conversations-kim-il-sung"
# The smallest synthetic mirror (with this seed) whose listings link two old numeric URLs.
DOCUMENTS, TOPICS, SEED = 200, 4, 3


@pytest.fixture(scope="module")
def mirror(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mirror") / "site"
    subprocess.run([*HARVESTER, "mirror", "synth", str(root), "--documents", str(DOCUMENTS),
                    "--topics", str(TOPICS), "--seed", str(SEED)], check=True,
                   capture_output=True)
    return root


def crawl(out: Path, *args: str) -> Path:
    result = subprocess.run([*HARVESTER, "crawl", *args, "--out", str(out),
                             "-s", "HARVESTER_PROGRESS_INTERVAL=0"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return (out / "latest").resolve()


def addresses(run: Path) -> dict[str, str]:
    """Every URL the state knows, with the record it leads to."""
    [state] = (run.parent / "state").glob("*.sqlite")
    with sqlite3.connect(state) as db:
        return dict(db.execute("SELECT url, record_id FROM urls"))


def without_capture(run: Path, name: str) -> list[dict]:
    return [without_provenance(record) for record in read_jsonl(run / name)]


@pytest.mark.parametrize(("scope", "public"), [
    (["archive"], []),
    (["topic", KIM], ["--public-base-url", BASE]),
], ids=["archive-at-the-mirrors-address", "topic-at-the-public-address"])
def test_a_run_kept_as_warc_reads_back_as_the_same_run(mirror, tmp_path, scope, public):
    with served(mirror) as url:
        live = crawl(tmp_path / "live", *scope, "--base-url", url, *public, "--warc")
    back = crawl(tmp_path / "back", *scope, "--source", "warc", str(live / "warc"))
    for name in ("documents.jsonl", "topics.jsonl"):
        assert without_capture(back, name) == without_capture(live, name), name
    rejects = [(r["url"], r["field"]) for r in read_jsonl(live / "rejects.jsonl")]
    assert [(r["url"], r["field"]) for r in read_jsonl(back / "rejects.jsonl")] == rejects
    assert addresses(back) == addresses(live)
    # Nothing was skipped but the pages that are rejects: no redirect as a repeated payload.
    skipped = json.loads((back / "manifest.json").read_text("utf-8"))["source"]["skipped"]
    assert skipped == {"not a valid page": len(rejects)}


def test_every_old_numeric_url_of_a_warc_is_an_address_of_its_record(mirror, tmp_path):
    redirects = json.loads((mirror / "_redirects.json").read_text("utf-8"))
    assert len(redirects) == 2  # the mirror this module needs
    with served(mirror) as url:
        live = crawl(tmp_path / "live", "archive", "--base-url", url, "--public-base-url", BASE,
                     "--warc")
    back = crawl(tmp_path / "back", "archive", "--source", "warc", str(live / "warc"))
    known = addresses(back)
    assert {path: known[BASE + path] for path in redirects} == {
        path: path.removeprefix("/document/") for path in redirects}
    topics = [t["slug"] for t in read_jsonl(back / "topics.jsonl")]
    assert len(topics) == TOPICS and json.loads((back / "manifest.json").read_text("utf-8"))[
        "source"]["topics_without_capture"] == []
