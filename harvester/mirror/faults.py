"""Faults a mirror can inject, so the harvester is tried against the web it will really meet.

A spec is a list of rules, one per line or separated by `;` (`#` starts a comment), given as a
string or as the path of a file holding it:

    PATTERN FAULT [WHEN] [OPTION ...]

PATTERN  a glob (fnmatch: `*`, `?`, `[...]`) matched against the request path and query, as
         sent and percent-decoded: `/document/*`, `/robots.txt`, `/search?f*=topics:*`, `*`
FAULT    status=CODE          answer CODE (500, 502, 503, 429, ...) with a short HTML body
         slow=SECONDS         wait that long, then answer normally (past the client's timeout)
         truncate             send half the body, then close the connection
         reset                close the connection with a TCP reset, no answer at all
         challenge            403 with `cf-mitigated: challenge` and a challenge page
         challenge-200        200 whose body is a challenge page, no telltale header
         redirect-loop        302 back to the same URL, for ever
         redirect-offsite     302 to the same path on another host name (`localhost`)
         oversize=BYTES       the page padded to BYTES (over the client's size limit)
         gzip-bomb=BYTES      a small gzip body that inflates to BYTES
         encode=CODINGS       the page compressed as the site's CDN does, when the request's
                              Accept-Encoding offers every coding (else sent as it is):
                              gzip, deflate, br or zstd, or several applied in turn, `gzip,br`
         cp1252               the page in windows-1252, charset declared in header and meta
         cp1252-undeclared    the page in windows-1252, no charset anywhere
         cp1252-mislabelled   the page in windows-1252, header and meta still say utf-8
         broken-html          optional end tags dropped, an unclosed element, stray bytes
WHEN     first=N              the first N requests of each URL (then it recovers)
         count=N              N requests in all, whichever URLs they are for
         rate=P               each request with probability P (`seed=S` makes it repeatable)
         (none)               every request
OPTION   retry-after=S, retry-after-date=S   a Retry-After header in seconds or as an HTTP date
         nolength             no Content-Length: the body ends when the connection closes

The first rule whose pattern and WHEN both match a request decides what that request gets.
"""

import fnmatch
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from harvester.sources.content import ENCODINGS


def codings(text: str) -> str:
    """`encode=` takes content codings the mirror can apply, comma-separated, in order."""
    names = [name.strip().lower() for name in text.split(",")]
    if not all(name in ENCODINGS for name in names):
        raise ValueError(text)
    return ",".join(names)


FAULTS = {
    "status": int, "slow": float, "truncate": None, "reset": None, "challenge": None,
    "challenge-200": None, "redirect-loop": None, "redirect-offsite": None, "oversize": int,
    "gzip-bomb": int, "encode": codings, "cp1252": None, "cp1252-undeclared": None,
    "cp1252-mislabelled": None, "broken-html": None,
}
WHEN = {"first": int, "count": int, "rate": float}
OPTIONS = {"retry-after": float, "retry-after-date": float, "nolength": None, "seed": int}


class SpecError(ValueError):
    """A fault spec that cannot be understood; the message names the rule and the problem."""


@dataclass
class Rule:
    pattern: str
    fault: str
    source: str = ""
    value: float | int | str | None = None
    when: str | None = None
    limit: float | int | None = None
    options: dict[str, float | int | None] = field(default_factory=dict)
    applied: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def matches(self, target: str) -> bool:
        return any(fnmatch.fnmatchcase(t, self.pattern) for t in (target, unquote(target)))

    def fires(self, nth_request_of_url: int) -> bool:
        if self.when is None:
            return True
        limit = self.limit
        assert limit is not None, "a condition comes with its number (`apply_word`)"
        if self.when == "first":
            return nth_request_of_url <= limit
        if self.when == "count":
            return self.applied < limit
        if self.when == "rate":
            return self.rng.random() < limit
        return True

    def number(self) -> float:
        """The number the fault was given (`status=CODE`, `slow=SECONDS`, ...), as parsed."""
        assert isinstance(self.value, int | float), f"{self.fault} takes no number"
        return self.value

    def describe(self) -> str:
        value = "" if self.value is None else f"={self.value}"
        return f"{self.fault}{value}"


@dataclass(frozen=True)
class Hit:
    """One request the mirror answered: when (monotonic seconds), what, and which fault."""

    at: float
    target: str
    fault: str | None


def _number(kind, text: str, where: str):
    try:
        number = kind(text)
    except ValueError:
        if kind is codings:
            raise SpecError(f"{where}: {text!r} is not a list of {', '.join(ENCODINGS)}") from None
        raise SpecError(f"{where}: {text!r} is not a number") from None
    if isinstance(number, str):
        return number
    if number < 0:
        raise SpecError(f"{where}: {text!r} must not be negative")
    return number


def parse_rule(line: str) -> Rule:
    words = line.split()
    if len(words) < 2:
        raise SpecError(f"rule {line!r}: expected PATTERN FAULT [WHEN] [OPTION ...]")
    rule = Rule(pattern=words[0], fault="", source=" ".join(words))
    for word in words[1:]:
        apply_word(rule, line, word)
    if not rule.fault:
        raise SpecError(f"rule {line!r}: no fault (one of {', '.join(FAULTS)})")
    if rule.when == "rate" and rule.limit is not None and not 0 <= rule.limit <= 1:
        raise SpecError(f"rule {line!r}: rate must be between 0 and 1")
    rule.rng.seed(rule.options.get("seed", 0))
    return rule


def apply_word(rule: Rule, line: str, word: str) -> None:
    """One `NAME` or `NAME=VALUE` of a rule: its fault, its condition or an option."""
    name, sep, text = word.partition("=")
    where = f"rule {line!r}, {name}"
    table = next((t for t in (FAULTS, WHEN, OPTIONS) if name in t), None)
    if table is None:
        raise SpecError(f"rule {line!r}: unknown word {name!r}")
    kind = table[name]
    if (kind is None) == bool(sep):
        raise SpecError(f"{where}: " + ("takes no value" if kind is None else "needs =VALUE"))
    value = _number(kind, text, where) if kind is not None else None
    if table is FAULTS:
        if rule.fault:
            raise SpecError(f"rule {line!r}: two faults ({rule.fault}, {name})")
        rule.fault, rule.value = name, value
    elif table is WHEN:
        if rule.when:
            raise SpecError(f"rule {line!r}: two conditions ({rule.when}, {name})")
        rule.when, rule.limit = name, value
    else:
        rule.options[name] = value


def parse_spec(text: str) -> list[Rule]:
    rules = []
    for raw in text.replace(";", "\n").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            rules.append(parse_rule(line))
    return rules


def load_spec(spec: str) -> list[Rule]:
    """Rules from a file when `spec` names one, else from the string itself."""
    path = Path(spec)
    if "\n" not in spec and ";" not in spec and path.is_file():
        return parse_spec(path.read_text("utf-8"))
    return parse_spec(spec)


class FaultPlan:
    """Decides, request by request, which fault (if any) the mirror serves; safe across the
    server's threads. Keeps a log of every request for tests and `--log`."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.requests_per_url: dict[str, int] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()

    def pick(self, target: str) -> Rule | None:
        with self._lock:
            nth = self.requests_per_url.get(target, 0) + 1
            self.requests_per_url[target] = nth
            chosen = None
            for rule in self.rules:
                if rule.matches(target) and rule.fires(nth):
                    rule.applied += 1
                    chosen = rule
                    break
            self.hits.append(Hit(time.monotonic(), target,
                                 chosen.describe() if chosen else None))
            return chosen

    def hits_for(self, target: str) -> list[Hit]:
        with self._lock:
            return [hit for hit in self.hits if hit.target == target]
