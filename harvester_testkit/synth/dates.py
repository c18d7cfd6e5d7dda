"""Document dates: each form the archive shows (docs/SITE.md) with the date object RECORDS.md says a
correct parser yields for it, worked out here from the calendar, never by parsing the text."""

import calendar
from datetime import date
from random import Random

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

# form -> weight. Forms with the same record but different markup ("day-nbsp", "day-lines") or
# text ("day-padded", "month-comma", the old site's) are separate so each is represented.
FORMS = {
    "day": 60, "day-nbsp": 3, "day-lines": 3, "day-padded": 4, "month": 8, "month-comma": 3,
    "year": 6, "empty": 3, "absent": 2, "circa": 2, "decade": 1, "range": 2, "undated": 1,
}
NULL_FORMS = ("empty", "absent", "undated")


def random_date(rng: Random, form: str) -> dict:
    """A date spec: the form plus the calendar values it shows."""
    year = rng.randint(1945, 1991)
    month = rng.randint(1, 12)
    last = 9 if form == "day-padded" else calendar.monthrange(year, month)[1]  # "March 05"
    day = rng.randint(1, last)
    spec = {"form": form, "y": year, "m": month, "d": day}
    if form == "range":
        spec["y2"] = year + rng.randint(1, 6)
    if form == "circa":
        spec["word"] = rng.choice(("c.", "ca.", "circa"))
    if form == "undated":
        spec["word"] = rng.choice(("n.d.", "undated"))
    return spec


def shown(spec: dict) -> str | None:
    """The date text as a page shows it (plain text; markup variants are the renderer's)."""
    form, y, m, d = spec["form"], spec["y"], spec["m"], spec["d"]
    month = MONTHS[m - 1]
    if form in ("day", "day-nbsp", "day-lines"):
        return f"{month} {d}, {y}"
    if form == "day-padded":
        return f"{month} {d:02d}, {y}"
    if form == "month":
        return f"{month} {y}"
    if form == "month-comma":
        return f"{month}, {y}"
    if form == "year":
        return str(y)
    if form == "circa":
        return f"{spec['word']} {y}"
    if form == "decade":
        return f"{y // 10 * 10}s"
    if form == "range":
        return f"{y}-{spec['y2']}"
    if form == "undated":
        return spec["word"]
    return None  # empty element, or none at all


def expected(spec: dict) -> dict | None:
    """The date object of RECORDS.md for this spec; None when the record's date is null."""
    form, y, m, d = spec["form"], spec["y"], spec["m"], spec["d"]
    if form in NULL_FORMS:
        return None
    if form in ("day", "day-nbsp", "day-lines", "day-padded"):
        day = date(y, m, d).isoformat()
        return _object(spec, day, day, day, "day")
    if form in ("month", "month-comma"):
        last = calendar.monthrange(y, m)[1]
        return _object(spec, f"{y:04d}-{m:02d}", date(y, m, 1).isoformat(),
                       date(y, m, last).isoformat(), "month")
    if form in ("year", "circa"):
        edtf = f"{y:04d}~" if form == "circa" else f"{y:04d}"
        return _object(spec, edtf, f"{y:04d}-01-01", f"{y:04d}-12-31", "year")
    if form == "decade":
        start = y // 10 * 10
        return _object(spec, f"{start // 10}X", f"{start}-01-01", f"{start + 9}-12-31", "decade")
    if form == "range":
        return _object(spec, f"{y}/{spec['y2']}", f"{y}-01-01", f"{spec['y2']}-12-31", "range")
    raise ValueError(f"unknown date form {form!r}")


def _object(spec: dict, edtf: str, earliest: str, latest: str, precision: str) -> dict:
    return {"original": shown(spec), "edtf": edtf, "earliest": earliest, "latest": latest,
            "precision": precision}


def long_day(spec: dict) -> str:
    """'25 November 1958', as titles and text mention a day."""
    return f"{spec['d']} {MONTHS[spec['m'] - 1]} {spec['y']}"
