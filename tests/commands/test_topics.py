"""An unknown topic says so, with the topic likely meant, and `harvester topics` lists the
topics known: from the output folder's state, or from the site's topic index."""

import json
import shutil
import subprocess

import pytest

from harvester.spiders.topic import DEFAULT_TOPIC
from harvester_testkit.synth import synthesize
from tests.helpers.crawls import HARVESTER, bundled_crawl_command
from tests.helpers.serving import served_here

TITLE = "Conversations with Kim Il Sung"


@pytest.fixture
def out(bundled_topic_run, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(bundled_topic_run.out, copy, symlinks=True)
    return copy


def test_a_mistyped_topic_says_no_such_topic_and_names_the_one_meant(out):
    with served_here() as url:
        done = subprocess.run(bundled_crawl_command(url, out, "conversations-kim-il-sun"),
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"harvester: run not published: no such topic: conversations-kim-il-sun ({url}/topics/"
        "conversations-kim-il-sun answered HTTP 404); did you mean conversations-kim-il-sung? "
        "`harvester topics` lists the topics known (from the state, or with --site from the "
        f"site's topic index); the last good run is still {(out / 'latest').resolve()}")


def test_the_topics_known_in_the_state_are_listed(out):
    done = subprocess.run([*HARVESTER, "topics", "--out", str(out)], capture_output=True,
                          text=True, timeout=120)
    assert (done.returncode, done.stdout) == (0, f"{DEFAULT_TOPIC}\t{TITLE}\n")
    assert done.stderr == f"harvester: 1 topics known in {out / 'state'}\n"


def test_a_folder_without_a_state_says_where_to_ask(tmp_path):
    done = subprocess.run([*HARVESTER, "topics", "--out", str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"harvester: no topics known in {tmp_path}: `harvester topics "
                           "--site` asks the site\n")


def test_the_sites_topic_index_is_listed(tmp_path):
    mirror = tmp_path / "mirror"
    synthesize(mirror, 12, 3, 5)
    expected = [json.loads(line)["slug"] for line in
                (mirror / "_expected" / "topics.jsonl").read_text("utf-8").splitlines()]
    with served_here(mirror) as url:
        done = subprocess.run([*HARVESTER, "topics", "--site", "--base-url", url],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.splitlines()) == sorted(expected)
    assert done.stderr == f"harvester: {len(expected)} topics listed by the site's topic index\n"


def test_a_site_without_a_topic_index_says_so(tmp_path):
    with served_here() as url:
        done = subprocess.run([*HARVESTER, "topics", "--site", "--base-url", url],
                              capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "harvester: the site's topic index was not read: HTTP 404\n"
