"""Every run folder's dataset card, `README.md`, and its chart, `documents-per-year.svg`: what a
reader sees before opening a file (counts, sources, date range, coverage, languages, topics).
Both are gathered while the publication streams the documents, and listed in both
descriptors like every other file of the run."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from harvester.dataset.chart import document_year, documents_per_year_svg
from harvester.dataset.terms import TermIndex

CARD, CHART = "README.md", "documents-per-year.svg"
# Document fields whose coverage the card reports, in this order.
COVERED = ("title", "date", "summary", "people", "places", "subjects", "source", "type",
           "languages", "text")


@dataclass
class CardFacts:
    """What the card says about the documents, counted one document at a time."""

    documents: int = 0
    filled: Counter = field(default_factory=Counter)
    years: Counter = field(default_factory=Counter)
    undated: int = 0
    earliest: str | None = None
    latest: str | None = None
    languages: Counter = field(default_factory=Counter)
    topics: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)
    places: TermIndex = field(default_factory=lambda: TermIndex("places"))
    subjects: TermIndex = field(default_factory=lambda: TermIndex("subjects"))

    def add(self, document: dict[str, Any]) -> None:
        self.documents += 1
        self.filled.update(name for name in COVERED if document.get(name) not in (None, []))
        year = document_year(document)
        if year is None:
            self.undated += 1
        else:
            self.years[year] += 1
        date = document.get("date") or {}
        if date.get("earliest"):
            self.earliest = min(filter(None, (self.earliest, date["earliest"])))
        if date.get("latest"):
            self.latest = max(filter(None, (self.latest, date["latest"])))
        self.languages.update(document["languages"])
        self.topics.update(t["title"] or t["slug"] for t in document["topics"])
        self.sources[(document.get("capture") or {}).get("source") or "unknown"] += 1
        self.places.add(document)
        self.subjects.add(document)


def chart(facts: CardFacts) -> str:
    return documents_per_year_svg(facts.years, facts.undated, "Documents per year")


def table(rows: list[tuple[str, Any]], head: tuple[str, str]) -> list[str]:
    return [f"| {head[0]} | {head[1]} |", "|---|---:|", *(f"| {a} | {b} |" for a, b in rows)]


def card(facts: CardFacts, package: dict[str, Any], counts: dict[str, int]) -> str:
    """The card's Markdown. `package` is the descriptor being written, `counts` the records of
    each file."""
    n = facts.documents or 1
    lines = [f"# {package['title']}", "",
             f"{package['description']} Run `{package['run_id']}`, written "
             f"{package['created']} by harvester {package['harvester_version']}.", "",
             "## What it holds", "",
             *table([("documents", counts["documents"]), ("topics harvested", counts["topics"]),
                     ("people and organisations", counts["people"]),
                     ("places", len(facts.places.entries())),
                     ("subjects", len(facts.subjects.entries())),
                     ("pages rejected", counts["rejects"])], ("records", "count")), "",
             f"Dates: {facts.earliest or 'none'} to {facts.latest or 'none'}; "
             f"{sum(facts.years.values())} documents dated within one year, {facts.undated} "
             "undated or dated to a wider span.", "",
             f"![Documents per year]({CHART})", "",
             "## Sources", "",
             *(f"- {s['title']}: {s['path']}" for s in package.get("sources", [])),
             "- pages read: " + ", ".join(f"{k} {v}" for k, v in sorted(facts.sources.items())),
             "", "## Coverage", "",
             *table([(name, f"{round(100 * facts.filled[name] / n)} %") for name in COVERED],
                    ("field", "documents with a value")), "",
             "## Languages", "",
             *table(facts.languages.most_common(10), ("language", "documents")), "",
             "## Topics", "",
             *table(facts.topics.most_common(10), ("topic", "documents")), "",
             "## Files and rights", "",
             "`datapackage.json` describes every file (bytes, sha256, columns); `manifest.json` "
             "says how the run went; `docs/DATASET.md` in the harvester's sources is the data "
             "dictionary.", "", package["rights"]]
    return "\n".join(lines) + "\n"
