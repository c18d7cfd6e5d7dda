"""What a setting accepts: each kind reads a value as the harvester's code will (Scrapy's
`getint`, `getfloat`, `getbool`, `getdict`, `getlist`) and checks its range, so a value that
would fail or mean nothing halfway through a run is refused before it starts. `accepts` says
it in words, for the one-line error and the settings table."""

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# Text a header or a path may hold: no control characters, nothing a reader cannot see.
_CONTROL = {*range(0x20), 0x7F}


class NotAccepted(ValueError):
    """The value cannot be used; the setting's `accepts` says what can."""


@dataclass(frozen=True)
class Kind:
    accepts: str  # e.g. "a whole number, 1 or more"
    read: Callable[[Any], Any]  # the value as the code reads it, or NotAccepted


def _whole(value: Any) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise NotAccepted(value)
    try:
        return int(value)  # as Scrapy's getint reads it
    except (TypeError, ValueError):
        raise NotAccepted(value) from None


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise NotAccepted(value)
    try:
        number = float(value)  # as Scrapy's getfloat reads it
    except (TypeError, ValueError):
        raise NotAccepted(value) from None
    if not math.isfinite(number):
        raise NotAccepted(value)
    return number


def at_least(read: Callable[[Any], Any], low: float, above: bool = False):
    def checked(value: Any) -> Any:
        found = read(value)
        if found < low or (above and found == low):
            raise NotAccepted(value)
        return found
    return checked


def whole(low: int) -> Kind:
    return Kind(f"a whole number, {low} or more", at_least(_whole, low))


def number(low: float = 0.0, above: bool = False) -> Kind:
    words = f"above {low:g}" if above else f"{low:g} or more"
    return Kind(f"a number, {words}", at_least(_number, low, above))


def _share(value: Any) -> float:
    found = _number(value)
    if not 0.0 <= found <= 1.0:
        raise NotAccepted(value)
    return found


SHARE = Kind("a share from 0 to 1", _share)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value) in ("0", "1", "True", "False", "true", "false"):
        return str(value) in ("1", "True", "true")
    raise NotAccepted(value)


FLAG = Kind("true or false (1 or 0)", _flag)


def _plain_text(value: Any, empty: bool) -> str:
    text = "" if value is None else str(value)
    if (not text and not empty) or any(ord(c) in _CONTROL for c in text) or \
            text != text.strip():
        raise NotAccepted(value)
    return text


def text(empty: bool = True) -> Kind:
    words = "text" if empty else "text, not empty"
    return Kind(f"{words}, without control characters or spaces around it",
                lambda value: _plain_text(value, empty))


def _web_address(value: Any, empty: bool) -> str:
    address = _plain_text(value, True)
    if not address and empty:
        return address
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in address:
        raise NotAccepted(value)
    return address


def web_address(empty: bool = False) -> Kind:
    words = "an http(s) URL with a host" + (", or nothing" if empty else "")
    return Kind(words, lambda value: _web_address(value, empty))


def _contact(value: Any) -> str:
    contact = _plain_text(value, True)
    if not contact.startswith("mailto:"):
        return _web_address(contact, True)
    if " " in contact or "@" not in contact:
        raise NotAccepted(value)
    return contact


CONTACT = Kind("an http(s) URL or a mailto: address (no spaces), or nothing", _contact)


def _json_object(value: Any) -> dict:
    if isinstance(value, Mapping):  # a dict, or Scrapy's own settings of a dict setting
        return dict(value)
    if isinstance(value, str):
        try:
            value = json.loads(value)  # as Scrapy's getdict reads it
        except ValueError:
            raise NotAccepted(value) from None
    if not isinstance(value, dict):
        raise NotAccepted(value)
    return dict(value)


def shares_of(names: Callable[[], list[str]]) -> Kind:
    """A JSON object of field name -> share (HARVESTER_MIN_COVERAGE)."""
    def read(value: Any) -> dict:
        shares = _json_object(value)
        allowed = set(names())
        for name, share in shares.items():
            if name not in allowed:
                raise NotAccepted(value)
            _share(share)
        return shares
    return Kind("a JSON object of document field names to shares from 0 to 1, e.g. "
                '{"title": 1.0, "date": 0.5}', read)


def _feeds(value: Any) -> dict:
    feeds = _json_object(value)
    if not all(isinstance(options, dict) for options in feeds.values()):
        raise NotAccepted(value)
    return feeds


FEEDS = Kind("a JSON object of feed URI to its options", _feeds)


def _statuses(value: Any) -> list[int]:
    items = value.split(",") if isinstance(value, str) else value  # as getlist reads it
    if not isinstance(items, list | tuple):
        raise NotAccepted(value)
    codes = [_whole(str(item).strip()) for item in items]
    if not all(100 <= code <= 599 for code in codes):
        raise NotAccepted(value)
    return codes


STATUSES = Kind("HTTP statuses from 100 to 599, separated by commas", _statuses)


def one_of(*choices: str) -> Kind:
    def read(value: Any) -> str:
        if str(value) not in choices:
            raise NotAccepted(value)
        return str(value)
    return Kind("one of " + ", ".join(choices), read)
