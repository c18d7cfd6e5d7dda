"""Scrapy settings for the harvester: polite defaults for the live archive.

`base` holds everything; `loopback` is applied on top by the spiders when the base URL is a
saved mirror on this machine, where waiting a second between requests protects nobody.
"""

from harvester.settings.base import *  # noqa: F401,F403
