"""Whether a run's documents have their fields as often as the dataset's do: the check that
catches a site whose markup changed (a field's selector finding nothing any more).

It judges a share, so it needs a sample that can show one. A day with a handful of new
documents says nothing about the site's markup (documents may lack a summary or a date): it is
never refused for its coverage; each document is judged alone, and one whose page truly breaks
is a reject naming its field. Over `sample` documents or more, a field is short when fewer of
the run's documents have it than `share` of the rate the published dataset has (the first run,
with no dataset yet to compare with, against every document), and so short that chance would
give it less than once in a thousand runs: a field that half the archive lacks is not refused
for a run of twenty that lacks it a little more often.
"""

import math
from collections import Counter
from dataclasses import dataclass

# A shortfall chance gives less often than this is taken for a change of the site.
SIGNIFICANCE = 0.001


@dataclass(frozen=True)
class Baseline:
    """The published dataset's documents and, per field, the share that have it."""

    documents: int = 0
    rates: dict[str, float] | None = None

    def rate(self, name: str, sample: int) -> float | None:
        """The dataset's own rate, once it holds a sample (None: expect every document)."""
        if self.rates is None or self.documents < sample:
            return None
        return self.rates.get(name)


def chance_of_at_most(found: int, tried: int, rate: float) -> float:
    """P(X <= found) for X ~ Binomial(tried, rate): how often chance alone finds so few."""
    if rate <= 0.0 or found >= tried:
        return 1.0
    if rate >= 1.0:
        return 0.0
    log_rate, log_miss, whole = math.log(rate), math.log1p(-rate), math.lgamma(tried + 1)
    total = sum(math.exp(whole - math.lgamma(k + 1) - math.lgamma(tried - k + 1)
                         + k * log_rate + (tried - k) * log_miss) for k in range(found + 1))
    return min(1.0, total)


def short_fields(present: Counter, fetched: int, shares: dict[str, float], sample: int,
                 baseline: Baseline) -> list[str]:
    """`summary 2/40 (5%; the dataset has 60%, so at least 30%)` for each short field; none
    below the sample."""
    if fetched < max(1, sample):
        return []
    short = []
    for name, share in shares.items():
        rate = baseline.rate(name, sample)
        expected = float(share) * (1.0 if rate is None else rate)
        found = present[name]
        if found >= expected * fetched or \
                chance_of_at_most(found, fetched, expected) >= SIGNIFICANCE:
            continue
        basis = "" if rate is None else f"the dataset has {rate:.0%}, so "
        short.append(f"{name} {found}/{fetched} ({found / fetched:.0%}; {basis}at least "
                     f"{expected:.0%})")
    return short
