"""Scrapy's HTTP cache through faults, as a real crawl of the bundled mirror through the faulty
server: challenges and cut pages are never cached, so a second crawl that only the cache answers
ends with exactly the records of a fault-free crawl."""

import pickle
from pathlib import Path

from tests.helpers.faulty_crawls import CIPHERED, STALIN, STALIN49, crawl, published


def cached_answers(cache: Path) -> dict[str, tuple[int, bytes]]:
    """URL → (status, body) of every answer Scrapy's file cache stored."""
    answers = {}
    for meta in cache.rglob("pickled_meta"):
        facts = pickle.loads(meta.read_bytes())  # written by the crawl this test ran
        answers[facts["response_url"]] = (facts["status"],
                                          (meta.parent / "response_body").read_bytes())
    return answers


def test_challenges_and_cut_pages_are_never_cached(tmp_path, reference):
    cache = tmp_path / "cache"
    settings = ("HTTPCACHE_ENABLED=True", f"HTTPCACHE_DIR={cache}")
    first = crawl(f"{STALIN} challenge first=1; {CIPHERED} challenge-200 first=1; "
                  f"{STALIN49} truncate nolength first=1", tmp_path / "first", settings)
    assert first.code == 0, first.stderr
    answers = cached_answers(cache)
    # robots.txt, the topic, 3 listing pages, 20 documents and the old URL's redirect
    assert len(answers) == 26
    for url in (STALIN, CIPHERED, STALIN49):
        status, body = answers[first.base + url]
        assert status == 200 and b"_cf_chl_opt" not in body and body.endswith(b"</html>\n")
    # Same address, so the same cache keys; the server fails everything, only the cache answers.
    port = int(first.base.rsplit(":", 1)[1])
    again = crawl("* status=500", tmp_path / "again", settings, port=port)
    assert again.code == 0, again.stderr
    assert published(again.out) == published(reference)
