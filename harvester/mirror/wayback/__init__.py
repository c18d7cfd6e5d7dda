"""A stand-in Wayback Machine on 127.0.0.1, so the web-archive source is tested offline.

The store is a folder:

    captures.jsonl     one capture per line, in any order: {"timestamp": "20240115093000",
                       "original": URL as captured, "status": 200, "mimetype": "text/html",
                       "body": sha1 hex of the body or null (empty), "location": a 3xx's target
                       URL or null, "revisit": false}. A revisit line carries the status,
                       mimetype, body and location of the capture it repeats (resolved when
                       the store is written).
    bodies/<sha1 hex>  the raw bytes of each distinct body, once
    blocked.txt        url keys of the prefixes the archive excludes (an excluded site), one a
                       line; may be empty

`store.write_store` writes one (from `PlannedCapture`s, or from a saved mirror with
`store.plan_from_mirror`); `server.serve_in_background` serves it:

    GET /cdx/search/cdx?url=...            the CDX server: matchType, output=json, fl, filter,
                                           from, to, limit, showResumeKey and resumeKey
                                           (`page`, `showNumPages`, `collapse`: 400; a query
                                           for an excluded prefix: 403 saying why in its body
                                           and `X-Archive-Wayback-Runtime-Error`)
    GET /web/<14 digits>id_/<original URL>  raw replay with Memento-Datetime; another time of
                                           a captured URL: 302 to the nearest capture
    GET /web/<14 digits>/<original URL>     the same, in view mode

Captures are keyed by SURT url key (`surt.urlkey`), as the real CDX server keys them, and
indexed as it indexes them: an empty 301 as `unk`, every empty body (every redirect) under the
digest of b"" (wayback-recordings/test_search_with_date.txt). Its own 429 (a `--faults` rule)
sends no Retry-After, as the Internet Archive's does not.
"""
