"""Jinja templates of the synthetic site's pages, kept as Python strings so they ship with the
package; everything is HTML-escaped unless it arrives as `markupsafe.Markup`."""

from functools import cache

from jinja2 import DictLoader, Environment, StrictUndefined, Template

from harvester_testkit.synth.templates.document import DOCUMENT
from harvester_testkit.synth.templates.layout import LAYOUT, ROBOTS_TXT
from harvester_testkit.synth.templates.lists import LISTING, PAGER, TOPIC, TOPIC_INDEX

TEMPLATES = {"layout": LAYOUT, "document": DOCUMENT, "listing": LISTING, "pager": PAGER,
             "topic": TOPIC, "topic_index": TOPIC_INDEX}


@cache
def environment() -> Environment:
    return Environment(loader=DictLoader(TEMPLATES), autoescape=True, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True, undefined=StrictUndefined)


def template(name: str) -> Template:
    return environment().get_template(name)


def render(name: str, **context) -> bytes:
    return template(name).render(**context).encode("utf-8")


__all__ = ["ROBOTS_TXT", "render"]
