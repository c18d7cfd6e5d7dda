"""The Internet Archive's real answers, as recorded in `../shared/real-world/wayback-recordings/`
(beside the project folder): each file holds exchanges of request line, status, headers and the
start of the body. Tests that read them skip, saying why, when that folder is not there."""

import ast
import re
from dataclasses import dataclass

import pytest
from scrapy.http import Request, Response

from tests.helpers.pages import REAL_WORLD

RECORDINGS = REAL_WORLD / "wayback-recordings"
_REQUEST = re.compile(r"^--- \[\d+\] (\w+) (\S+)$")
_STATUS = re.compile(r"^    (\d{3}) (.*)$")
_HEADER = re.compile(r"^    ([^:\s][^:]*): (.*)$")
_BODY = re.compile(r"^    BODY\((\d+)\): (b['\"].*)$")


@dataclass
class Exchange:
    """One recorded request and answer. `body` is the start the recording kept (the whole of
    it when `len(body) == length`)."""

    method: str
    url: str
    status: int = 0
    headers: list[tuple[str, str]] | None = None
    body: bytes = b""
    length: int = 0

    def response(self) -> Response:
        """The answer as Scrapy would have handed it to the harvester."""
        return Response(self.url, status=self.status, headers=self.headers or [],
                        body=self.body, request=Request(self.url))

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers or [] if key.lower() == name.lower()),
                    None)


def recording(name: str) -> list[Exchange]:
    """The exchanges of one recording, in order; the test is skipped when it is absent."""
    path = RECORDINGS / name
    if not path.is_file():
        pytest.skip(f"the real Wayback Machine recordings are not at {path} (they are kept "
                    "beside the project folder, in shared/real-world/wayback-recordings)")
    exchanges: list[Exchange] = []
    for line in path.read_text("utf-8").splitlines():
        if match := _REQUEST.match(line):
            exchanges.append(Exchange(match[1], match[2], headers=[]))
        elif exchanges and (match := _BODY.match(line)):
            exchanges[-1].length, exchanges[-1].body = int(match[1]), ast.literal_eval(match[2])
        elif exchanges and not exchanges[-1].status and (match := _STATUS.match(line)):
            exchanges[-1].status = int(match[1])
        elif exchanges and (match := _HEADER.match(line)):
            exchanges[-1].headers.append((match[1], match[2]))
    return exchanges


def whole_lines(exchange: Exchange) -> list[str]:
    """The body's complete lines (a recording keeps only the start of a long body)."""
    lines = exchange.body.decode("utf-8").split("\n")
    return lines if len(exchange.body) == exchange.length else lines[:-1]
