"""A crawl killed (SIGKILL) at three points, then run again: the same records as a crawl never
interrupted, no partial line anywhere a reader looks, and `output/latest` never naming a run that is
not complete.

The points: in the middle of the crawl; after the run's files are written but before its folder is
renamed into place; after the rename but before `latest` is switched. The last two are reached by a
crawl whose `os.replace` announces itself and waits, so the kill lands exactly there. (Interrupting
a run over a previous one is in test_end_to_end; stops by SIGINT or SIGTERM, and kills once every
document is staged, are in test_graceful_stop.)"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.interrupted_runs import (
    arguments,
    assert_readers_see_only_complete_runs,
    harvest,
    records,
    wait_for_line,
)
from tests.helpers.serving import HeldBack

# Runs the harvester with os.replace made to announce the rename named by $PAUSE_AT and wait.
PAUSING_HARVESTER = """
import os, re, sys, time
from pathlib import Path
pause_at, real_replace = os.environ["PAUSE_AT"], os.replace
RUN_FOLDER = re.compile(r"^\\.\\d{8}T\\d{6}Z(-\\d+)?\\.partial$")
def replace(source, target, *args, **kwargs):
    if RUN_FOLDER.match(Path(source).name):
        stage = "run-folder"
    elif Path(target).name == "latest":
        stage = "latest"
    else:
        stage = None
    if stage == pause_at:
        print(f"about to rename: {stage}", file=sys.stderr, flush=True)
        time.sleep(60)
    return real_replace(source, target, *args, **kwargs)
os.replace = replace
from harvester.cli import main
sys.exit(main(sys.argv[1:]))
"""


def kill_mid_crawl(url: str, plan: HeldBack, out: Path) -> None:
    crawl = subprocess.Popen([sys.executable, "-m", "harvester.cli", *arguments(url, out)],
                             stderr=subprocess.DEVNULL)
    plan.wait_until_held(crawl)
    crawl.kill()
    assert crawl.wait(30) == -signal.SIGKILL


def kill_before_rename(url: str, out: Path, stage: str) -> None:
    crawl = subprocess.Popen([sys.executable, "-c", PAUSING_HARVESTER, *arguments(url, out)],
                             stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PAUSE_AT": stage})
    wait_for_line(crawl, f"about to rename: {stage}")
    crawl.kill()
    assert crawl.wait(30) == -signal.SIGKILL


@pytest.mark.parametrize("point", ["mid-crawl", "run-folder", "latest"])
def test_killed_run_is_invisible_and_the_next_run_completes_it(point, mirror_url, held_mirror,
                                                               uninterrupted_records, tmp_path):
    url = mirror_url
    out = tmp_path / "out"
    if point == "mid-crawl":
        kill_mid_crawl(*held_mirror, out)
    else:
        kill_before_rename(url, out, point)
    assert_readers_see_only_complete_runs(out)
    assert not (out / "latest").exists()  # nothing complete was ever published here
    done = harvest(url, out)
    assert done.returncode == 0, done.stderr
    assert_readers_see_only_complete_runs(out)
    assert records(out) == uninterrupted_records
    assert json.loads((out / "latest" / "manifest.json").read_text("utf-8"))["resumed"] is True


@pytest.mark.parametrize("point", ["run-folder", "latest"])
def test_run_killed_while_publishing_leaves_the_last_good_run_in_place(
        point, mirror_url, uninterrupted_records, tmp_path):
    url = mirror_url
    out = tmp_path / "out"
    assert harvest(url, out).returncode == 0
    good = os.readlink(out / "latest")
    kill_before_rename(url, out, point)
    assert os.readlink(out / "latest") == good
    assert_readers_see_only_complete_runs(out)
    done = harvest(url, out)
    assert done.returncode == 0, done.stderr
    assert os.readlink(out / "latest") != good
    assert_readers_see_only_complete_runs(out)
    assert records(out) == uninterrupted_records
