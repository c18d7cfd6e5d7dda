"""Life dates as people pages and menu cards show them, read into one form.

A person's years appear as a range in parentheses under a name ("(1912-1994)"), with a dash of
any kind ("1912–1994"), as "b. 1912" or "d. 1994", or as the values of "Born" and "Died"
blocks that give whole dates ("December 18, 1878"). Every form is written the same way, so the
people index can be read and sorted without knowing where the years came from: `1912-1994`,
`b. 1912` when only the birth is known, `d. 1994` when only the death. A year the page marks
uncertain keeps its `?`, an approximate one its `ca.`.
"""

import re

from harvester.normalize.text import clean

_YEAR = r"(?P<{0}_ca>\bca?\.\s*)?(?P<{0}>\d{{3,4}})(?P<{0}_q>\?)?"
_DASH = r"\s*[-–—‐‑]\s*"
# "1912-1994", "1912–", "ca. 1890-1953?", but not a longer number or one inside a date.
_RANGE = re.compile(rf"(?<![\d/.-]){_YEAR.format('born')}{_DASH}"
                    rf"(?:{_YEAR.format('died')})?(?![\d/-])", re.IGNORECASE)
_BORN = re.compile(rf"\b(?:b\.|born)\s*(?:in\s+)?{_YEAR.format('born')}(?!\d)", re.IGNORECASE)
_DIED = re.compile(rf"\b(?:d\.|died)\s*(?:in\s+)?{_YEAR.format('died')}(?!\d)", re.IGNORECASE)
# The year of a whole date ("December 18, 1878", "18.12.1878", "1878-12-18").
_DATE_YEAR = re.compile(rf"(?<!\d){_YEAR.format('year')}(?!\d)", re.IGNORECASE)
# A range's end given as a whole date is about this long ("September 30, 1994").
MAX_END_DATE = 24
# Life dates and nothing else, as a line under a name shows them: "(1912-1994)", "b. 1912".
_WHOLE = re.compile(r"^\(?\s*(?P<dates>.{4,40}?)\s*\)?$")
# A name that ends in its life dates: "Kim Il Sung (1912-1994)", "Stalin, Joseph, 1878-1953".
_TRAILING = re.compile(r"(?:,\s*|\s*\(\s*|\s+)(?P<dates>(?:\d|b\.|d\.|born|died|ca?\.)"
                       r"[^,()]{3,40}?)\s*\)?\s*$", re.IGNORECASE)


def _year(match: re.Match, name: str) -> str | None:
    """One year of a match, with the page's marks of doubt kept."""
    if match.group(name) is None:
        return None
    approximate = "ca. " if match.group(f"{name}_ca") else ""
    return f"{approximate}{match.group(name)}{match.group(f'{name}_q') or ''}"


def span(born: str | None, died: str | None) -> str | None:
    """`born-died`, `b. born` or `d. died`; None without either."""
    if born and died:
        return f"{born}-{died}"
    if born:
        return f"b. {born}"
    return f"d. {died}" if died else None


def life_dates(text: str | None) -> str | None:
    """The life dates a text gives: a range, else "b." and "d." years (both may be there)."""
    text = clean(text)
    if not text:
        return None
    found = _RANGE.search(text)
    if found is not None:
        return span(_year(found, "born"), _year(found, "died") or _end_year(text[found.end():]))
    born, died = _BORN.search(text), _DIED.search(text)
    return span(_year(born, "born") if born else None, _year(died, "died") if died else None)


def _end_year(rest: str) -> str | None:
    """The year of a whole date that ends a range of dates ("April 15, 1912 – July 8, 1994")."""
    return year_of(rest) if len(rest) <= MAX_END_DATE else None


def only_life_dates(text: str | None) -> str | None:
    """The life dates of a text that holds nothing else ("(1912–1994)", "b. 1912"): a line
    near a name, where any other text is not dates at all."""
    whole = _WHOLE.match(clean(text) or "")
    if whole is None or not _is_dates(whole.group("dates")):
        return None
    return life_dates(whole.group("dates"))


def year_of(text: str | None) -> str | None:
    """The year of a whole date, as a "Born" or "Died" block gives it."""
    found = _DATE_YEAR.search(clean(text) or "")
    return _year(found, "year") if found else None


def split_name(text: str | None) -> tuple[str | None, str | None]:
    """(name, life dates) of a heading that may end in the person's life dates."""
    text = clean(text)
    if not text:
        return None, None
    trailing = _TRAILING.search(text)
    if trailing is not None and _is_dates(trailing.group("dates")):
        name = clean(text[:trailing.start()].rstrip(" ,"))
        if name:
            return name, life_dates(trailing.group("dates"))
    return text, None


def _is_dates(text: str) -> bool:
    """Whether a short text is life dates through and through (a range, or b./d. years)."""
    text = text.strip()
    for pattern in (_RANGE, _BORN, _DIED):
        found = pattern.match(text)
        if found is not None and found.end() == len(text):
            return True
    both = _BORN.match(text)
    if both is not None:
        rest = text[both.end():].lstrip(" ,;")
        died = _DIED.match(rest)
        return died is not None and died.end() == len(rest)
    return False
