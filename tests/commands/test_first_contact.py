"""What a new user meets first, following only the README: the demo publishes into a folder
of its own, never the real runs' `output/`."""

import subprocess

from tests.helpers.crawls import HARVESTER


def test_the_demo_publishes_into_its_own_folder(tmp_path):
    done = subprocess.run([*HARVESTER, "demo"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]
    assert (tmp_path / "demo" / "latest" / "manifest.json").is_file()
