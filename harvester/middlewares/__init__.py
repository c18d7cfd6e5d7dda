"""Downloader middlewares that keep a crawl honest on the real web, one concern per module:

- `hosts`: nothing is fetched from a host other than the archive's, redirects included;
- `robots`: robots.txt read as RFC 9309 says (5xx or a challenge: disallow all and stop);
- `challenge`: bot challenges detected, never parsed, retried only after a pause, and a run
  that meets them again and again stops;
- `completeness`: a page whose markup stops short is fetched again, never parsed half;
- `encoding`: pages decoded as they are really encoded, stray bytes dropped;
- `ratelimit`: 429 and Retry-After honoured by pausing the download slot;
- `retry`: 5xx and network errors retried with exponential back-off and jitter;
- `limits`: a body over the size limit refused with a readable reason;
- `backoff` (pausing a slot without blocking the reactor) and `control` (stopping the run
  with a reason) are shared by the others; `cache` keeps challenges out of the HTTP cache.
"""
