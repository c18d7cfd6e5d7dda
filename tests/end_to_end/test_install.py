"""The built wheel, installed outside the source tree with only the runtime dependencies:
`harvester demo` serves the bundled mirror from package data and publishes the topic's records,
`harvester mirror synth` names the extra it lacks, and the wheel holds the served pages but not
the fixtures' expected records nor the generator inside the runtime package.

All offline: the wheel is built from a copy of the sources with this venv's setuptools (no build
isolation) and installed with `--no-deps --no-index` into a fresh venv; its dependencies come
from this venv through a `.pth` file naming a folder of links to exactly the distributions the
wheel's `Requires-Dist` reaches without extras, so jinja2 and the other extras are absent."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from importlib.metadata import Distribution, distribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from harvester.mirror.bundled import BUNDLED_MIRROR
from tests.helpers.pages import EXPECTED_CRAWL, ROOT, load_json, read_jsonl

pytestmark = pytest.mark.install

SOURCES = ["pyproject.toml", "setup.py", "README.md", "LICENSE", "harvester", "harvester_testkit"]
RUNTIME = {"scrapy", "parsel", "itemadapter", "jsonlines", "jsonschema", "fastjsonschema",
           "sqlite-utils", "warcio", "brotli", "brotlicffi", "backports-zstd"}
SYNTH = {"jinja2", "markupsafe", "python-slugify"}
SITE_PACKAGES = Path("lib", f"python{sys.version_info.major}.{sys.version_info.minor}",
                     "site-packages")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built once for the module, from a copy so the source tree gets no build/ folder."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
                    "--no-build-isolation", "-w", str(work / "dist"), str(source)], check=True)
    (built,) = (work / "dist").glob("harvester-*.whl")
    return built


def metadata(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return Parser().parsestr(archive.read(name).decode("utf-8"))


def reached(requirements: list[str]) -> dict[str, Distribution]:
    """This venv's distributions that `requirements` reach, markers evaluated, no extras of
    the top level; a dependency's own extras are followed when a requirement names them."""
    found: dict[str, Distribution] = {}
    visited: set[tuple[str, str]] = set()
    todo = [(Requirement(line), "") for line in requirements]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        found[name] = distribution(name)
        for wanted in {"", *requirement.extras}:
            if (name, wanted) not in visited:
                visited.add((name, wanted))
                todo += [(Requirement(line), wanted) for line in found[name].requires or []]
    return found


def link_distributions(distributions: list[Distribution], folder: Path) -> None:
    """Links to each distribution's top-level files and folders (modules, .dist-info)."""
    folder.mkdir()
    for dist in distributions:
        for top in sorted({f.parts[0] for f in dist.files or [] if f.parts[0] != ".."}):
            target = Path(dist.locate_file(top))
            if target.exists() and not (folder / top).exists():
                (folder / top).symlink_to(target)


@pytest.fixture(scope="module")
def runtime_venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv holding the wheel and, through a .pth file, its runtime dependencies."""
    venv = tmp_path_factory.mktemp("installed") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                    "install", "--quiet", "--no-deps", "--no-index", str(wheel)], check=True)
    dependencies = reached(metadata(wheel).get_all("Requires-Dist"))
    link_distributions(list(dependencies.values()), venv / "dependencies")
    (venv / SITE_PACKAGES / "runtime_dependencies.pth").write_text(
        f"{venv / 'dependencies'}\n", "utf-8")
    return venv


def run_installed(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(venv / "bin" / "harvester"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_wheel_ships_the_served_pages_of_the_bundled_mirror_and_no_expected_records(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    shipped = {n.removeprefix("harvester/bundled_mirror/") for n in names
               if n.startswith("harvester/bundled_mirror/")}
    served = {str(p.relative_to(BUNDLED_MIRROR)) for p in BUNDLED_MIRROR.rglob("*")
              if p.is_file() and not p.name.endswith(".expected.json")}
    assert shipped == served
    assert len(shipped) == 26  # 20 documents, 3 listing pages, 1 topic, robots.txt, redirects
    assert not [n for n in names if n.endswith(".expected.json")]
    assert not [n for n in names if n.startswith("harvester/mirror/synth")]
    assert {"harvester_testkit/synth/__init__.py", "harvester_testkit/synth/templates/document.py",
            "harvester/items/schemas/document.schema.json"} <= names


def test_the_wheels_runtime_needs_no_extra_and_the_generators_libraries_are_the_synth_extra(
        wheel):
    info = metadata(wheel)
    requirements = [Requirement(line) for line in info.get_all("Requires-Dist")]
    extras = [r for r in requirements if r.marker is not None and "extra" in str(r.marker)]
    runtime = {canonicalize_name(r.name) for r in requirements if r not in extras}
    synth = {canonicalize_name(r.name) for r in extras if r.marker.evaluate({"extra": "synth"})}
    assert runtime == RUNTIME
    assert synth == SYNTH
    assert info["License-Expression"] == "MIT"


def test_the_installed_demo_crawls_the_bundled_mirror_from_outside_the_source_tree(
        runtime_venv, tmp_path):
    done = run_installed(runtime_venv, "demo", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    served = runtime_venv / SITE_PACKAGES / "harvester" / "bundled_mirror"
    assert done.stderr.startswith(f"serving the mirror {served} at http://127.0.0.1:")
    run = tmp_path / "out" / "latest"
    counts = json.loads((run / "manifest.json").read_text("utf-8"))["counts"]
    assert (counts["documents"], counts["topics"], counts["rejects"]) == (19, 1, 1)
    expected = load_json(EXPECTED_CRAWL)
    assert sorted(d["record_id"] for d in read_jsonl(run / "documents.jsonl")) == \
        expected["record_ids"]


def test_the_installed_runtime_lacks_the_extras_and_mirror_synth_names_the_one_to_install(
        runtime_venv, tmp_path):
    linked = {p.name.lower() for p in (runtime_venv / "dependencies").iterdir()}
    assert {"scrapy", "parsel", "warcio", "sqlite_utils"} <= linked
    assert not linked & {"jinja2", "markupsafe", "slugify", "pyarrow", "scrapyd", "pytest"}
    done = run_installed(runtime_venv, "mirror", "synth", str(tmp_path / "m"), cwd=tmp_path)
    # The installed Python's own pip, and the extra's own requirements: never a bare `pip`,
    # nor `harvester[synth]`, a name the package index gives another project.
    assert (done.returncode, done.stderr) == (
        2, "harvester: mirror synth needs the synth extra (slugify is not installed): "
           f"{runtime_venv}/bin/python -m pip install 'jinja2<4,>=3.1' 'markupsafe<4,>=2.1' "
           "'python-slugify<10,>=8.0'\n")
    assert not (tmp_path / "m").exists()


def test_the_installed_parquet_export_names_its_extra_with_the_same_exit_code(
        runtime_venv, bundled_topic_run, tmp_path):
    done = run_installed(runtime_venv, "export", "parquet", str(bundled_topic_run.run),
                         str(tmp_path / "parquet"), "--quiet", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, "harvester: export parquet needs the parquet extra (pyarrow is not installed): "
           f"{runtime_venv}/bin/python -m pip install 'pyarrow>=15'\n")
    assert not (tmp_path / "parquet").exists()
