"""Progress of `validate` and `export` on stderr: a line at most every interval, records done of
how many, then a summary. A clock that moves one second each time it is read makes the lines
exact."""

import io

import pytest

from harvester.cli import main
from harvester.dataset import progress as progress_module
from harvester.dataset.progress import Progress


class Clock:
    """Reads 0, 1, 2, … seconds."""

    def __init__(self) -> None:
        self.now = -1.0

    def __call__(self) -> float:
        self.now += 1
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def ticking(monkeypatch) -> None:
    """Every Progress the commands make reads the one-second clock, a line every 10 s."""
    monkeypatch.setattr(progress_module, "CLOCK", Clock())
    monkeypatch.setattr(progress_module, "INTERVAL", 10.0)


def test_a_line_at_most_every_interval_then_the_summary():
    stream = io.StringIO()
    progress = Progress(stream, interval=2, clock=Clock())
    progress.begin("checking documents.jsonl", 5)
    assert list(progress.counted("abcde")) == list("abcde")
    progress.begin("checking topics.jsonl")
    progress.tick()
    progress.finish("all done")
    assert stream.getvalue().splitlines() == [
        "checking documents.jsonl · 2/5 records · 2s",
        "checking documents.jsonl · 4/5 records · 4s",
        "checking topics.jsonl · 1 records · 6s",
        "all done"]
    assert progress.records == 6


def test_on_a_terminal_the_line_is_rewritten_in_place():
    stream = Terminal()
    progress = Progress(stream, interval=2, clock=Clock())
    progress.begin("writing documents.parquet", 4)
    for _ in range(4):
        progress.tick()
    progress.finish("done")
    assert stream.getvalue() == ("\rwriting documents.parquet · 2/4 records · 2s"
                                 "\rwriting documents.parquet · 4/4 records · 4s\ndone\n")


def test_silent_progress_writes_nothing_but_still_counts():
    progress = Progress.silent()
    progress.tick(3)
    progress.finish("unseen")
    assert progress.records == 3


def test_validate_shows_its_progress_and_a_summary(run_dir, ticking, capsys):
    assert main(["validate", str(run_dir)]) == 0
    # 19 documents read at seconds 1-19, the topic at 20, 29 people at 21-49, the reject at 50.
    assert capsys.readouterr().err.splitlines() == [
        "checking documents.jsonl · 10/19 records · 10s",
        "checking topics.jsonl · 1/1 records · 20s",
        "checking people.jsonl · 10/29 records · 30s",
        "checking people.jsonl · 20/29 records · 40s",
        "checking rejects.jsonl · 1/1 records · 50s",
        f"harvester: {run_dir} is valid: 50 records checked in 51.0s"]


def test_export_shows_checking_then_writing_and_a_summary(run_dir, ticking, tmp_path, capsys):
    out = tmp_path / "run.sqlite"
    assert main(["export", "sqlite", str(run_dir), str(out)]) == 0
    # Reading the run takes seconds 1-50 as above, writing documents 51-69, people 70-98,
    # the topic 99, the reject 100.
    assert capsys.readouterr().err.splitlines() == [
        "checking documents.jsonl · 10/19 records · 10s",
        "checking topics.jsonl · 1/1 records · 20s",
        "checking people.jsonl · 10/29 records · 30s",
        "checking people.jsonl · 20/29 records · 40s",
        "checking rejects.jsonl · 1/1 records · 50s",
        "writing documents · 10/19 records · 60s",
        "writing people · 1/29 records · 70s",
        "writing people · 11/29 records · 80s",
        "writing people · 21/29 records · 90s",
        "writing rejects · 1/1 records · 100s",
        f"harvester: 50 records exported to {out} in 101.0s; 4 of 4 record files trusted as "
        "validated at publication"]


def test_quiet_commands_print_only_their_verdict(run_dir, ticking, tmp_path, capsys):
    assert main(["validate", str(run_dir), "--quiet"]) == 0
    assert capsys.readouterr().err == f"harvester: {run_dir} is valid: 50 records checked in 1.0s\n"
    assert main(["export", "csv", str(run_dir), str(tmp_path / "csv"), "--quiet"]) == 0
    assert capsys.readouterr().err == ""
