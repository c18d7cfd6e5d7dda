"""Publishing a finished run: refuse it when it cannot be trusted, else merge it into the
state and write a complete snapshot, its changes and its manifest, atomically."""

import logging
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from harvester import harvester_version
from harvester.assemble import record_order
from harvester.dataset import add_package_files
from harvester.extensions.warc import warc_files
from harvester.items import Topic, fields_of, to_record
from harvester.pipelines.validate import problems
from harvester.runs import RunWriter
from harvester.state.context import utc_iso
from harvester.state.merge import merge_run

logger = logging.getLogger(__name__)


# Failures whose staged work must not be reused: what was parsed may be wrong.
UNTRUSTED = ("field coverage", "breaks the schema")
# Documents without text, by why (counted beside the fields' coverage, see snapshot()).
PDF_ONLY, TEXT_LOST = "pdf_only", "text_lost"


def failure(crawler, spider, reason: str, harvest) -> str | None:
    """Why this run must not replace the last good one, or None."""
    if reason != "finished":
        return f"crawl stopped before the end ({reason})"
    if getattr(spider, "incomplete", None):
        return "document list incomplete: " + "; ".join(spider.incomplete)
    required = getattr(spider, "required_topics", getattr(spider, "slugs", []))
    missing = [s for s in required if s not in harvest.topics]
    if missing:
        return "topic page not harvested: " + ", ".join(missing)
    for topic in harvest.topics.values():
        if found := problems(to_record(topic), "topic"):
            return f"topic {topic.slug} breaks the schema: {found[0][1]}"
    requested = crawler.stats.get_value("harvester/document_requests", 0)
    failed = crawler.stats.get_value("harvester/document_failures", 0)
    if requested and failed >= requested and not (harvest.fetched or harvest.not_modified):
        # Publishing would give the stored records again as if the site had been read.
        return f"every document request failed: {failed} of {requested}"
    # Documents an interrupted attempt of this run staged count: they are not fetched again.
    if harvest.fetched == 0 and spider.context.store.known_documents() == 0 and \
            spider.context.store.staged_documents(spider.context.run_id) == 0:
        return "no documents harvested"
    minimum = crawler.settings.getdict("HARVESTER_MIN_COVERAGE")
    if harvest.fetched:
        low = [f"{name} {harvest.present[name]}/{harvest.fetched}"
               for name, share in minimum.items()
               if harvest.present[name] < float(share) * harvest.fetched]
        if low:
            return "field coverage below threshold (the site may have changed): " + ", ".join(low)
    return None


def publish_run(crawler, spider, reason: str, harvest) -> None:
    context, stats = spider.context, crawler.stats
    store, run_id = context.store, context.run_id
    now = utc_iso()
    problem = failure(crawler, spider, reason, harvest)
    if problem:
        stats.set_value("harvester/failure", problem)
        # A stopped or incomplete run resumes next time; one whose parsing is in doubt starts
        # over.
        untrusted = any(marker in problem for marker in UNTRUSTED)
        store.end_run(run_id, "failed" if untrusted else "interrupted", now)
        store.close()
        logger.error("run %s not published: %s", run_id, problem)
        return
    memberships: dict[str, list[dict]] = {}
    for membership in harvest.memberships:
        record_id = store.record_for_url(membership.document_url)
        topic = harvest.topics.get(membership.topic_slug)
        if record_id and topic:
            memberships.setdefault(record_id, []).append({"slug": topic.slug,
                                                          "title": topic.title})
    merge_run(store, run_id, now, memberships, context.sweep, harvest.gone)
    for topic in apply_counters(harvest.topics, harvest.counters).values():
        store.save_topic(to_record(topic), now)
    missing = store.settle_missing_topics(getattr(spider, "topics_not_found", {}),
                                          set(harvest.topics), now, context.sweep)
    writer = RunWriter(context.out_dir, run_id)
    members: dict[str, list[str]] = {}
    coverage: Counter = Counter()
    writer.write_jsonl("documents.jsonl", snapshot(store, members, coverage))
    topics = topic_records(store.topics(), members)
    writer.write_jsonl("topics.jsonl", topics)
    rejects = store.settle_rejects([to_record(r) for r in harvest.rejects], now, context.sweep)
    writer.write_jsonl("rejects.jsonl", rejects)
    changes = store.changes(run_id)
    writer.write_jsonl("changes.jsonl", changes)
    add_package_files(writer)
    documents = writer.files["documents.jsonl"]["records"]
    missing_report = [{"slug": slug, **entry, "documents": len(members.get(slug, []))}
                      for slug, entry in missing.items()]
    manifest = build_manifest(crawler, spider, reason, harvest, changes, documents, coverage,
                              topics, rejects, missing_report)
    if kept := warc_files(writer.partial):
        manifest["warc"] = {"files": kept}
    run_dir = writer.publish(manifest)
    store.end_run(run_id, "published", utc_iso())
    store.keep_backup()  # the state as of this publish, to restore a damaged one from
    store.close()
    stats.set_value("harvester/run_dir", str(run_dir))
    logger.info("published %s", run_dir)


def snapshot(store, members: dict[str, list[str]], coverage: Counter):
    """Every current document, noting topic members and field coverage on the way. A record
    stored before a field existed gets it, empty, so every line has the same keys in order.
    `coverage` also counts documents without text by why: PDF_ONLY (the page shows a file in
    its place) and TEXT_LOST (nothing in its place)."""
    names = fields_of("document")
    for record in store.current_records():
        if list(record) != names:
            record = {name: record.get(name) for name in names}
        for topic in record["topics"]:
            if topic["slug"]:
                members.setdefault(topic["slug"], []).append(record["record_id"])
        coverage.update(k for k, v in record.items() if v not in (None, []))
        if not record.get("text"):
            coverage[PDF_ONLY if record.get("preview") else TEXT_LOST] += 1
        yield record


def apply_counters(topics: dict[str, Topic], counters) -> dict[str, Topic]:
    for counter in counters:
        topic = topics.get(counter.topic_slug)
        if topic is None:
            continue
        if counter.total is not None:
            topic.document_count = max(topic.document_count or 0, counter.total)
        if topic.topic_id is None:
            topic.topic_id = counter.topic_id
    return topics


def topic_records(stored: dict[str, dict], members: dict[str, list[str]]) -> list[dict]:
    records = []
    for slug, record in sorted(stored.items()):
        records.append({**record, "record_ids": sorted(set(members.get(slug, [])),
                                                       key=record_order)})
    return records


def build_manifest(crawler, spider, reason, harvest, changes, documents: int,
                   coverage: Counter, topics: list[dict], rejects: list[dict],
                   missing_topics: list[dict]) -> dict[str, Any]:
    """`missing_topics`: topic pages that answered 404/410 when last asked, with how many
    documents name each."""
    context, stats = spider.context, crawler.stats
    kinds = Counter(change["change"] for change in changes)
    return {
        "run_id": context.run_id,
        "harvester_version": harvester_version(),
        "spider": spider.name,
        "arguments": {"topics": list(getattr(spider, "slugs", [])),
                      "incremental": context.incremental, "full_sweep": context.sweep},
        "resumed": context.resumed,
        "base_url": getattr(spider, "base_url", None),
        "public_base_url": crawler.settings.get("HARVESTER_PUBLIC_BASE_URL") or None,
        "started": utc_iso(context.started),
        "finished": utc_iso(datetime.now(UTC)),
        "finish_reason": reason,
        "warnings": list(getattr(spider, "warnings", [])),
        "counts": {
            "documents": documents,
            "topics": len(topics),
            "rejects": len(rejects),
            "rejected": len(harvest.rejects),
            "fetched": harvest.fetched,
            "not_modified": harvest.not_modified,
            "added": kinds["added"], "changed": kinds["changed"], "removed": kinds["removed"],
            "duplicates": stats.get_value("harvester/duplicates", 0),
            "rechecks": stats.get_value("harvester/rechecks", 0),
            "requests": stats.get_value("downloader/request_count", 0),
            "responses": stats.get_value("downloader/response_count", 0),
            "pdf_only": coverage[PDF_ONLY], "text_lost": coverage[TEXT_LOST],
        },
        "coverage": {name: round(coverage[name] / documents, 4) if documents else None
                     for name in fields_of("document")} | {
            "text_or_preview": round(1 - coverage[TEXT_LOST] / documents, 4)
            if documents else None},
        "listing": getattr(spider, "listing_report", dict)(),
        "source": spider.source_report(),
        "topics": {t["slug"]: {"counter": t["document_count"], "documents": len(t["record_ids"]),
                               "shortfall": max(0, (t["document_count"] or 0)
                                                - len(t["record_ids"]))} for t in topics},
        "missing_topics": missing_topics,
    }
