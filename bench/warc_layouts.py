"""What reading a WARC gzipped as one stream costs next to the same WARC gzipped per record:
the index pass, and every record read back by offset in a shuffled order (as `--source warc`
reads captures, URL by URL, not in file order). Prints the figures; docs/PERFORMANCE.md keeps
the last ones.

    .venv/bin/python bench/warc_layouts.py [--records N]
"""

import argparse
import gzip
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harvester.mirror.bundled import BUNDLED_MIRROR  # noqa: E402
from harvester.sources.warcfiles import WarcReader, index_records  # noqa: E402
from harvester.sources.warcfind import find_warcs  # noqa: E402
from tests.helpers.foreign_warcs import write_plain  # noqa: E402
from tests.helpers.pages import url_of  # noqa: E402


def timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def read_all(source, offsets: list[int]) -> int:
    with WarcReader() as reader:
        return sum(len(reader.read(source, offset, 1 << 24).body) for offset in offsets)


def measure(path: Path) -> None:
    (source,) = find_warcs([path]).sources
    records, indexing = timed(lambda: list(index_records(source)))
    offsets = [record.offset for record in records]
    random.Random(1).shuffle(offsets)
    read, reading = timed(lambda: read_all(source, offsets))
    layout = "one stream" if source.sequential else "per record"
    print(f"{layout:10s} {path.stat().st_size / 1e6:7.1f} MB  index {indexing:6.2f} s  "
          f"{len(offsets)} records read shuffled {reading:6.2f} s "
          f"({len(offsets) / reading:7.0f}/s, {read / 1e6:.0f} MB decoded)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=4000)
    args = parser.parse_args()
    pages = sorted((BUNDLED_MIRROR / "document").glob("*.html"))
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        urls = {f"{url_of(pages[n % len(pages)])}?copy={n}": pages[n % len(pages)].read_bytes()
                for n in range(args.records)}
        plain = write_plain(folder / "plain.warc", urls).read_bytes()
        write_plain(folder / "per-record.warc.gz", urls, gzipped=True)
        (folder / "one-stream.warc.gz").write_bytes(gzip.compress(plain, mtime=0))
        print(f"{args.records} records, {len(plain) / 1e6:.0f} MB uncompressed")
        measure(folder / "per-record.warc.gz")
        measure(folder / "one-stream.warc.gz")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
