"""The fetcher: how a page of the archive is had from a source of captures.

A capture run's spider asks for each page at the archive's own URL, naming what kind of page it
is (`choices.CHOICE`). In the download layer (`middleware`), the source's fetch answers it by
choosing among the URL's captures with the capture rules (harvester.sources.choosing: newest
first, skip reasons, payload digests, bounded tries), each capture fetched as its source gives
it: a web archive's raw replay (`replays`), a WARC record read by offset on the WARC handler's
thread, most of them read ahead (`records`, `read_ahead`). The spider's callback receives the
answer at the archive's URL; what the choice came to travels in its meta (`choices.FETCHED`).
"""
