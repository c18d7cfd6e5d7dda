"""`harvester validate` never reads a descriptor larger than any the harvester writes."""

from harvester.cli import main
from harvester.dataset.files import MAX_DESCRIPTOR_BYTES


def test_a_huge_descriptor_is_a_problem_not_read(copy, capsys):
    package = copy / "datapackage.json"
    package.unlink()
    with package.open("wb") as handle:  # sparse: 1.4 GB that take no room on the disk
        handle.truncate(1_400_000_000)
    assert main(["validate", str(copy)]) == 1
    problems = capsys.readouterr().out.splitlines()
    assert problems[0] == (f"datapackage.json: cannot be read (1400000000 bytes, more than a "
                           f"descriptor holds ({MAX_DESCRIPTOR_BYTES} at most))")
