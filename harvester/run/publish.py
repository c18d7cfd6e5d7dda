"""Publishing a finished run: refuse it when it cannot be trusted, else merge it into the
state and write a complete snapshot, its changes and its manifest, atomically."""

import logging
from collections import Counter
from pathlib import Path

from harvester.assemble import record_order
from harvester.dataset import add_package_files
from harvester.dataset.folder import RunWriter
from harvester.dataset.record_tap import RecordTap
from harvester.extensions.warc import warc_files
from harvester.items import Topic, fields_of, to_record
from harvester.run.aftermath import FAILURES_STAT, WARNINGS_STAT, settle
from harvester.run.harvest import Run
from harvester.run.manifest import PDF_ONLY, TEXT_LOST, Published, build_manifest
from harvester.run.merge import fold_changes, merge_run
from harvester.run.refusal import refusal, untrusted
from harvester.utc import utc_iso

logger = logging.getLogger(__name__)
# Records checked against their schema as they were published, and records published as the
# crawl checked them, not checked again.
CHECKED_STAT = "harvester/publish/records_checked"
TRUSTED_STAT = "harvester/publish/records_checked_in_crawl"


def close_run(run: Run, reason: str) -> None:
    """Refuse the run, or publish it; either way the state is closed and the run's outcome
    says which (the stats repeat it for the log)."""
    store, run_id, stats, outcome = run.store, run.run_id, run.crawler.stats, run.outcome
    problem = refusal(run.facts(reason))
    if problem:
        outcome.failure = problem
        stats.set_value("harvester/failure", problem)
        # A stopped or incomplete run resumes next time; one whose parsing is in doubt starts
        # over.
        store.end_run(run_id, "failed" if untrusted(problem) else "interrupted", utc_iso())
        store.close()
        # Said at INFO: the command's last line says it, and a scheduler's log (INFO) has it.
        logger.info("run %s not published: %s", run_id, problem)
        return
    run_dir = publish_run(run, reason)  # an error before `latest` moves: not published
    outcome.run_dir = run_dir
    stats.set_value("harvester/run_dir", str(run_dir))
    logger.info("published %s", run_dir)
    # A trial run is not a publication the schedule counts (HARVESTER_FULL_SWEEP_EVERY, the
    # re-check budget): its status says so.
    after = settle(store, run_id, "partial" if run.context.limit else "published",
                   run.context.out_dir, run.config.keep_runs)
    outcome.after_failures, outcome.after_warnings = after.failures, after.warnings
    if after.failures:
        stats.set_value(FAILURES_STAT, after.failures)
    if after.warnings:
        stats.set_value(WARNINGS_STAT, after.warnings)


def publish_run(run: Run, reason: str) -> Path:
    """Merge the run into the state and write its folder; once this returns, `latest` names it
    (a trial run's folder is in place)."""
    context, harvest = run.context, run.harvest
    store, run_id = context.store, context.run_id
    now = utc_iso()
    memberships: dict[str, list[dict]] = {}
    for membership in harvest.memberships:
        record_id = store.record_for_url(membership.document_url, run_id)
        topic = harvest.topics.get(membership.topic_slug)
        if record_id and topic:
            memberships.setdefault(record_id, []).append({"slug": topic.slug,
                                                          "title": topic.title})
    merge_run(store, run_id, now, memberships, context.sweep, harvest.gone)
    for topic in apply_counters(harvest.topics, harvest.counters).values():
        store.save_topic(to_record(topic), now)
    store.save_person_pages(harvest.person_pages, now)
    missing = store.settle_missing_topics(run.findings.topics_not_found, set(harvest.topics), now,
                                          context.sweep)
    writer = RunWriter(context.out_dir, run_id, trial=bool(context.limit))
    members: dict[str, list[str]] = {}
    coverage: Counter = Counter()
    # A trial run (`--limit N`) holds what it fetched, at most N documents, not the dataset.
    only = run_id if context.limit else None
    # Each record is written once and seen on its way by the tap, never read back.
    tap = RecordTap()
    writer.write_jsonl("documents.jsonl", tap.each_checked(
        "document", snapshot(store, members, coverage, only, (run_id, harvest.checked))))
    topics = topic_records(store.topics(), members)
    writer.write_jsonl("topics.jsonl", tap.each("topic", topics))
    rejects = store.settle_rejects([to_record(r) for r in harvest.rejects], now, context.sweep)
    writer.write_jsonl("rejects.jsonl", tap.each("reject", rejects))
    journals = [store.changes(r) for r in [*store.trial_runs_since_published(context.job, run_id),
                                            run_id]]
    changes = fold_changes(journals)
    writer.write_jsonl("changes.jsonl", changes)
    add_package_files(writer, store.person_details(), tap)
    run.crawler.stats.set_value(CHECKED_STAT, tap.checked)
    run.crawler.stats.set_value(TRUSTED_STAT, tap.trusted)
    missing_report = [{"slug": slug, **entry, "documents": len(members.get(slug, []))}
                      for slug, entry in missing.items()]
    manifest = build_manifest(run, reason, Published(
        changes, writer.files["documents.jsonl"]["records"], coverage, topics, rejects,
        missing_report))
    if kept := warc_files(writer.partial):
        manifest["warc"] = {"files": kept}
    return writer.publish(manifest)


def snapshot(store, members: dict[str, list[str]], coverage: Counter,
             only_run: str | None = None, checked: tuple[str, set[str]] = ("", set())):
    """Every current document, noting topic members and field coverage on the way, each with
    whether it was checked against its schema already: `checked` is a run and the Record IDs
    whose records its crawl checked, which are so only if published to the byte as that run
    staged them. A record stored before a field existed gets it, empty, so every line has the
    same keys in order. `coverage` also counts documents without text by why: PDF_ONLY (the
    page shows a file in its place) and TEXT_LOST (nothing in its place). `only_run`: only the
    documents that run staged (the store gives every record without control characters,
    whenever it was stored)."""
    names = fields_of("document")
    run_id, passed = checked
    for record, as_staged in store.published_rows(only_run, run_id):
        if list(record) != names:
            record, as_staged = {name: record.get(name) for name in names}, False
        for topic in record["topics"]:
            if topic["slug"]:
                members.setdefault(topic["slug"], []).append(record["record_id"])
        coverage.update(k for k, v in record.items() if v not in (None, []))
        if not record.get("text"):
            coverage[PDF_ONLY if record.get("preview") else TEXT_LOST] += 1
        yield record, as_staged and record["record_id"] in passed


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
