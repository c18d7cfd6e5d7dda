"""docs/SETTINGS.md's table is the table the settings are checked against."""

import json
import os
import subprocess
import sys

from harvester.settings.checks import SETTINGS, default, table
from tests.helpers.pages import ROOT


def test_the_documented_table_is_the_checked_one():
    text = (ROOT / "docs" / "SETTINGS.md").read_text("utf-8")
    assert text[text.index("| setting | default |"):] == table()


def test_the_defaults_of_settings_read_from_the_environment_are_the_documented_ones():
    names = [s.name for s in SETTINGS if s.environment is not None]
    env = {k: v for k, v in os.environ.items() if k not in names}
    printed = subprocess.run(
        [sys.executable, "-c", "import json, harvester.settings.base as b; "
                               f"print(json.dumps([getattr(b, n) for n in {names!r}]))"],
        capture_output=True, text=True, env=env, check=True).stdout
    assert json.loads(printed) == [default(s) for s in SETTINGS if s.environment is not None]
