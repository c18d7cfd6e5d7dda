"""The manifest of a published run: what was asked, what was found, how complete it is."""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from harvester import harvester_version
from harvester.items import fields_of
from harvester.utc import utc_iso

# Documents without text, by why (counted beside the fields' coverage).
PDF_ONLY, TEXT_LOST = "pdf_only", "text_lost"


@dataclass
class Published:
    """What the run's files hold, as the manifest reports it."""

    changes: list[dict]
    documents: int
    coverage: Counter
    topics: list[dict]
    rejects: list[dict]
    # Topic pages that answered 404/410 when last asked, with how many documents name each.
    missing_topics: list[dict]


def build_manifest(run, reason: str, published: Published) -> dict[str, Any]:
    context, terms, harvest = run.context, run.terms, run.harvest
    kinds = Counter(change["change"] for change in published.changes)
    documents, coverage, topics = published.documents, published.coverage, published.topics
    trial = {"partial": True, "limit": context.limit} if context.limit else {}
    return {
        "run_id": context.run_id,
        "harvester_version": harvester_version(),
        "spider": terms.spider,
        "arguments": {"topics": list(terms.topics),
                      "incremental": context.incremental, "full_sweep": context.sweep},
        "resumed": context.resumed,
        "base_url": terms.base_url,
        "public_base_url": run.config.public_base_url or None,
        "started": utc_iso(context.started),
        "finished": utc_iso(datetime.now(UTC)),
        "finish_reason": reason,
        **trial,
        "warnings": list(run.findings.warnings),
        "counts": {
            "documents": documents,
            "topics": len(topics),
            "rejects": len(published.rejects),
            "rejected": len(harvest.rejects),
            "fetched": harvest.fetched,
            "not_modified": harvest.not_modified,
            "added": kinds["added"], "changed": kinds["changed"], "removed": kinds["removed"],
            "duplicates": harvest.duplicates,
            "rechecks": harvest.rechecks,
            "requests": harvest.requests,
            "responses": harvest.responses,
            "pdf_only": coverage[PDF_ONLY], "text_lost": coverage[TEXT_LOST],
        },
        "coverage": {name: round(coverage[name] / documents, 4) if documents else None
                     for name in fields_of("document")} | {
            "text_or_preview": round(1 - coverage[TEXT_LOST] / documents, 4)
            if documents else None},
        "listing": terms.reports.listing_report(),
        "source": terms.reports.source_report(),
        "topics": {t["slug"]: {"counter": t["document_count"], "documents": len(t["record_ids"]),
                               "shortfall": max(0, (t["document_count"] or 0)
                                                - len(t["record_ids"]))} for t in topics},
        "missing_topics": published.missing_topics,
    }


def summary(manifest: dict[str, Any]) -> str:
    """The run's counts on one line: `19 documents, 1 topic, 1 reject, 27 requests; 19 added,
    0 changed, 0 removed`."""
    counts = manifest["counts"]
    shown = ", ".join(f"{counts[key]} {key if counts[key] != 1 else key[:-1]}"
                      for key in ("documents", "topics", "rejects", "requests"))
    return (f"{shown}; {counts['added']} added, {counts['changed']} changed, "
            f"{counts['removed']} removed")
