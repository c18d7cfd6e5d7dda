"""A lying stand-in Wayback Machine: answers no real archive should give, each one a way a
hostile or broken server could try to fool the harvester (docs/RELIABILITY.md, "Web archives
that lie"). Given to the stand-in as a spec of `;`-separated lies, e.g.
`same-resume-key; bad-rows=3`:

    same-resume-key     every CDX answer continues with the resume key of the first one
    endless             every CDX answer is a full page of new rows of the site, for ever
    bad-rows=N          every Nth row is broken (in turn: a timestamp that is no date, one
                        that is not 14 digits, a field short)
    nested              every CDX answer is nested deeper than any JSON reader follows
    same-digest         every row of an answer gives the digest of its first 200's payload
    long-url=N          the first answer gains a row for a URL of the site N characters long
    memento-shift=S     replays say a Memento-Datetime S seconds after the capture's time
    only=TEXT           replay lies only for replays whose path holds TEXT
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import formatdate, parsedate_to_datetime

DOCUMENT = "https://digitalarchive.wilsoncenter.org/document/"
_BROKEN = ("short", "99999999999999", "2024-01-15T0")
_NEST_DEPTH = 100_000
_MEMENTO = "Memento-Datetime"


@dataclass
class Lies:
    same_resume_key: bool = False
    endless: bool = False
    bad_rows: int = 0
    nested: bool = False
    same_digest: bool = False
    long_url: int = 0
    memento_shift: float = 0.0
    only: str = ""
    first_key: str | None = field(default=None, repr=False)
    pages: int = field(default=0, repr=False)
    rows: int = field(default=0, repr=False)

    def cdx(self, query: str, answer: Callable[[str], tuple[int, dict, bytes]],
            ) -> tuple[int, dict, bytes]:
        """The CDX server's answer to a query (`answer` gives the true one) as the lies make
        it. An endless census answers its own resume keys."""
        if self.endless and "resumeKey=endless-" in query:
            query = query.split("&resumeKey=")[0]
        status, headers, body = answer(query)
        if status == 200 and "output=json" in query:
            body = self._json(body)
        return status, headers, body

    def _json(self, body: bytes) -> bytes:
        self.pages += 1
        if self.nested:
            return b"[" * _NEST_DEPTH + b"]" * _NEST_DEPTH
        try:
            table = json.loads(body or b"[]")
        except ValueError:
            return body
        if self.endless:
            table = self._endless(table)
        if table and (self.bad_rows or self.same_digest or (self.long_url and self.pages == 1)):
            table = self._rows(table)
        if self.same_resume_key:
            table = self._same_key(table)
        return json.dumps(table).encode("utf-8")

    def _endless(self, table: list) -> list:
        header = table[0] if table else ["timestamp", "original", "mimetype", "statuscode",
                                         "digest", "length"]
        rows = [[_value(name, number, self.pages) for name in header] for number in range(5)]
        return [header, *rows, [], [f"endless-{self.pages}"]]

    def _rows(self, table: list) -> list:
        header, rows, tail = table[0], table[1:], []
        if len(rows) >= 2 and rows[-2] == [] and len(rows[-1]) == 1:
            rows, tail = rows[:-2], rows[-2:]
        digest = header.index("digest") if "digest" in header else None
        status = header.index("statuscode") if "statuscode" in header else None
        first = next((row[digest] for row in rows if digest is not None and status is not None
                      and row[status] == "200"), None)
        changed = []
        for row in map(list, rows):
            self.rows += 1
            if self.same_digest and digest is not None and first is not None:
                row[digest] = first
            if self.bad_rows and self.rows % self.bad_rows == 0:
                row = _broken(header, row, self.rows // self.bad_rows)
            changed.append(row)
        if self.long_url and self.pages == 1:
            changed.append(_long_row(header, self.long_url))
        return [header, *changed, *tail]

    def _same_key(self, table: list) -> list:
        if len(table) >= 3 and table[-2] == [] and len(table[-1]) == 1:
            self.first_key = self.first_key or table[-1][0]
            return [*table[:-1], [self.first_key]]
        if self.first_key and table:
            return [*table, [], [self.first_key]]
        return table

    def replay_headers(self, headers: dict[str, str], path: str) -> dict[str, str]:
        if not self.memento_shift or _MEMENTO not in headers or self.only not in path:
            return headers
        moment = parsedate_to_datetime(headers[_MEMENTO]) + timedelta(seconds=self.memento_shift)
        return {**headers, _MEMENTO: formatdate(moment.timestamp(), usegmt=True)}


def _value(name: str, number: int, page: int) -> str:
    values = {"timestamp": f"2024{(page % 12) + 1:02d}15{number:02d}0000",
              "original": f"{DOCUMENT}endless-{page}-{number}", "mimetype": "text/html",
              "statuscode": "200", "digest": f"ENDLESS{page:09d}{number:02d}", "length": "1000",
              "urlkey": f"org,wilsoncenter,digitalarchive)/document/endless-{page}-{number}"}
    return values.get(name, "-")


def _broken(header: list, row: list, turn: int) -> list:
    kind = _BROKEN[turn % len(_BROKEN)]
    if kind == "short":
        return row[:-1]
    if "timestamp" in header:
        row[header.index("timestamp")] = kind
    return row


def _long_row(header: list, length: int) -> list:
    original = DOCUMENT + "x" * max(1, length - len(DOCUMENT))
    values = {"timestamp": "20240115093000", "original": original, "mimetype": "text/html",
              "statuscode": "200", "digest": "LONGURLLONGURLLONGURLLONGURLLONG", "length": "1"}
    return [values.get(name, "-") for name in header]


_LIE = re.compile(r"^([a-z-]+)(?:=(\S+))?$")


def parse_lies(spec: str) -> Lies:
    """The lies a spec names; ValueError naming any it does not know."""
    lies = Lies()
    for part in (part.strip() for part in spec.split(";")):
        if not part:
            continue
        match = _LIE.match(part)
        name = match[1].replace("-", "_") if match else ""
        if match is None or name not in Lies.__dataclass_fields__ or name in ("first_key",
                                                                              "pages"):
            raise ValueError(f"unknown lie {part!r}")
        kind = type(getattr(lies, name))
        setattr(lies, name, kind(match[2]) if match[2] is not None else True)
    return lies
