"""The run's life, in one place: opening it (the output folder's lock, the state, a resumed
run), what the crawl stages into it, the rules that refuse it, the merge into the state, and
publishing its folder and switching `latest`.

- `context.py`: opening a run (lock, state store, run id, sweep or not);
- `harvest.py`: `Run`, what spiders and pipelines hand to the run while it lasts;
- `refusal.py`: the rules that refuse a run, a pure function of its facts;
- `merge.py`: staged records into the state (added, changed, removed);
- `publish.py`, `manifest.py`: the snapshot, its files and manifest;
- `extension.py`: the Scrapy extension that opens the run and closes it when the crawl ends.

The run folders themselves (written aside and renamed into place, `latest`, recovery) are the
dataset's: `harvester/dataset/folder.py`, which the run imports and nothing below it needs.
"""
