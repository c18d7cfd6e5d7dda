"""Scrapy's per-response and per-item debug lines are not built when the log would drop them,
and the logger is put back as it was when the crawl ends."""

import logging

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from harvester.extensions.quiet import SCRAPY_LOGGER, QuietDebug


@pytest.mark.parametrize("level, expected", [("WARNING", logging.WARNING),
                                             ("info", logging.INFO),
                                             (logging.ERROR, logging.ERROR)])
def test_scrapy_logs_at_the_crawls_level_while_it_runs(level, expected):
    logger = logging.getLogger(SCRAPY_LOGGER)
    before = logger.level
    quiet = QuietDebug.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": level}))
    quiet.started()
    assert logger.level == expected
    assert not logger.isEnabledFor(logging.DEBUG)
    quiet.stopped()
    assert logger.level == before


@pytest.mark.parametrize("level", ["DEBUG", logging.DEBUG, "NOT-A-LEVEL"])
def test_a_debug_or_unknown_level_leaves_the_loggers_alone(level):
    with pytest.raises(NotConfigured):
        QuietDebug.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": level}))
