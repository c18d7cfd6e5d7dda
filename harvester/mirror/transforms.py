"""Faults that change the page itself, pure functions of the page and the request: its size,
its compression (as the site's CDN sends it, or as a bomb), its character encoding, its markup."""

from dataclasses import dataclass, field

from harvester.mirror import hostile
from harvester.sources.content import encode_body


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def accepted_codings(accept_encoding: str) -> set[str]:
    """The codings an Accept-Encoding header offers (`q=0` refuses one; `*` offers any)."""
    offered = set()
    for item in accept_encoding.split(","):
        name, *parameters = [part.strip().lower() for part in item.split(";")]
        refused = any(p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000")
                      for p in parameters)
        if name and not refused:
            offered.add(name)
    return offered


def encoded(page: Answer, codings: str, accept_encoding: str) -> Answer:
    """The page under `Content-Encoding: CODINGS` when the client offers every one of them,
    else as it is; `Vary` says the answer depends on the request's header, as a CDN says."""
    wanted = codings.split(",")
    offered = accepted_codings(accept_encoding)
    headers = {**page.headers, "Vary": "Accept-Encoding"}
    if "*" not in offered and not set(wanted) <= offered:
        return Answer(page.status, headers, page.body)
    already = headers.pop("Content-Encoding", "")   # a replay may keep the site's own coding
    headers["Content-Encoding"] = ", ".join([*filter(None, [already]), *wanted])
    return Answer(page.status, headers, encode_body(page.body, wanted))


def transformed(rule, page: Answer, accept_encoding: str) -> Answer:
    """The page as the rule's fault changes it."""
    headers = dict(page.headers)
    if rule.fault == "oversize":
        return Answer(page.status, headers, hostile.padded(page.body, int(rule.value)))
    if rule.fault == "gzip-bomb":
        headers.update({"Content-Encoding": "gzip", "Content-Type": "text/html"})
        return Answer(page.status, headers, hostile.gzip_bomb(int(rule.value)))
    if rule.fault == "encode":
        return encoded(page, str(rule.value), accept_encoding)
    if rule.fault.startswith("cp1252"):
        declare = {"cp1252": "declared", "cp1252-undeclared": "undeclared",
                   "cp1252-mislabelled": "mislabelled"}[rule.fault]
        body, headers["Content-Type"] = hostile.windows_1252(page.body, declare)
        return Answer(page.status, headers, body)
    return Answer(page.status, headers, hostile.broken_html(page.body))
