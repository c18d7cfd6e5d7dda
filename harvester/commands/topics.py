"""`harvester topics`: the topic slugs `harvester crawl topic` takes, as the output folder's
state knows them (harvested, or missing when last asked) or, with --site, as the site's topic
index lists them."""

import sys
from pathlib import Path

from scrapy.exceptions import UsageError

from harvester.crawl import EXIT_FAILED, EXIT_OK, run_spider
from harvester.settings.output import output_dir_from_environment
from harvester.spiders.base import check_base_url
from harvester.state.known_topics import known_topics


def register(commands) -> None:
    topics = commands.add_parser("topics", help="list the topic slugs known, from the state "
                                                "or (--site) from the site's topic index")
    topics.add_argument("--out", default=output_dir_from_environment(),
                        help="the output folder whose state to read ($HARVESTER_OUTPUT_DIR)")
    topics.add_argument("--site", action="store_true",
                        help="ask the site's topic index (/topics) instead, politely, as a "
                             "crawl does")
    topics.add_argument("--base-url", help="the site (default: the archive, or "
                                           "$HARVESTER_BASE_URL)")
    topics.add_argument("-v", "--verbose", action="store_true", help="Scrapy's log at INFO")
    topics.set_defaults(handler=run)


def from_site(args) -> int:
    from harvester.spiders.topic_index import TopicIndexRead

    overrides = {"HARVESTER_BASE_URL": check_base_url(args.base_url) if args.base_url else None,
                 "LOG_LEVEL": "INFO" if args.verbose else "WARNING",
                 "HARVESTER_PROGRESS_INTERVAL": 0}
    read = TopicIndexRead()
    outcome = run_spider("topic-index", {"read": read}, overrides, publishes=False)
    slugs = read.slugs
    if slugs is None:
        why = read.failure or outcome.message
        print(f"harvester: the site's topic index was not read: {why}", file=sys.stderr)
        return EXIT_FAILED
    for slug in slugs:
        print(slug)
    print(f"harvester: {len(slugs)} topics listed by the site's topic index", file=sys.stderr)
    return EXIT_OK


def run(args) -> int:
    if args.site:
        return from_site(args)
    if not args.out.strip():
        raise UsageError("--out is empty: name the output folder whose state to read")
    out = Path(args.out)
    known = known_topics(out)
    if not known:
        print(f"harvester: no topics known in {out}: `harvester topics --site` asks the site",
              file=sys.stderr)
        return EXIT_FAILED
    for slug, title in sorted(known.items()):
        print(f"{slug}\t{title}")
    print(f"harvester: {len(known)} topics known in {out / 'state'}", file=sys.stderr)
    return EXIT_OK
