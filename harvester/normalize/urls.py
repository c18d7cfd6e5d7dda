"""Record URLs against the public site, whatever host the pages were fetched from."""

from typing import Any


class UrlRebaser:
    """Rewrites URLs of the crawled host to the public one, so a mirror's records read as the
    archive's own."""

    def __init__(self, crawl_base: str, public_base: str) -> None:
        self.crawl_base = crawl_base.rstrip("/")
        self.public_base = public_base.rstrip("/")

    def __call__(self, url: Any) -> Any:
        return self._swap(url, self.crawl_base, self.public_base)

    def back(self, url: Any) -> Any:
        """A public URL (as the state keeps it) turned into one to fetch from the crawl base."""
        return self._swap(url, self.public_base, self.crawl_base)

    @staticmethod
    def _swap(url: Any, old: str, new: str) -> Any:
        if not (isinstance(url, str) and old and new):
            return url
        if url == old or url.startswith(old + "/"):
            return new + url[len(old):]
        return url
