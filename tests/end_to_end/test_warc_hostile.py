"""WARC files that try to fool the harvester (docs/RELIABILITY.md, "Web archives that lie"),
where only the command in a process of its own shows it: what reaches its terminal, a signal
heard while a record is read, a trial run's crawl ending at its limit. The other hostile files
are harvested offline (tests/spiders/test_warc_hostile_runs.py), and what the command refuses
before any work is in tests/commands/test_warc_refusals.py."""

import contextlib
import os
import signal
import subprocess
from pathlib import Path

from tests.helpers import hostile_warcs as hostile
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import load_json

QUIET = ["-s", "HARVESTER_PROGRESS_INTERVAL=0"]
# Bytes a run reads before its SIGTERM: Python's own modules are a few dozen MB of them.
READ_BEFORE_SIGNAL = 512 << 20


def harvest(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*HARVESTER, "crawl", *args, "--out", str(out), *QUIET],
                          capture_output=True, text=True, timeout=300)


# -- what only the command shows ------------------------------------------------------------
def test_garbage_with_terminal_escapes_reaches_no_terminal(warc, tmp_path):
    """Before: raw ANSI escapes from a garbage file reached the terminal."""
    folder = tmp_path / "warcs"
    folder.mkdir()
    os.link(warc, folder / "archive.warc.gz")
    (folder / "garbage\x1b[31m.warc").write_bytes(b"WARC/1.1\r\n" + hostile.ESCAPES + b"\r\n")
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(folder), "-v")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    [damaged] = load_json(tmp_path / "out" / "latest" / "manifest.json")["source"][
        "damaged_files"]
    assert damaged.startswith("garbage\\x1b[31m.warc at byte 0: ")
    assert "pwned" not in damaged


def test_sigterm_stops_a_run_reading_a_record_of_endless_zeros(tmp_path):
    """Before: a file of zeros was read in quadratic time and SIGTERM was not heard until it
    was all read. A record of 100 GB of zeros (a hole in a sparse file) is being indexed when
    the signal comes: the run stops where it is, far from the record's end."""
    length = 100 << 30
    zeros = hostile.endless_zeros(tmp_path / "zeros.warc", length)
    process = subprocess.Popen([*HARVESTER, "crawl", "archive", "--source", "warc", str(zeros),
                                "--out", str(tmp_path / "out"), *QUIET],
                               stderr=subprocess.PIPE, text=True)
    io = Path(f"/proc/{process.pid}/io")
    while process.poll() is None and _read_bytes(io) < READ_BEFORE_SIGNAL:
        # Waits a little between looks; the subprocess timeout below bounds a broken run.
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 143, stderr
    stopped = [line for line in stderr.splitlines() if "stopped by a signal at byte" in line]
    assert len(stopped) == 1, stderr
    at = int(stopped[0].split("stopped by a signal at byte ")[1].split(" ")[0])
    # Python and its modules are a few dozen MB: the rest was the record of zeros.
    assert READ_BEFORE_SIGNAL // 2 < at < length // 100
    assert stderr.strip().splitlines()[-1] == "harvester: stopped by SIGTERM; nothing published"


def _read_bytes(io: Path) -> int:
    try:
        fields = dict(line.split(": ") for line in io.read_text().splitlines())
    except (OSError, ValueError):
        return 0
    return int(fields.get("rchar", 0))


# -- options -----------------------------------------------------------------------------------
def test_a_trial_run_over_warc_files_ends_at_its_limit(warc, tmp_path):
    """Before: `--limit 3` over WARC files idled for ever."""
    result = harvest(tmp_path / "out", "archive", "--limit", "3", "--source", "warc", str(warc))
    assert result.returncode == 0, result.stderr
    [run] = tmp_path.glob("out/*-partial")
    manifest = load_json(run / "manifest.json")
    assert (manifest["finish_reason"], manifest["counts"]["documents"]) == ("limit", 3)


