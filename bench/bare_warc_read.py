"""The bare cost of a WARC: every response record read with warcio and its HTML parsed with
lxml, nothing else. Run by `bench/warc_vs_bare.py` as a whole command, as the harvester's is:
`python bench/bare_warc_read.py FILE...`; prints how many HTML pages it parsed."""

import sys

import lxml.html
from warcio.archiveiterator import ArchiveIterator


def main() -> None:
    pages = 0
    for name in sys.argv[1:]:
        with open(name, "rb") as file:
            for record in ArchiveIterator(file):
                if record.rec_type != "response":
                    continue
                body = record.content_stream().read()
                if b"<html" in body[:4096].lower():
                    lxml.html.fromstring(body)
                    pages += 1
    print(pages)


if __name__ == "__main__":
    main()
