"""Which site an output folder's records name, so that a crawl never publishes records of one
site over a folder holding another's: a mirror served on this machine and crawled without
`--public-base-url` names its records `http://127.0.0.1:PORT/…`, and published over the
archive's own records it would report every one changed and move `latest` to them."""

import json
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.exceptions import UsageError

from harvester.dataset.folder import latest_run
from harvester.site_urls import is_loopback


def published_site(out_dir: Path) -> tuple[str, Path] | None:
    """(the site `latest`'s records name, that run), or None without a readable one."""
    run = latest_run(out_dir)
    if run is None:
        return None
    try:
        manifest = json.loads((run / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    source = manifest.get("source") if isinstance(manifest, dict) else None
    site = (source or {}).get("site") if isinstance(source, dict) else None
    site = site or manifest.get("public_base_url") or manifest.get("base_url")
    return (site, run) if isinstance(site, str) and site else None


def same_site(one: str, other: str) -> bool:
    """Scheme, host and port alike: the records' URLs would be the same (a mirror served again
    on another port names them otherwise, unless both crawls give the same public base)."""
    a, b = urlsplit(one), urlsplit(other)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


def check_site(out_dir: Path, site: str | None) -> None:
    """UsageError when the folder's latest records name another site than this crawl's."""
    found = published_site(out_dir) if site else None
    if site is None or found is None or same_site(site, found[0]):
        return
    published, run = found
    mirror = is_loopback(urlsplit(site).hostname or "")
    remedy = f"give --public-base-url {published} to write them as its own, or " \
        if mirror else ""
    raise UsageError(
        f"{out_dir} holds records of {published} ({run.name}); this crawl's would name "
        f"{site}{', a mirror with no --public-base-url' if mirror else ''}: {remedy}publish "
        f"into another folder with --out")
