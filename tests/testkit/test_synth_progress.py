"""Progress of `harvester mirror synth|mutate`: a line at most every interval (the clock is
injected), rewritten in place on a terminal, a timed summary last; and the one-line error when
the `synth` extra is not installed."""

import io
import re
import subprocess
import sys
from collections.abc import Iterator

from harvester.cli import main
from harvester.extras import install_command
from harvester_testkit.synth import Progress, mutate, synthesize


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def clock(*times: float):
    """A clock that reads `times` in turn."""
    readings: Iterator[float] = iter(times)
    return lambda: next(readings)


def test_a_line_only_once_the_interval_has_passed_then_the_timed_summary():
    stream = io.StringIO()
    progress = Progress(2.0, stream, clock(100.0, 100.5, 102.0, 103.0, 104.5, 105.3))
    for done in range(1, 5):
        progress(done, 5)
    progress.finish("harvester: wrote 5 documents")
    assert stream.getvalue().splitlines() == [
        "document pages 2/5 · 2s",
        "document pages 4/5 · 4s",
        "harvester: wrote 5 documents (5.3s)",
    ]


def test_on_a_terminal_the_line_is_rewritten_in_place_and_ended_before_the_summary():
    stream = Terminal()
    progress = Progress(2.0, stream, clock(0.0, 2.0, 4.5, 5.0))
    progress(1, 3)
    progress(2, 3)
    progress.finish("harvester: wrote 3 documents")
    assert stream.getvalue() == ("\rdocument pages 1/3 · 2s\rdocument pages 2/3 · 4s\n"
                                 "harvester: wrote 3 documents (5.0s)\n")


def test_a_quick_run_prints_only_its_summary():
    stream = Terminal()
    progress = Progress(2.0, stream, clock(0.0, 0.1, 0.2, 0.4))
    progress(1, 2)
    progress(2, 2)
    progress.finish("harvester: wrote 2 documents")
    assert stream.getvalue() == "harvester: wrote 2 documents (0.4s)\n"


def ticking(step: float):
    """A clock that moves `step` seconds each time it is read."""
    now = [0.0]

    def read() -> float:
        value = now[0]
        now[0] += step
        return value

    return read


def test_synthesize_and_mutate_report_every_document_page(tmp_path):
    stream = io.StringIO()
    outcome = synthesize(tmp_path / "m", 30, 3, 1, Progress(2.0, stream, ticking(1.0)))
    assert outcome.documents == 30
    assert stream.getvalue().splitlines() == [
        f"document pages {done}/30 · {done}s" for done in range(2, 31, 2)]
    stream = io.StringIO()
    outcome = mutate(tmp_path / "m", 2, 1, 1, 4, Progress(2.0, stream, ticking(1.0)))
    assert outcome.documents == 31  # 30 + 2 added - 1 removed
    assert stream.getvalue().splitlines() == [
        f"document pages {done}/31 · {done}s" for done in range(2, 32, 2)]


def test_the_command_ends_with_the_timed_summary(tmp_path, capsys):
    assert main(["mirror", "synth", str(tmp_path / "m"), "--documents", "30", "--topics", "3"]) == 0
    err = capsys.readouterr().err
    assert re.fullmatch(rf"harvester: wrote 30 documents in 3 topics, \d+ files \(\d+\.\d MB\) "
                        rf"to {re.escape(str(tmp_path / 'm'))} \(\d+\.\d+s\)\n", err), err


def test_without_the_synth_extra_the_command_names_it_in_one_line(tmp_path):
    blocked = ("import sys; sys.modules['jinja2'] = None; from harvester.cli import main; "
               "sys.exit(main())")
    done = subprocess.run([sys.executable, "-c", blocked, "mirror", "synth", str(tmp_path / "m")],
                          capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (
        2, "harvester: mirror synth needs the synth extra (jinja2 is not installed): "
           f"{install_command('synth')}\n")
    assert not (tmp_path / "m").exists()
