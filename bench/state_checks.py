"""What the state's new checks cost at the archive's size: a state of 16,153 documents (the
bundled mirror's records repeated under new Record IDs and URLs), then

- the lookups a listing makes of each document URL (is it known, is it current, removed?),
- the published dataset's field rates a coverage check reads,
- reading every record as a snapshot does, a control character looked for in each record's
  JSON, next to reading the JSON alone and to looking at every string instead,
- the check of every setting.

Run by hand: `.venv/bin/python bench/state_checks.py [--documents 16153]`.
"""

import argparse
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

from harvester.crawl import project_settings
from harvester.normalize.text import without_controls
from harvester.run.merge import content_hash
from harvester.run.publish import snapshot
from harvester.settings.checks import check_settings
from harvester.state.store import StateStore
from tests.helpers.records import BASES

NOW = "2026-12-01T00:00:00Z"


def fill(store: StateStore, documents: int) -> list[str]:
    """`documents` published records and their URLs; the URLs."""
    urls = []
    for n in range(documents):
        base = BASES[n % len(BASES)]
        record = {**base, "record_id": str(400000 + n),
                  "url": f"{base['url']}-{n}", "title": f"{base['title']} {n}"}
        store.db.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0, NULL)",
            (record["record_id"], record["url"], content_hash(record), json.dumps(record),
             NOW, NOW, NOW, NOW))
        store.db.execute("INSERT INTO urls VALUES (?, ?)", (record["url"], record["record_id"]))
        urls.append(record["url"])
    return urls


def timed(label: str, work) -> None:
    started = time.perf_counter()
    work()
    print(f"{label}: {time.perf_counter() - started:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=16153)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = StateStore(Path(folder) / "state.sqlite")
        store.db.execute("BEGIN")
        urls = fill(store, args.documents)
        store.db.execute("COMMIT")
        store.open_run("job", {}, "r1", NOW, True)
        print(f"{args.documents} documents")

        def lookups() -> None:
            for url in urls:
                record_id = store.record_for_url(url, "r1")
                store.is_removed(record_id)
                store.is_current_url(url)

        timed("known, removed and current, for every URL", lookups)
        timed("the dataset's rates of 4 fields", lambda: store.field_rates(
            ["record_id", "title", "date", "summary"]))
        timed("every record read from the state, as JSON alone", lambda: [
            json.loads(text) for (text,) in store.db.execute(
                "SELECT record_json FROM documents ORDER BY length(record_id), record_id")])
        timed("every record read as a snapshot reads it (a control character looked for in "
              "its JSON)", lambda: list(store.current_records()))
        timed("a snapshot's whole pass (coverage, topics)",
              lambda: list(snapshot(store, {}, Counter())))
        records = list(store.current_records())
        timed("every string of every record looked at instead (without_controls)",
              lambda: [without_controls(r) for r in records])
        settings = project_settings({})
        timed("every setting checked, 100 times", lambda: [check_settings(settings)
                                                            for _ in range(100)])
        store.close()


if __name__ == "__main__":
    main()
