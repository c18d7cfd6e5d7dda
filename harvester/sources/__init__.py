"""Where pages come from: the live site (or a mirror of it), a web archive, WARC files.

This is the one layer that knows. It hands the page objects a response at the archive's own
URL, whatever served it, and stamps every record with its `capture` (source, time, where, digest):

- `urls`: one canonical form per archive URL (scheme, `www.`, ports, trailing slashes), and the
  kind of page a URL names;
- `captures`: a capture as both archival sources list it, and the record's `capture` field;
- `selection`: which captured answers may become records, and why the others are skipped;
- `cdx`, `replay`: the Wayback Machine's CDX server and raw replays;
- `warcfiles`, `warcwrite`: reading WARC/WACZ files, and writing a crawl's own WARC;
- `live`: what a live fetch records about itself (and its WARC copy, with `--warc`).
"""
