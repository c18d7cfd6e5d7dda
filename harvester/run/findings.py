"""What a spider saw that the run's refusals and manifest need. Spiders tell the run as they see
it (`spider.run.incomplete(...)`, `.warn(...)`, ...); the run never reads it from the spider's
attributes when it closes."""

from dataclasses import dataclass, field
from typing import Any

INCOMPLETE_STAT = "harvester/incomplete"


@dataclass
class Findings:
    # Why the lists cannot be trusted to be complete: any line refuses the run.
    incomplete: list[str] = field(default_factory=list)
    # One line each, for the manifest.
    warnings: list[str] = field(default_factory=list)
    # Topic pages that answered 404/410: slug -> (public URL, status).
    topics_not_found: dict[str, tuple[str, int]] = field(default_factory=dict)
    # Topics asked for that the site lacks: slug -> what their page answered.
    unknown_topics: dict[str, str] = field(default_factory=dict)
    # Document requests sent on the run's own account, and those that failed for good.
    document_requests: int = 0
    document_failures: int = 0

    def replace_incomplete(self, prefix: str, lines: list[str]) -> None:
        """One kind of problem said again as a whole (each line starts with `prefix`): its
        earlier lines go, the new ones are last."""
        self.incomplete[:] = [line for line in self.incomplete if not line.startswith(prefix)]
        self.incomplete += [prefix + line for line in lines]


class TellsFindings:
    """The run's narrow API for what a spider saw (mixed into `Run`). Each also counts in the
    crawl's stats, which are for watching the crawl, never read back."""

    findings: Findings
    crawler: Any  # the crawl's Crawler

    def _count(self, stat: str) -> None:
        self.crawler.stats.inc_value(stat)

    def incomplete(self, message: str) -> None:
        """A list the run cannot trust to be complete: the run will be refused, saying why."""
        self.findings.incomplete.append(message)
        self._count(INCOMPLETE_STAT)

    def incomplete_again(self, prefix: str, lines: list[str]) -> None:
        """One kind of problem said again as a whole (see Findings.replace_incomplete)."""
        self.findings.replace_incomplete(prefix, lines)
        self._count(INCOMPLETE_STAT)

    def warn(self, message: str) -> int:
        """A line for the manifest's warnings; returns its place, for `warn_again`."""
        self.findings.warnings.append(message)
        return len(self.findings.warnings) - 1

    def warn_again(self, place: int, message: str) -> None:
        """A warning said again in its place (a count that grew)."""
        self.findings.warnings[place] = message

    def topic_not_found(self, slug: str, url: str, status: int) -> None:
        self.findings.topics_not_found[slug] = (url, status)

    def unknown_topic(self, slug: str, answer: str) -> None:
        """A topic asked for that the site does not have, and what its page answered."""
        self.findings.unknown_topics[slug] = answer

    def document_requested(self) -> None:
        self.findings.document_requests += 1
        self._count("harvester/document_requests")

    def document_failed(self) -> None:
        self.findings.document_failures += 1
        self._count("harvester/document_failures")
