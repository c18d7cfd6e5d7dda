"""Archival date text -> date object (docs/RECORDS.md, "Date object").

Why hand-written regexes: this runs on every page and `edtf.parse_edtf` costs ~3 ms a call, while
the site shows only a handful of forms. Why so strict: a wrong date is worse than none, so text in
no known form keeps `original` with every other field null, and no day or month is ever invented.
Nothing here reads today's date.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

PRECISIONS = ("day", "month", "year", "decade", "range")

_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
# Hard-coded English names: `calendar.month_name` follows the locale.
MONTHS: dict[str, int] = {
    **{name: i for i, name in enumerate(_NAMES, 1)},
    **{name[:3]: i for i, name in enumerate(_NAMES, 1)},
    "sept": 9,
}

_FLAGS = re.ASCII | re.IGNORECASE  # ASCII: no exotic Unicode digits read as years
_M = r"(?P<m>[a-z]+)\.?"
_D = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_Y = r"(?P<y>\d{4})"
_SP = r"(?:\s*,\s*|\s+)"
_POINTS = tuple(re.compile(p, _FLAGS) for p in (
    _Y,
    rf"{_Y}-(?P<mn>\d{{1,2}})-(?P<d>\d{{1,2}})",
    rf"{_Y}-(?P<mn>\d{{1,2}})",
    rf"{_M}{_SP}{_D}{_SP}{_Y}",
    rf"{_D}{_SP}{_M}{_SP}{_Y}",
    rf"{_M}{_SP}{_Y}",
    r"(?P<dec>\d{3})0'?s",
))
_SEP = re.compile(r"\s*[-/]\s*|\s+(?:to|through|until|till)\s+", _FLAGS)
_BETWEEN = re.compile(r"between\s+(.+?)\s+and\s+(.+)", _FLAGS)
_DAY_YEAR = re.compile(rf"{_D}{_SP}{_Y}", _FLAGS)  # right side of "June 4-5, 1984"
_APPROX = re.compile(r"(?:circa|approx(?:imately|\.)?|about|ca?\.?)\s*", _FLAGS)
_NULL = re.compile(
    r"n\.?\s?d\.?|s\.\s?d\.|undated|not dated|no date|date unknown|unknown(?: date)?", _FLAGS)
_TRAILING_DOT = re.compile(r"(?<=\d)\.$")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_MAX_LEN = 100  # longer text is no date; also bounds the work spent on junk

_Point = tuple[str, date, date, str]  # edtf, earliest, latest, precision


def parse_date(text: str | None) -> dict | None:
    """Return {original, edtf, earliest, latest, precision}; None for an empty or 'n.d.' date."""
    if text is None:
        return None
    original = unicodedata.normalize("NFC", " ".join(str(text).translate(_INVISIBLE).split()))
    s = original.translate(_DASHES).replace("[", "").replace("]", "").strip(" ,;")
    s = _TRAILING_DOT.sub("", s)  # "1960."
    if not any(c.isalnum() for c in s) or _NULL.fullmatch(s):
        return None
    found = _parse(s) if len(s) <= _MAX_LEN else None
    if found is None:
        return {"original": original, "edtf": None, "earliest": None, "latest": None,
                "precision": None}
    edtf, lo, hi, precision = found
    return {"original": original, "edtf": edtf, "earliest": lo.isoformat(),
            "latest": hi.isoformat(), "precision": precision}


def _parse(s: str) -> _Point | None:
    """Strip 'c.'/'?' qualifiers, parse the core, then put the qualifier on every EDTF part."""
    uncertain = s.endswith("?")
    s = s.rstrip("?").strip()
    m = _APPROX.match(s)
    approx = m is not None and m.end() > 0 and s[m.end():m.end() + 1].isalnum()
    if m is not None and approx:
        s = s[m.end():]
    found = _point(s) or _any_range(s)
    if found is None or not (approx or uncertain):
        return found
    mark = "%" if approx and uncertain else "~" if approx else "?"
    edtf, lo, hi, precision = found
    return "/".join(part + mark for part in edtf.split("/")), lo, hi, precision


def _point(s: str) -> _Point | None:
    """One date at day, month, year or decade precision; None if unknown or off the calendar."""
    for pattern in _POINTS:
        m = pattern.fullmatch(s)
        if m:
            break
    else:
        return None
    g = m.groupdict()
    try:
        if g.get("dec"):
            start = int(g["dec"]) * 10
            return f"{g['dec']}X", date(start, 1, 1), date(start + 9, 12, 31), "decade"
        year = int(g["y"])
        if g.get("mn"):
            month = int(g["mn"])
        elif g.get("m"):
            month = MONTHS.get(g["m"].lower(), 0)  # 0: a word that is no month ("Spring 1950")
        else:
            return f"{year:04d}", date(year, 1, 1), date(year, 12, 31), "year"
        if g.get("d") is None:
            last = calendar.monthrange(year, month)[1]  # leap years handled here
            return f"{year:04d}-{month:02d}", date(year, month, 1), date(year, month, last), "month"
        day = date(year, month, int(g["d"]))
        return day.isoformat(), day, day, "day"
    except ValueError:  # February 30, month 13, year 0
        return None


def _any_range(s: str) -> _Point | None:
    """'between X and Y', or X and Y around the first separator that makes both ends dates."""
    m = _BETWEEN.fullmatch(s)
    if m:
        return _range(m[1], m[2])
    for sep in _SEP.finditer(s):
        found = _range(s[:sep.start()], s[sep.end():])
        if found:
            return found
    return None


def _range(left: str, right: str) -> _Point | None:
    """An interval; the left end may borrow the year (and month) the right end states."""
    hi = _point(right)
    if hi is None:  # "June 4-5, 1984": the right end is a bare day and year
        m = _DAY_YEAR.fullmatch(right)
        lo = _point(f"{left} {m['y']}") if m else None
        if m is None or lo is None or lo[3] != "day":
            return None
        hi = _point(f"{lo[0][:7]}-{m['d']}")
    else:
        lo = _point(left)
        if lo is None and hi[3] in ("day", "month", "year"):
            lo = _point(f"{left} {hi[1].year}")  # "January-February 1950", "June 30-July 2, 1984"
        if lo is None and left.isdigit() and hi[3] == "day":
            lo = _point(f"{hi[0][:7]}-{left}")  # "4-5 June 1984"
    if lo is None or hi is None or lo[1] > hi[1] or lo[2] > hi[2]:
        return None
    return f"{lo[0]}/{hi[0]}", lo[1], hi[2], "range"
