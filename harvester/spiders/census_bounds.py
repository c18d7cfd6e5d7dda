"""A census through a CDX server is bounded, whatever the server answers: a resume key given
again ends it (paging would never end), so does passing `HARVESTER_CDX_MAX_PAGES` answers or
`HARVESTER_CDX_MAX_ROWS` rows, and rows that cannot be read are counted by reason and refuse
the run past `HARVESTER_CDX_MAX_MALFORMED` of all rows. Shared by the `wayback` spider (whose
run is then refused, saying why) and `--list-captures` (which then exits 1, saying why).
Each bound, like the WARC source's own, is checked where it is read: one line naming the
setting (`whole_setting`, `number_setting`)."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from scrapy.exceptions import UsageError

from harvester.sources.cdx import CdxPage

_SHOWN_KEY = 40


@dataclass(frozen=True)
class CensusBounds:
    max_rows: int
    max_pages: int
    max_malformed: float

    @classmethod
    def of(cls, settings) -> "CensusBounds":
        """The bounds from the settings, each refused in one line when it makes no sense."""
        return cls(whole_setting(settings, "HARVESTER_CDX_MAX_ROWS"),
                   whole_setting(settings, "HARVESTER_CDX_MAX_PAGES"),
                   number_setting(settings, "HARVESTER_CDX_MAX_MALFORMED", 0, 1))


def whole_setting(settings, name: str) -> int:
    """A setting that must be a whole number above 0; one line naming it otherwise."""
    value = settings.get(name)
    try:
        number = int(str(value))
    except ValueError:
        number = 0
    if number <= 0:
        raise UsageError(f"{name} must be a whole number above 0, got {value!r}")
    return number


def number_setting(settings, name: str, low: float, high: float | None = None) -> float:
    """A setting that must be a number from `low` (to `high`); one line naming it otherwise."""
    value = settings.get(name)
    try:
        number = float(str(value))
    except ValueError:
        number = low - 1
    if number < low or (high is not None and number > high):
        span = f"from {low:g} to {high:g}" if high is not None else f"of at least {low:g}"
        raise UsageError(f"{name} must be a number {span}, got {value!r}")
    return number


def _shown(key: str) -> str:
    return key if len(key) <= _SHOWN_KEY else key[:_SHOWN_KEY - 1] + "…"


@dataclass
class CensusGuard:
    """One census's pages, rows and keys, and why it must stop."""

    bounds: CensusBounds
    pages: int = 0      # answers read (a resumed run's earlier ones too)
    rows: int = 0       # rows in them, read or not
    refused: int = 0    # rows not read
    keys: dict[str, set[str]] = field(default_factory=dict)

    def after_page(self, query: str, given_key: str | None, page: CdxPage) -> str | None:
        """Count one answer (asked with `given_key`); why the census must stop, or None."""
        self.pages += 1
        self.rows += page.rows
        self.refused += sum(page.refused.values())
        seen = self.keys.setdefault(query, set())
        if given_key:
            seen.add(given_key)
        if page.resume_key is not None:
            if page.resume_key in seen:
                return (f"the CDX server gave the resume key {_shown(page.resume_key)!r} "
                        "again: its paging would never end")
            seen.add(page.resume_key)
            if self.pages >= self.bounds.max_pages:
                return f"stopped after HARVESTER_CDX_MAX_PAGES {self.bounds.max_pages} answers"
        if self.rows > self.bounds.max_rows:
            return f"stopped past HARVESTER_CDX_MAX_ROWS {self.bounds.max_rows} rows"
        return None

    def malformed(self, reasons: Mapping[str, int]) -> str | None:
        """Why the rows as a whole cannot be trusted, once the census is done, or None."""
        if not self.refused or self.refused <= self.bounds.max_malformed * self.rows:
            return None
        said = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
        return (f"{self.refused} of {self.rows} rows could not be read ({said}), more than "
                f"HARVESTER_CDX_MAX_MALFORMED {self.bounds.max_malformed:g} of them")
