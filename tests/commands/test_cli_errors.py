"""Every failure of the environment, the file system or the input ends with one line on stderr
and the right exit code (2: bad arguments and inputs; 1: a run or a check that failed), and no
traceback unless `-v` asks for one. One table, each row run as the `harvester` command."""

import errno
import functools
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harvester.cli import main
from harvester.commands import validate
from tests.helpers.pages import SITE
from tests.helpers.shared_runs import crawl_bundled_mirror

HARVESTER = [sys.executable, "-m", "harvester.cli"]
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
# In a mount namespace of its own: a read-only file system mounted on $1, then the command.
READ_ONLY = ["unshare", "--mount", "sh", "-c",
             'mount -t tmpfs -o ro tmpfs "$1" && shift && exec "$@"', "sh"]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
DOC_URL = "https://digitalarchive.wilsoncenter.org/document/1"
OFFLINE = ["--base-url", "http://127.0.0.1:9"]  # should a check fail, no site is crawled


@dataclass
class Case:
    """`argv` after `harvester`, with {tmp} (a fresh folder), {run} (a published run), {out}
    (the output folder holding it), {site} and whatever `setup` adds filled in; `line`, the
    last stderr line, likewise."""

    argv: list[str]
    code: int
    line: str
    setup: Callable[[Path, Path, ExitStack], dict] | None = None
    env: dict[str, str] = field(default_factory=dict)
    stdout: str | None = None  # what stdout holds, when the case says (a validate problem)
    wrap: str | None = None  # "unwritable" or "read-only": how the command is run
    usage: bool = False  # an argparse error: usage lines, then "harvester CMD: error: …"
    traceback: bool = False  # -v: the traceback comes before the line


def a_file(tmp: Path, run: Path, stack: ExitStack) -> dict:
    (tmp / "file").write_text("not a folder\n")
    (tmp / "page.png").write_bytes(PNG)
    (tmp / "paper.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    return {}


def a_locked_folder(tmp: Path, run: Path, stack: ExitStack) -> dict:
    """A folder the command may not write in: its own, read-only, when run by its owner; when
    run as root the command runs as nobody, to whom all of {tmp} is closed."""
    locked = tmp / "locked"
    locked.mkdir(mode=0o555)
    stack.callback(locked.chmod, 0o755)
    return {}


def a_read_only_mount(tmp: Path, run: Path, stack: ExitStack) -> dict:
    (tmp / "ro").mkdir()
    return {}


def a_port_in_use(tmp: Path, run: Path, stack: ExitStack) -> dict:
    listener = stack.enter_context(socket.socket())
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    return {"port": str(listener.getsockname()[1])}


def a_capture_store_and_a_port_in_use(tmp: Path, run: Path, stack: ExitStack) -> dict:
    from harvester.mirror.wayback.store import PlannedCapture, write_store

    write_store(tmp / "store", [PlannedCapture("https://digitalarchive.wilsoncenter.org/",
                                               "20200101000000", body=b"<html></html>")])
    return a_port_in_use(tmp, run, stack)


def a_run_whose_manifest_is(text: str) -> Callable[[Path, Path, ExitStack], dict]:
    def setup(tmp: Path, run: Path, stack: ExitStack) -> dict:
        copy = Path(shutil.copytree(run, tmp / "run"))
        (copy / "manifest.json").write_text(text)
        return {}
    return setup


CASES = {
    # crawl and demo: the output folder and the base URL, before Scrapy starts
    "crawl --out unwritable": Case(
        ["crawl", "topic", *OFFLINE, "--out", "{tmp}/locked/out"], 2,
        "harvester: --out {tmp}/locked/out is not a writable folder (Permission denied)",
        a_locked_folder, wrap="unwritable"),
    "crawl --out on a read-only file system": Case(
        ["crawl", "topic", *OFFLINE, "--out", "{tmp}/ro/out"], 2,
        "harvester: --out {tmp}/ro/out is not a writable folder (Read-only file system)",
        a_read_only_mount, wrap="read-only"),
    "crawl --out naming a file": Case(
        ["crawl", "topic", *OFFLINE, "--out", "{tmp}/file"], 2,
        "harvester: --out {tmp}/file is not a writable folder (it is a file)", a_file),
    "crawl --out under a file": Case(
        ["crawl", "topic", *OFFLINE, "--out", "{tmp}/file/out"], 2,
        "harvester: --out {tmp}/file/out is not a writable folder ({tmp}/file is a file)",
        a_file),
    "demo --out naming a file": Case(
        ["demo", "--out", "{tmp}/file"], 2,
        "harvester: --out {tmp}/file is not a writable folder (it is a file)", a_file),
    "a bad HARVESTER_BASE_URL": Case(
        ["crawl", "topic", "--out", "{tmp}/out"], 2,
        "harvester: HARVESTER_BASE_URL: base URL must be an http(s) URL with a host, "
        "got 'digitalarchive.wilsoncenter.org'",
        env={"HARVESTER_BASE_URL": "digitalarchive.wilsoncenter.org"}),
    "crawl -v shows the traceback": Case(
        ["crawl", "topic", "-v", "--out", "{tmp}/out"], 2,
        "harvester: HARVESTER_BASE_URL: base URL must be an http(s) URL with a host, got 'x'",
        env={"HARVESTER_BASE_URL": "x"}, traceback=True),
    # serve
    "serve --port out of range": Case(
        ["serve", "{site}", "--port", "70000"], 2,
        "harvester: port 70000 is out of range (0 to 65535; 0 picks a free one)"),
    "serve --port negative": Case(
        ["serve", "{site}", "--port", "-1"], 2,
        "harvester: port -1 is out of range (0 to 65535; 0 picks a free one)"),
    "serve on a port in use": Case(
        ["serve", "{site}", "--port", "{port}"], 2,
        "harvester: cannot listen on 127.0.0.1:{port} (Address already in use)",
        a_port_in_use),
    "serve --wayback on a port in use": Case(
        ["serve", "{tmp}/store", "--wayback", "--port", "{port}"], 2,
        "harvester: cannot listen on 127.0.0.1:{port} (Address already in use)",
        a_capture_store_and_a_port_in_use),
    "serve --wayback a folder that is no store": Case(
        ["serve", "{run}", "--wayback", "--port", "0"], 2,
        "harvester: not a capture store (no captures.jsonl): {run}"),
    "serve --delay negative": Case(
        ["serve", "{site}", "--port", "0", "--delay", "-1"], 2,
        "harvester: --delay must be a number of seconds not below 0, got -1"),
    "serve --idle-timeout zero": Case(
        ["serve", "{site}", "--port", "0", "--idle-timeout", "0"], 2,
        "harvester: --idle-timeout must be a number of seconds above 0, got 0"),
    "serve a missing folder": Case(
        ["serve", "{tmp}/none", "--port", "0"], 2,
        "harvester: mirror folder not found: {tmp}/none"),
    "serve --port not a number": Case(
        ["serve", "{site}", "--port", "eighty"], 2,
        "harvester serve: error: argument --port: invalid int value: 'eighty'", usage=True),
    # parse
    "parse a folder": Case(
        ["parse", "{site}", "--url", DOC_URL], 2,
        "harvester: not an HTML page: {site} is a folder"),
    "parse an image": Case(
        ["parse", "{tmp}/page.png", "--url", DOC_URL], 2,
        "harvester: not an HTML page: {tmp}/page.png", a_file),
    "parse a PDF": Case(
        ["parse", "{tmp}/paper.pdf", "--url", DOC_URL], 2,
        "harvester: not an HTML page: {tmp}/paper.pdf", a_file),
    "parse a missing file": Case(
        ["parse", "{tmp}/none.html", "--url", DOC_URL], 2,
        "harvester: {tmp}/none.html: No such file or directory"),
    "-v shows the traceback": Case(
        ["-v", "parse", "{tmp}/page.png", "--url", DOC_URL], 2,
        "harvester: not an HTML page: {tmp}/page.png", a_file, traceback=True),
    # export
    "export to an unwritable folder": Case(
        ["export", "sqlite", "{run}", "{tmp}/locked/run.sqlite"], 2,
        "harvester: cannot write {tmp}/locked/run.sqlite: {tmp}/locked is not a writable "
        "folder (Permission denied)", a_locked_folder, wrap="unwritable"),
    "export under a file": Case(
        ["export", "sqlite", "{run}", "{tmp}/file/run.sqlite"], 2,
        "harvester: cannot write {tmp}/file/run.sqlite: {tmp}/file is not a writable folder "
        "(it is a file)", a_file),
    "export csv onto a file": Case(
        ["export", "csv", "{run}", "{tmp}/file"], 2,
        "harvester: cannot write {tmp}/file: it is a file (csv writes a folder)", a_file),
    "export what is not a run": Case(
        ["export", "csv", "{out}", "{tmp}/csv"], 2,
        "harvester: not a run folder: {out} (did you mean {out}/latest?)"),
    # validate
    "validate the output folder": Case(
        ["validate", "{out}"], 2, "harvester: not a run folder: {out} (did you mean "
                                  "{out}/latest?)"),
    "validate a missing folder": Case(
        ["validate", "{tmp}/none"], 2, "harvester: not a run folder: {tmp}/none"),
    "validate a manifest that is a list": Case(
        ["validate", "{tmp}/run"], 1, "harvester: {tmp}/run is not valid: 1 problem",
        a_run_whose_manifest_is("[]"), stdout="manifest.json: not a JSON object"),
    "validate a manifest that is a number": Case(
        ["validate", "{tmp}/run"], 1, "harvester: {tmp}/run is not valid: 1 problem",
        a_run_whose_manifest_is("42"), stdout="manifest.json: not a JSON object"),
    "validate a manifest nested 100,000 deep": Case(
        ["validate", "{tmp}/run"], 1, "harvester: {tmp}/run is not valid: 1 problem",
        a_run_whose_manifest_is("[" * 100_000 + "]" * 100_000),
        stdout="manifest.json: not valid JSON (nested too deeply)"),
}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    return crawl_bundled_mirror(tmp_path_factory.mktemp("out"))


@functools.cache
def nobody_can_run_harvester() -> bool:
    probe = subprocess.run([*NOBODY, *HARVESTER, "--help"], capture_output=True, cwd="/",
                           timeout=60)
    return probe.returncode == 0


def wrapper(kind: str | None, tmp: Path) -> list[str]:
    """The command that runs `harvester` for the case: as nobody, or over a read-only mount."""
    if kind is None:
        return []
    root = os.geteuid() == 0
    if kind == "unwritable":
        if not root:
            return []
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot drop to an unprivileged user")
        if not nobody_can_run_harvester():
            pytest.skip("the unprivileged user cannot run this Python")
        return NOBODY
    probe = subprocess.run([*READ_ONLY, str(tmp / "ro"), "true"], capture_output=True,
                           timeout=30) if root and shutil.which("unshare") else None
    if probe is None or probe.returncode != 0:
        pytest.skip("no read-only mount can be made here")
    return [*READ_ONLY, str(tmp / "ro")]


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_failure_is_one_line_and_its_exit_code(case: Case, run_dir, tmp_path):
    values = {"tmp": str(tmp_path), "run": str(run_dir), "out": str(run_dir.parent),
              "site": str(SITE)}
    env = {k: v for k, v in os.environ.items() if not k.startswith("HARVESTER_")}
    with ExitStack() as stack:
        values.update(case.setup(tmp_path, run_dir, stack) if case.setup else {})
        argv = [part.format(**values) for part in case.argv]
        result = subprocess.run([*wrapper(case.wrap, tmp_path), *HARVESTER, *argv],
                                capture_output=True, text=True, timeout=60,
                                env={**env, **case.env}, cwd="/" if case.wrap else tmp_path)
    lines = result.stderr.splitlines()
    expected = case.line.format(**values)
    assert result.returncode == case.code, result.stderr
    assert ("Traceback" in result.stderr) == case.traceback, result.stderr
    if case.usage:
        assert lines[0].startswith("usage: harvester ") and lines[-1] == expected
    elif not case.traceback:
        assert lines == [expected]
    else:
        assert lines[0].startswith("Traceback") and lines[-1] == expected
    if case.stdout is not None:
        assert result.stdout.strip() == case.stdout


def test_a_disk_that_fills_up_fails_the_command_not_its_arguments(monkeypatch, capsys):
    def fill_up(args):
        raise OSError(errno.ENOSPC, "No space left on device", "/out/run.sqlite")

    monkeypatch.setattr(validate, "run", fill_up)
    assert main(["validate", "run"]) == 1
    assert capsys.readouterr().err == "harvester: /out/run.sqlite: No space left on device\n"
