"""`harvester prune`: old run folders go, `latest`'s run and everything that is not a run stay."""

import os
import subprocess

import pytest

from harvester.cli import main
from harvester.dataset.folder import point_latest
from harvester.run.retention import choose_removals, prune_runs
from harvester.state.lock import RunLock
from tests.helpers.crawls import bundled_crawl_command
from tests.helpers.serving import served_here

RUNS = ["20261101T000000Z", "20261102T000000Z", "20261102T000000Z-2",
        "20261102T000000Z-10-partial", "20261103T000000Z"]


@pytest.mark.parametrize(("keep", "latest", "removed"), [
    (2, "20261103T000000Z", RUNS[:3]),
    (0, "20261103T000000Z", RUNS[:4]),
    (0, None, RUNS),
    (1, "20261101T000000Z", RUNS[1:4]),  # latest names an old run: it stays all the same
    (5, "20261103T000000Z", []),
    (9, None, []),
    # `-10` is newer than `-2` within one second: kept before it (a trial run is a run)
    (3, "20261103T000000Z", RUNS[:2]),
])
def test_which_runs_are_removed(keep, latest, removed):
    assert choose_removals(list(reversed(RUNS)), keep, latest) == removed


def test_a_negative_keep_is_refused():
    with pytest.raises(ValueError, match="--keep must be 0 or more, not -1"):
        choose_removals(RUNS, -1, None)


def output_folder(root):
    for run_id in RUNS:
        (root / run_id).mkdir()
        (root / run_id / "documents.jsonl").write_bytes(b"x" * 1000)
    point_latest(root, "20261102T000000Z-2")
    (root / "state").mkdir()
    (root / "state" / "topic.sqlite").write_bytes(b"state")
    (root / ".20261104T000000Z.partial").mkdir()
    (root / "notes").mkdir()
    (root / "20261105T000000Z.txt").write_text("not a run")
    return root


def test_prune_keeps_the_newest_latest_and_all_that_is_not_a_run(tmp_path):
    root = output_folder(tmp_path)
    pruned = prune_runs(root, 1)
    assert pruned.removed == ["20261101T000000Z", "20261102T000000Z", "20261102T000000Z-10-partial"]
    assert pruned.kept == ["20261102T000000Z-2", "20261103T000000Z"]
    assert pruned.bytes_freed == 3000
    assert sorted(p.name for p in root.iterdir()) == [
        ".20261104T000000Z.partial", "20261102T000000Z-2", "20261103T000000Z",
        "20261105T000000Z.txt", "latest", "notes", "state"]
    assert os.readlink(root / "latest") == "20261102T000000Z-2"


def test_a_dry_run_removes_nothing(tmp_path, capsys):
    root = output_folder(tmp_path)
    assert main(["prune", "--out", str(root), "--keep", "0", "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"would remove {root / run_id}" for run_id in
                                ["20261101T000000Z", "20261102T000000Z",
                                 "20261102T000000Z-10-partial", "20261103T000000Z"]]
    assert err == "harvester: would remove 4 runs (0.0 MB), kept 1\n"
    assert all((root / run_id).is_dir() for run_id in RUNS)


def test_the_command_prunes_and_says_so(tmp_path, capsys):
    root = output_folder(tmp_path)
    assert main(["prune", "--out", str(root), "--keep", "2"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"removed {root / '20261101T000000Z'}",
                                f"removed {root / '20261102T000000Z'}"]
    assert err == "harvester: removed 2 runs (0.0 MB), kept 3\n"
    assert not (root / "state" / "run.lock").read_text()  # let go, holder forgotten


def test_prune_waits_for_no_run_it_is_refused_while_one_runs(tmp_path, capsys):
    root = output_folder(tmp_path)
    lock = RunLock.take(root, "topic-x", "2026-11-30T00:00:00Z")
    try:
        assert main(["prune", "--out", str(root), "--keep", "0"]) == 1
    finally:
        lock.release()
    err = capsys.readouterr().err
    assert err.startswith(f"harvester: another run holds {root}: pid {os.getpid()} on ")
    assert err.endswith("(job topic-x, started 2026-11-30T00:00:00Z)\n")
    assert all((root / run_id).is_dir() for run_id in RUNS)


@pytest.mark.parametrize(("argv", "message"), [
    (["--keep", "-1"], "harvester: --keep takes 0 or more, not -1\n"),
    (["--keep", "1", "--out", "/nonexistent/out"],
     "harvester: --out /nonexistent/out is not a folder\n"),
    # Not the folder the command runs in, whose runs it would remove.
    (["--keep", "0", "--out", ""],
     "harvester: --out is empty: name the output folder whose runs to prune\n"),
])
def test_bad_arguments_are_one_line(argv, message, capsys):
    assert main(["prune", *argv]) == 2
    assert capsys.readouterr().err == message


def test_a_scheduled_run_keeps_the_newest_runs(tmp_path):
    """HARVESTER_KEEP_RUNS=2: after publishing, the new run and the newest older one stay."""
    out = tmp_path / "out"
    old = ["20200101T000000Z", "20200102T000000Z", "20200103T000000Z-partial"]
    for run_id in old:
        (out / run_id).mkdir(parents=True)
    with served_here() as url:
        result = subprocess.run(
            [*bundled_crawl_command(url, out), "-s", "HARVESTER_KEEP_RUNS=2"],
            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    published = os.readlink(out / "latest")
    runs = sorted(p.name for p in out.iterdir() if p.name not in ("latest", "state"))
    assert runs == ["20200103T000000Z-partial", published]
