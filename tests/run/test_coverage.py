"""Field coverage judged on a sample that can show a share, against the published dataset's
own rates (harvester.run.coverage)."""

from collections import Counter

import pytest

from harvester.run.coverage import Baseline, chance_of_at_most, short_fields

SHARES = {"record_id": 1.0, "title": 1.0, "date": 0.5, "summary": 0.5}
PUBLISHED = Baseline(16153, {"record_id": 1.0, "title": 1.0, "date": 0.92, "summary": 0.3})


@pytest.mark.parametrize(("found", "tried", "rate", "chance"), [
    (1, 10, 0.5, 11 / 1024),  # (1 + 10) / 2**10
    (0, 43, 0.15, 0.85 ** 43),
    (3, 3, 0.2, 1.0),  # every one: nothing is short
    (0, 5, 0.0, 1.0),  # nothing expected
    (4, 5, 1.0, 0.0),  # every one expected, one missing
])
def test_the_chance_of_so_few(found, tried, rate, chance):
    assert chance_of_at_most(found, tried, rate) == pytest.approx(chance, rel=1e-9)


def counts(tried: int, **found: int) -> Counter:
    return Counter({"record_id": tried, "title": tried, "date": tried, "summary": tried,
                    **found})


@pytest.mark.parametrize(("present", "tried", "baseline", "short"), [
    # A day of a few new documents is never judged by a percentage.
    (counts(1, summary=0), 1, PUBLISHED, []),
    (counts(19, summary=0, date=0), 19, PUBLISHED, []),
    # A first run is held to the shares themselves.
    (counts(20, summary=0), 20, Baseline(), ["summary 0/20 (0%; at least 50%)"]),
    # A dataset smaller than the sample is no baseline either.
    (counts(20, summary=0), 20, Baseline(5, {"summary": 0.0}), ["summary 0/20 (0%; at least 50%)"]),
    # Later runs are held to the published dataset's own rates.
    (counts(20, summary=2), 20, PUBLISHED, []),
    (counts(50, summary=4), 50, PUBLISHED, []),  # 8 % where 15 % is due: chance gives it
    (counts(50, summary=0), 50, PUBLISHED, ["summary 0/50 (0%; the dataset has 30%, so at "
                                            "least 15%)"]),
    (counts(30, date=3), 30, PUBLISHED, ["date 3/30 (10%; the dataset has 92%, so at least 46%)"]),
])
def test_short_fields(present, tried, baseline, short):
    assert short_fields(present, tried, SHARES, 20, baseline) == short
