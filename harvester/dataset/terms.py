"""One entry per place and per subject, keyed and merged as people are (authority.py).

A document's `place_links` and `subject_links` say how each pill linked (`/places/<slug>`, a
faceted search on a term id, or nothing); a record stored before they existed has only the
names (`places`, `subjects`), which key by their normalised name.
"""

from collections import Counter
from collections.abc import Iterable
from typing import Any

from harvester.assemble import record_order
from harvester.dataset.authority import Resolver
from harvester.normalize.names import name_key

# Document list field -> the field giving each of its values' links.
LINKED_FIELDS = {"places": "place_links", "subjects": "subject_links"}


def document_terms(document: dict[str, Any], field: str) -> list[dict[str, Any]]:
    """The document's places or subjects as {id, slug, name}, in page order."""
    links = document.get(LINKED_FIELDS[field])
    if links is not None:
        return links
    return [{"id": None, "slug": None, "name": name} for name in document.get(field) or []]


class TermIndex:
    """The places (or subjects) of the documents, merged into entries."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.resolver = Resolver(name_key)
        self.forms: dict[str, Counter] = {}
        self.first: dict[str, dict[str, tuple]] = {}
        self.record_ids: dict[str, set[str]] = {}
        self.ids: dict[str, set[int]] = {}

    def add(self, document: dict[str, Any]) -> None:
        record_id = document["record_id"]
        for position, term in enumerate(document_terms(document, self.field)):
            raw = self.resolver.add(term["slug"], term["id"], term["name"])
            self.forms.setdefault(raw, Counter())[term["name"]] += 1
            self.first.setdefault(raw, {}).setdefault(term["name"],
                                                      (record_order(record_id), position))
            self.record_ids.setdefault(raw, set()).add(record_id)
            if term["id"] is not None:
                self.ids.setdefault(raw, set()).add(term["id"])

    def key_of(self, term: dict[str, Any]) -> str:
        return self.resolver.key_of(term["slug"], term["id"], term["name"])

    def entries(self) -> list[dict[str, Any]]:
        """{key, slug, ids, name, aliases, document_count}, sorted by name, then key."""
        groups: dict[str, list[str]] = {}
        for raw, key in self.resolver.resolved().items():
            groups.setdefault(key, []).append(raw)
        entries = [self.entry(key, raws) for key, raws in groups.items()]
        return sorted(entries, key=lambda e: (e["name"].casefold(), e["name"], e["key"]))

    def entry(self, key: str, raws: list[str]) -> dict[str, Any]:
        forms: Counter = Counter()
        first: dict[str, tuple] = {}
        for raw in raws:
            forms.update(self.forms[raw])
            for name, seen in self.first[raw].items():
                first[name] = min(seen, first.get(name, seen))
        names = sorted(forms, key=lambda n: (-forms[n], first[n]))
        return {"key": key,
                "slug": key.removeprefix("slug:") if key.startswith("slug:") else None,
                "ids": sorted(set().union(*(self.ids.get(raw, set()) for raw in raws))),
                "name": names[0], "aliases": names[1:],
                "document_count": len(set().union(*(self.record_ids[raw] for raw in raws)))}


def term_index(documents: Iterable[dict[str, Any]], field: str) -> TermIndex:
    index = TermIndex(field)
    for document in documents:
        index.add(document)
    return index
