"""What each kind of setting accepts, read as the harvester's code reads it."""

import pytest
from scrapy.exceptions import UsageError

from harvester.crawl import project_settings
from harvester.settings.checks import SETTINGS, check_settings
from harvester.settings.kinds import (
    CONTACT,
    FEEDS,
    FLAG,
    SHARE,
    STATUSES,
    NotAccepted,
    number,
    one_of,
    text,
    web_address,
    whole,
)

ACCEPTED = [
    (whole(1), "5", 5), (whole(1), 5, 5), (whole(0), "0", 0), (whole(-1), "-1", -1),
    (whole(1), 3.0, 3),
    (number(), "0", 0.0), (number(), "2.5", 2.5), (number(0, above=True), "0.01", 0.01),
    (SHARE, "0.1", 0.1), (SHARE, 1, 1.0), (SHARE, "0", 0.0),
    (FLAG, "true", True), (FLAG, "0", False), (FLAG, False, False), (FLAG, "True", True),
    (text(empty=False), "output", "output"), (text(), "", ""),
    (web_address(), "https://digitalarchive.wilsoncenter.org", "https://digitalarchive.wilsoncenter.org"),
    (web_address(empty=True), "", ""),
    (CONTACT, "mailto:ops@example.net", "mailto:ops@example.net"), (CONTACT, "", ""),
    (CONTACT, "https://example.net/contact", "https://example.net/contact"),
    (STATUSES, "500,503", [500, 503]), (STATUSES, [429], [429]),
    (FEEDS, '{"a.jsonl": {"format": "jsonlines"}}', {"a.jsonl": {"format": "jsonlines"}}),
    (one_of("INFO", "DEBUG"), "DEBUG", "DEBUG"),
]
REFUSED = [
    (whole(1), "abc"), (whole(1), "-3"), (whole(1), "0"), (whole(1), "2.5"), (whole(1), True),
    (whole(0), None), (number(), "many"), (number(), "-1"), (number(), "nan"),
    (number(), "inf"), (number(0, above=True), "0"), (SHARE, "abc"), (SHARE, "1.5"),
    (SHARE, "-0.1"), (FLAG, "yes"), (FLAG, "2"), (text(empty=False), ""),
    (text(empty=False), " output"), (text(), "a\x01b"), (web_address(), "example.org"),
    (web_address(), "ftp://example.org"), (web_address(), ""), (CONTACT, "you"),
    (CONTACT, "mailto:nobody"), (CONTACT, "https://a b"), (CONTACT, "x\r\nInjected: 1"),
    (STATUSES, "500,abc"), (STATUSES, "99"), (FEEDS, "abc"), (FEEDS, '{"a": 1}'),
    (one_of("INFO", "DEBUG"), "info"),
]


@pytest.mark.parametrize(("kind", "value", "read"), ACCEPTED)
def test_accepted_values_read_as_the_code_reads_them(kind, value, read):
    assert kind.read(value) == read


@pytest.mark.parametrize(("kind", "value"), REFUSED)
def test_values_that_cannot_be_used_are_refused(kind, value):
    with pytest.raises(NotAccepted):
        kind.read(value)


def test_the_defaults_are_accepted():
    check_settings(project_settings({}))


def test_every_setting_the_harvester_defines_is_in_the_table():
    from harvester.settings import base

    defined = {name for name in vars(base) if name.startswith("HARVESTER_")}
    assert defined <= {setting.name for setting in SETTINGS}


@pytest.mark.parametrize(("name", "value", "message"), [
    ("HARVESTER_MAX_LIST_PAGES", "abc", "HARVESTER_MAX_LIST_PAGES=abc is not accepted: it takes "
     "a whole number, 1 or more (pages of one list at most, whatever its counter says)"),
    ("HARVESTER_MIN_COVERAGE", '{"titel": 1.0}', 'HARVESTER_MIN_COVERAGE={"titel": 1.0} is not '
     "accepted: it takes a JSON object of document field names to shares from 0 to 1, e.g. "
     '{"title": 1.0, "date": 0.5} (per field, the share of the published dataset\'s rate a '
     "run's documents must reach)"),
    ("HARVESTER_OUTPUT_DIR", "", "HARVESTER_OUTPUT_DIR='' is not accepted: it takes text, not "
     "empty, without control characters or spaces around it (the folder runs are published "
     "in, `--out`)"),
])
def test_the_first_bad_setting_is_named_with_what_it_takes(name, value, message):
    settings = project_settings({name: value})
    with pytest.raises(UsageError) as refused:
        check_settings(settings)
    assert str(refused.value) == message
