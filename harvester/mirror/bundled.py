"""Where the bundled mirror is. It is package data of `harvester` (`harvester/bundled_mirror/`),
found through importlib.resources, so an installed wheel serves the same pages as a source tree;
each page's hand-checked expected record (`*.expected.json`) sits beside it in the source tree
and is left out of the wheel."""

from importlib.resources import files
from pathlib import Path


def bundled_mirror() -> Path:
    """The mirror's folder; `harvester serve` needs real files, not a zip archive's entries."""
    root = files("harvester").joinpath("bundled_mirror")
    if not isinstance(root, Path):
        raise ValueError("the bundled mirror is inside an archive, not a folder; "
                         "install harvester unzipped or pass --mirror DIR")
    return root


BUNDLED_MIRROR = bundled_mirror()
