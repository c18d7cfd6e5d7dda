"""Small capture stores for the stand-in Wayback Machine tests, and a plain HTTP client for it
(not the harvester): a handful of captures covering every answer it gives, and its CDX answers
read as tables or columns."""

import base64
import hashlib
import http.client
import json
from urllib.parse import urlencode

from harvester.mirror.wayback.store import PlannedCapture
from tests.helpers.pages import BASE

HOST_KEY = "org,wilsoncenter,digitalarchive)"
X_KEY = f"{HOST_KEY}/document/x"
JAN, MAR, JUN = "20240115093000", "20240301120000", "20240601000000"
JAN_DATE = "Mon, 15 Jan 2024 09:30:00 GMT"


def doc(slug: str) -> str:
    return f"{BASE}/document/{slug}"


CAPTURES = [
    PlannedCapture(doc("x"), JAN, body=b"<html>x one</html>"),
    PlannedCapture("http://www.digitalarchive.wilsoncenter.org:80/document/x", MAR,
                   body=b"<html>x two</html>"),
    PlannedCapture(doc("x"), JUN, revisit=True),
    PlannedCapture(doc("x") + "/", JAN, body=b"slash"),
    PlannedCapture(doc("110360"), JAN, status=301, location=doc("x")),
    PlannedCapture(doc("gone"), JAN, status=403, body=b"<html>forbidden</html>"),
    PlannedCapture(doc("busy"), JAN, status=503, mimetype="text/plain", body=b"busy"),
    PlannedCapture(doc("missing"), JAN, status=404),
    PlannedCapture(f"{BASE}/search?page=1&f%5B0%5D=topics%3A1", JAN, body=b"listing 1"),
    PlannedCapture(f"{BASE}/search?f%5B0%5D=topics%3A1&page=2", JAN, body=b"listing 2"),
    PlannedCapture(f"{BASE}/topics/korea", "20230101000000", body=b"korea 1"),
    PlannedCapture(f"{BASE}/topics/korea", "20230103000000", body=b"korea 3"),
    PlannedCapture("https://www.wilsoncenter.org/about", JAN, body=b"about"),
]


def digest(body: bytes) -> str:
    return base64.b32encode(hashlib.sha1(body).digest()).decode()



def get(server, target: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=60)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def cdx(server, **params) -> tuple[int, object]:
    status, headers, body = get(server, "/cdx/search/cdx?" + urlencode(
        {"output": "json", **params}, doseq=True))
    if status != 200:
        return status, body.decode()
    assert headers["Content-Type"] == "application/json"
    return status, json.loads(body)


def column(server, name: str = "timestamp", **params) -> list[str]:
    status, table = cdx(server, fl=name, **params)
    assert status == 200, table
    assert table == [] or table[0] == [name]
    return [row[0] for row in table[1:]]

