"""Trusting a run that was validated when it was published.

At publication every record of every record file is checked against its JSON Schema
(package.py), and only a run whose records all pass gets the `harvester:validated` property in
datapackage.json: the harvester version that checked and the sha256 of each schema used. An
export then skips the schema check of a record file whose bytes (size and sha256) are those
both descriptors state, when the schema file beside it is the one the mark names: bytes that
were checked once need not be checked again. Anything else (no mark, a file or schema changed
since) is checked in full, and `--revalidate` checks everything whatever the mark says.

The mark guards against damage, not against a forger: whoever rewrites a file and both
descriptors can rewrite the mark too. Exports of runs from elsewhere take `--revalidate`.
"""

from typing import Any

from harvester import harvester_version
from harvester.dataset.files import schema_path

VALIDATED = "harvester:validated"


class TrustMisplaced(Exception):
    """A trusted file holds a record the checks across files cannot read: check in full."""


def validated_mark(schema_hashes: dict[str, str]) -> dict[str, Any]:
    """The property saying every record was checked against these schemas (kind -> sha256)."""
    return {"by": f"harvester {harvester_version()}",
            "schemas": {kind: f"sha256:{digest}" for kind, digest in schema_hashes.items()}}


def validated_schemas(package: dict[str, Any] | None) -> dict[str, str]:
    """kind -> "sha256:…" of the schemas a marked package was validated against; empty when
    the package carries no (well-formed) mark."""
    mark = (package or {}).get(VALIDATED)
    schemas = mark.get("schemas") if isinstance(mark, dict) else None
    if not isinstance(schemas, dict):
        return {}
    return {kind: digest for kind, digest in schemas.items() if isinstance(digest, str)}


def is_trusted(name: str, kind: str, sound: set[str], listed: dict[str, dict] | None,
               marked: dict[str, str]) -> bool:
    """Whether a record file's records may go unchecked: the package is marked, the file and
    its schema are byte for byte what the descriptors say, and that schema is the one marked."""
    schema = schema_path(kind)
    if kind not in marked or name not in sound or schema not in sound:
        return False
    return (listed or {}).get(schema, {}).get("hash") == marked[kind]
