"""A command whose extra is not installed names the extra and the command that installs it into
the Python running the harvester, exit 2 for every extra."""

import subprocess
import sys
from pathlib import Path

import pytest

from harvester import extras
from tests.helpers.pages import ROOT


def blocked(module: str, *arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    code = (f"import sys; sys.modules[{module!r}] = None; from harvester.cli import main; "
            "sys.exit(main())")
    return subprocess.run([sys.executable, "-c", code, *arguments], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_export_parquet_without_pyarrow_is_one_line_exit_2(bundled_topic_run, tmp_path):
    done = blocked("pyarrow", "export", "parquet", str(bundled_topic_run.run),
                   str(tmp_path / "parquet"), "--quiet", cwd=ROOT)
    assert (done.returncode, done.stderr) == (
        2, "harvester: export parquet needs the parquet extra (pyarrow is not installed): "
           f"{extras.install_command('parquet')}\n")
    assert not (tmp_path / "parquet").exists()


@pytest.mark.parametrize(("cwd", "python", "command"), [
    ("root", "venv", ".venv/bin/pip install -e '.[parquet]'"),
    ("elsewhere", "venv", "{root}/.venv/bin/python -m pip install -e '{root}[parquet]'"),
    ("root", "other", "/opt/python/bin/python3 -m pip install -e '.[parquet]'"),
])
def test_the_install_command_uses_this_python_and_this_project(monkeypatch, tmp_path, cwd,
                                                              python, command):
    root = tmp_path / "project"
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'harvester'\n")
    monkeypatch.setattr(extras, "source_root", lambda: root)
    monkeypatch.chdir(root if cwd == "root" else tmp_path)
    executable = root / ".venv" / "bin" / "python" if python == "venv" else \
        Path("/opt/python/bin/python3")
    monkeypatch.setattr(sys, "executable", str(executable))
    assert extras.install_command("parquet") == command.format(root=root)


def test_from_a_wheel_it_names_the_extras_own_requirements(monkeypatch):
    monkeypatch.setattr(extras, "source_root", lambda: None)
    monkeypatch.setattr(sys, "executable", "/srv/venv/bin/python")
    assert extras.install_command("parquet") == "/srv/venv/bin/python -m pip install 'pyarrow>=15'"
