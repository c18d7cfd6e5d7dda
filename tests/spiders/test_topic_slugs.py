"""Topic slugs from the command line: bounded in number and length before anything is built
from them (the job's name, the state, the lock, every message)."""

import subprocess

import pytest
from scrapy.exceptions import UsageError

from harvester.spiders.topic import MAX_TOPICS, parse_slugs
from tests.helpers.crawls import HARVESTER


def test_as_many_topics_as_a_run_takes_are_taken():
    slugs = [f"topic-{n}" for n in range(MAX_TOPICS)]
    assert parse_slugs(slugs) == slugs


@pytest.mark.parametrize(("slugs", "message"), [
    ([f"topic-{n}" for n in range(MAX_TOPICS + 1)],
     "101 topics: one run takes at most 100; crawl the whole archive (`harvester crawl "
     "archive`) to harvest every topic"),
    (["a" * 1_000_000],
     f"not a topic slug (lowercase letters, digits, hyphens, at most 200): ['{'a' * 60}… "
     "(1000000 characters)']"),
])
def test_too_many_or_too_long_is_one_short_line(slugs, message):
    with pytest.raises(UsageError) as refused:
        parse_slugs(slugs)
    assert str(refused.value) == message


def test_a_hundred_thousand_topics_on_the_command_line_are_refused_at_once(tmp_path):
    slugs = [f"t{n}" for n in range(100_000)]
    result = subprocess.run([*HARVESTER, "crawl", "topic", *slugs, "--base-url",
                             "http://127.0.0.1:9", "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr == ("harvester: 100000 topics: one run takes at most 100; crawl the "
                             "whole archive (`harvester crawl archive`) to harvest every "
                             "topic\n")
    assert not (tmp_path / "out").exists()
