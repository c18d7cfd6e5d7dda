"""docs/RELIABILITY.md's table of web archives and files that lie names, for each scenario, the
tests that show what the harvester does now: every one of them must exist."""

import re

from tests.helpers.pages import ROOT

SECTION = "## Web archives and files that lie"


def table_rows() -> list[list[str]]:
    text = (ROOT / "docs" / "RELIABILITY.md").read_text("utf-8")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split(" | ")]
            for line in section.splitlines() if line.startswith("| ")]
    return rows[1:]   # the header; the |---| line does not start with "| "


def named_tests(cell: str) -> list[tuple[str, str | None]]:
    """(file, test or None) for each `file.py::test` or `file.py` a cell names; `::test`
    alone is of the file named before it."""
    found, current = [], None
    for name in re.findall(r"`([^`]+)`", cell):
        path, _, test = name.partition("::")
        current = path or current
        found.append((current, test or None))
    return found


def test_every_scenario_names_tests_that_exist():
    """A file named alone is one of tests/end_to_end/ (this folder)."""
    rows = table_rows()
    assert len(rows) == 28
    for scenario, _before, _after, cell in rows:
        named = named_tests(cell)
        assert named, scenario
        for path, test in named:
            file = ROOT / path if "/" in path else ROOT / "tests" / "end_to_end" / path
            source = file.read_text("utf-8")
            assert test is None or f"def {test}(" in source, (scenario, path, test)
