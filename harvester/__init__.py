"""Metadata harvester for the Wilson Center Digital Archive."""

from importlib.metadata import PackageNotFoundError, version


def harvester_version() -> str:
    """The installed version, written into manifests and data packages."""
    try:
        return version("harvester")
    except PackageNotFoundError:
        return "unknown"
