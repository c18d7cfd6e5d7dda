"""Captures of the archive as plain data: what a census row or a WARC record says about one
(`rows`), and what choosing among them can come to (`outcomes`). Below the sources, the state and
the spiders, which all share it; it imports nothing of the harvester."""
