"""Tests for harvester.normalize.dates: the RECORDS.md "Date object" table and the other forms."""

from datetime import date

import pytest
from edtf import parse_edtf
from hypothesis import given
from hypothesis import strategies as st

from harvester.normalize.dates import PRECISIONS, parse_date

KEYS = ["original", "edtf", "earliest", "latest", "precision"]

# shown text, edtf, earliest, latest, precision
PARSED = [
    # RECORDS.md table
    ("September 7, 1960", "1960-09-07", "1960-09-07", "1960-09-07", "day"),
    ("March 05, 1949", "1949-03-05", "1949-03-05", "1949-03-05", "day"),
    ("April 1950", "1950-04", "1950-04-01", "1950-04-30", "month"),
    ("April, 1950", "1950-04", "1950-04-01", "1950-04-30", "month"),
    ("1971", "1971", "1971-01-01", "1971-12-31", "year"),
    ("c. 1958", "1958~", "1958-01-01", "1958-12-31", "year"),
    ("ca. 1958", "1958~", "1958-01-01", "1958-12-31", "year"),
    ("circa 1958", "1958~", "1958-01-01", "1958-12-31", "year"),
    ("1950s", "195X", "1950-01-01", "1959-12-31", "decade"),
    ("1950-1955", "1950/1955", "1950-01-01", "1955-12-31", "range"),
    # other day forms
    ("Sept. 7, 1960", "1960-09-07", "1960-09-07", "1960-09-07", "day"),
    ("Sept 7, 1960", "1960-09-07", "1960-09-07", "1960-09-07", "day"),
    ("Sep. 7 1960", "1960-09-07", "1960-09-07", "1960-09-07", "day"),
    ("september 7th, 1960", "1960-09-07", "1960-09-07", "1960-09-07", "day"),
    ("7 September 1960", "1960-09-07", "1960-09-07", "1960-09-07", "day"),
    ("7 Sept. 1960", "1960-09-07", "1960-09-07", "1960-09-07", "day"),
    ("1960-09-07", "1960-09-07", "1960-09-07", "1960-09-07", "day"),
    ("Dec. 31, 1999", "1999-12-31", "1999-12-31", "1999-12-31", "day"),
    # other month and year forms
    ("Jan. 1950", "1950-01", "1950-01-01", "1950-01-31", "month"),
    ("Sept 1960", "1960-09", "1960-09-01", "1960-09-30", "month"),
    ("1950-04", "1950-04", "1950-04-01", "1950-04-30", "month"),
    ("1955", "1955", "1955-01-01", "1955-12-31", "year"),
    ("1960.", "1960", "1960-01-01", "1960-12-31", "year"),
    ("[1958]", "1958", "1958-01-01", "1958-12-31", "year"),
    ("1950's", "195X", "1950-01-01", "1959-12-31", "decade"),
    # approximate and uncertain
    ("[ca. 1958]", "1958~", "1958-01-01", "1958-12-31", "year"),
    ("c.1958", "1958~", "1958-01-01", "1958-12-31", "year"),
    ("approx. 1958", "1958~", "1958-01-01", "1958-12-31", "year"),
    ("c. April 1950", "1950-04~", "1950-04-01", "1950-04-30", "month"),
    ("ca. September 7, 1960", "1960-09-07~", "1960-09-07", "1960-09-07", "day"),
    ("c. 1950s", "195X~", "1950-01-01", "1959-12-31", "decade"),
    ("1958?", "1958?", "1958-01-01", "1958-12-31", "year"),
    ("[1958?]", "1958?", "1958-01-01", "1958-12-31", "year"),
    ("c. 1958?", "1958%", "1958-01-01", "1958-12-31", "year"),
    ("c. 1950-1955", "1950~/1955~", "1950-01-01", "1955-12-31", "range"),
    # ranges
    ("1950–1955", "1950/1955", "1950-01-01", "1955-12-31", "range"),
    ("1950 — 1955", "1950/1955", "1950-01-01", "1955-12-31", "range"),
    ("1950 to 1955", "1950/1955", "1950-01-01", "1955-12-31", "range"),
    ("1950/1955", "1950/1955", "1950-01-01", "1955-12-31", "range"),
    ("January-February 1950", "1950-01/1950-02", "1950-01-01", "1950-02-28", "range"),
    ("Jan.-Feb. 1950", "1950-01/1950-02", "1950-01-01", "1950-02-28", "range"),
    ("January–March, 1950", "1950-01/1950-03", "1950-01-01", "1950-03-31", "range"),
    ("between 1950 and 1953", "1950/1953", "1950-01-01", "1953-12-31", "range"),
    ("Between January and March 1950", "1950-01/1950-03", "1950-01-01", "1950-03-31", "range"),
    ("June 4-5, 1984", "1984-06-04/1984-06-05", "1984-06-04", "1984-06-05", "range"),
    ("June 4–5, 1984", "1984-06-04/1984-06-05", "1984-06-04", "1984-06-05", "range"),
    ("4-5 June 1984", "1984-06-04/1984-06-05", "1984-06-04", "1984-06-05", "range"),
    ("June 30-July 2, 1984", "1984-06-30/1984-07-02", "1984-06-30", "1984-07-02", "range"),
    ("December 1950 - January 1951", "1950-12/1951-01", "1950-12-01", "1951-01-31", "range"),
    ("September 7, 1960 - 1961", "1960-09-07/1961", "1960-09-07", "1961-12-31", "range"),
    ("1960-09-07/1960-09-08", "1960-09-07/1960-09-08", "1960-09-07", "1960-09-08", "range"),
    ("1950s-1960s", "195X/196X", "1950-01-01", "1969-12-31", "range"),
    # leap years: latest bounds of February
    ("February 1952", "1952-02", "1952-02-01", "1952-02-29", "month"),
    ("February 1951", "1951-02", "1951-02-01", "1951-02-28", "month"),
    ("February 1900", "1900-02", "1900-02-01", "1900-02-28", "month"),
    ("February 2000", "2000-02", "2000-02-01", "2000-02-29", "month"),
    ("Feb. 29, 1952", "1952-02-29", "1952-02-29", "1952-02-29", "day"),
    ("January-February 1952", "1952-01/1952-02", "1952-01-01", "1952-02-29", "range"),
]

NULL = ["", "   ", "\u00a0", "n.d.", "N.D.", "n. d.", "[n.d.]", "nd", "undated", "Undated",
        "no date", "No Date", "Date unknown", "unknown", "—", "?"]

UNPARSED = [
    "February 30, 1950",  # not on the calendar
    "Feb 29, 1951",  # not a leap year
    "1950-13",  # month 13
    "1950-00",
    "1950-02-30",
    "13/1950",
    "0000",
    "Spring 1950",  # a season: no month may be invented
    "Smarch 1950",
    "1955-1950",  # reversed range
    "1950-55",  # ambiguous short range
    "September 1960 - 7",
    "before 1950",
    "hello world",
    "Kim Il Sung",
    "12",
    "19",
    "1960 1961",
    "7 7 1960",
    "x" * 500,
]


def _expected(original, edtf=None, earliest=None, latest=None, precision=None):
    return {"original": original, "edtf": edtf, "earliest": earliest, "latest": latest,
            "precision": precision}


@pytest.mark.parametrize(("text", "edtf", "earliest", "latest", "precision"), PARSED)
def test_parsed_forms(text, edtf, earliest, latest, precision):
    result = parse_date(text)
    assert result == _expected(text, edtf, earliest, latest, precision)
    assert list(result) == KEYS


@pytest.mark.parametrize(("text", "edtf", "earliest", "latest", "precision"), PARSED)
def test_edtf_library_agrees(text, edtf, earliest, latest, precision):
    parsed = parse_edtf(edtf)
    assert date(*parsed.lower_strict()[:3]).isoformat() == earliest
    assert date(*parsed.upper_strict()[:3]).isoformat() == latest


@pytest.mark.parametrize("text", NULL)
def test_no_date_gives_none(text):
    assert parse_date(text) is None


def test_none_gives_none():
    assert parse_date(None) is None


@pytest.mark.parametrize("text", UNPARSED)
def test_unknown_form_keeps_original_only(text):
    result = parse_date(text)
    assert result == _expected(text)
    assert list(result) == KEYS


@pytest.mark.parametrize(
    ("text", "original"),
    [
        ("  September\u00a07,   1960 ", "September 7, 1960"),
        ("September\n7,\t1960", "September 7, 1960"),
        ("\u200bApril 1950", "April 1950"),
        ("c.\u00a0\u00a01958", "c. 1958"),
    ],
)
def test_whitespace_is_normalised(text, original):
    result = parse_date(text)
    assert result["original"] == original
    assert result["edtf"] is not None


def test_original_is_nfc():
    assert parse_date("1958 Mo\u0308ller")["original"] == "1958 M\u00f6ller"


def test_precision_values():
    assert PRECISIONS == ("day", "month", "year", "decade", "range")


def _check_invariants(result):
    if result is None:
        return
    assert list(result) == KEYS
    if result["edtf"] is None:
        assert result["earliest"] is result["latest"] is result["precision"] is None
        return
    earliest = date.fromisoformat(result["earliest"])
    latest = date.fromisoformat(result["latest"])
    assert earliest <= latest
    assert result["precision"] in PRECISIONS


@given(st.text())
def test_any_text_never_raises(text):
    _check_invariants(parse_date(text))


_DATEISH = st.text(alphabet="0123456789 -–/,.?[]'sciraJanFebMarchSeptDecembtwdnou", max_size=30)


@given(_DATEISH)
def test_dateish_text_gives_valid_edtf(text):
    result = parse_date(text)
    _check_invariants(result)
    if result and result["edtf"]:
        parsed = parse_edtf(result["edtf"])
        assert date(*parsed.lower_strict()[:3]).isoformat() == result["earliest"]
        assert date(*parsed.upper_strict()[:3]).isoformat() == result["latest"]


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # not %B: that follows the locale
_FORMATS = ["{m} {d.day}, {d.year}", "{m} {d.day:02d}, {d.year}", "{d.day} {m} {d.year}",
            "{m:.3}. {d.day}, {d.year}", "{d.year}-{d.month:02d}-{d.day:02d}"]


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31)),
       st.sampled_from(_FORMATS))
def test_day_round_trip(day, fmt):
    text = fmt.format(d=day, m=_MONTHS[day.month - 1])
    assert parse_date(text) == _expected(text, day.isoformat(), day.isoformat(), day.isoformat(),
                                         "day")
