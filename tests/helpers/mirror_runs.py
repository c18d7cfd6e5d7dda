"""A whole run of a mirror folder, offline (tests/helpers/offline_runs.py), as `harvester crawl`
makes it: its pages answer 304 to a request with their ETag, as the mirror's server does, and
the run is closed as the crawl closes it, published or refused."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harvester.run.publish import close_run
from tests.helpers.offline_runs import crawl_saved
from tests.helpers.spider_fakes import fake_run, started


@dataclass
class MirrorRun:
    failure: str | None   # why the run was refused (what the command prints after "run not
                          # published: "); None: it was published
    asked: list[str]      # the URLs it asked, in order
    out: Path

    def manifest(self) -> dict:
        """The manifest of the run it published (it must have)."""
        assert self.failure is None, self.failure
        return json.loads((self.out / "latest" / "manifest.json").read_text("utf-8"))


def run_mirror(spidercls: type, site: Path, out: Path, settings: dict | None = None,
               **arguments: Any) -> MirrorRun:
    """The spider's run of the mirror folder `site` into `out`, with the `-s` settings
    `settings` and the spider's `arguments` (its base URL among them)."""
    fake = fake_run(spidercls, out, command_line=settings, **arguments)
    asked: list[str] = []
    try:
        crawl_saved(fake, started(fake.spider), root=site, asked=asked, conditional=True)
        fake.closed = True
        close_run(fake.run, "finished")
    finally:
        fake.close()
    return MirrorRun(fake.run.outcome.failure, asked, out)
