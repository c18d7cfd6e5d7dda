"""Records and published runs changed the ways tests need: the mirror's hand-checked documents
with the fields a crawl adds, and a run's records edited with its descriptors resealed."""

import json
from pathlib import Path

from harvester.dataset.folder import file_facts
from tests.helpers.pages import SITE

CAPTURE = {"source": "live", "timestamp": "2026-01-01T00:00:00Z",
           "url": "https://digitalarchive.wilsoncenter.org/document/x",
           "digest": "sha1:" + "A" * 32}


def base_records() -> list[dict]:
    """The hand-checked document records of the bundled mirror, with the fields a crawl adds."""
    records = []
    for path in sorted((SITE / "document").glob("*.expected.json")):
        expected = json.loads(path.read_text("utf-8"))
        if "reject" not in expected:
            records.append({**expected, "retrieved_at": "2026-01-01T00:00:00Z",
                            "capture": CAPTURE})
    return records


BASES = base_records()


def edit_records(path: Path, change) -> None:
    """Rewrite a JSON Lines file through `change(list of records)`, as the writer would."""
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    change(records)
    path.write_text("".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                            for r in records), "utf-8")


def reseal(run: Path) -> None:
    """Make both descriptors agree with the files again, as a faulty producer would have
    written them, so that only the problem in the records remains."""
    package_path, manifest_path = run / "datapackage.json", run / "manifest.json"
    package, manifest = json.loads(package_path.read_text()), json.loads(manifest_path.read_text())
    for resource in package["resources"]:
        facts = file_facts(run / resource["path"])
        resource.update(bytes=facts["bytes"], hash=f"sha256:{facts['sha256']}")
        if "rows" in resource:
            resource["rows"] = len((run / resource["path"]).read_text().splitlines())
    for name, entry in manifest["files"].items():
        lines = len((run / name).read_text().splitlines())
        entry.update(records=lines, **file_facts(run / name))
    package_path.write_text(json.dumps(package))
    manifest_path.write_text(json.dumps(manifest))
