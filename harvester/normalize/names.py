"""People/organisation pill text -> display form and kind (docs/RECORDS.md, "Person object").

Why no name-parsing library: the archive already inverts personal names ("Family, Given") and
`nameparser` would split "Kim Il Sung" Western-style and put life dates in `suffix`. Only the comma
is trusted: an uninverted name is never reordered, and anything unclear is kind "unknown".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

KINDS = ("person", "organization", "unknown")

# Family names shown family-first (Chinese, Korean, Vietnamese in pinyin, Wade-Giles,
# McCune-Reischauer and Revised Romanization), compared after folding diacritics and apostrophes.
# Japanese names are left out on purpose: the archive shows them given-first ("Eisaku Satō").
EAST_ASIAN_FAMILY_NAMES = frozenset((
    "Kim", "Pak", "Park", "Bak", "Ri", "Rim", "Lim", "Im", "Lee", "Yi", "Rhee", "Choe", "Ch'oe",
    "Choi", "Chong", "Jong", "Jeong", "Chung", "Kang", "Ho", "Hoh", "Mun", "Moon", "Yun", "Yoon",
    "Han", "Hwang", "Ryu", "Yu", "Shin", "Sin", "O", "Oh", "No", "Noh", "Roh", "Hyon", "Hyun",
    "Jang", "Cho", "Jo", "Nam", "Ko", "Go", "Hong", "Son", "Mao", "Zhou", "Chou", "Deng", "Teng",
    "Liu", "Chiang", "Jiang", "Peng", "P'eng", "Lin", "Zhu", "Chu", "Chen", "Ch'en", "Wang",
    "Zhang", "Chang", "Li", "Hua", "K'ang", "Gao", "Kao", "Zhao", "Chao", "Yang", "Huang", "Wu",
    "Xu", "Hsu", "Sun", "Ma", "Hu", "Guo", "Kuo", "He", "Luo", "Lo", "Song", "Sung", "Xie", "Hsieh",
    "Tang", "T'ang", "Feng", "Ye", "Yeh", "Dong", "Tung", "Cao", "Ts'ao", "Yuan", "Tian", "T'ien",
    "Qiao", "Qian", "Kong", "Bo", "Po", "Ji", "Chi", "Lu", "Shi", "Tao", "Xi", "Yao", "Ren", "Bai",
    "Pai", "Wei", "Rao", "Ke", "Geng", "Keng", "Lei", "Nie", "Fu", "Qin", "Su", "Jia", "Wan", "Tan",
    "Pan", "Cheng", "Xiong", "Hsiung", "Pham", "Nguyen", "Le", "Vo", "Truong", "Tran", "Dang", "Do",
    "Bui", "Duong", "Hoang", "Huynh", "Phan", "Vu", "Ngo", "Dinh", "Trinh", "Mai", "Ha"
))

# Organisational words, matched as whole words anywhere in the name ("Workers' Party of Korea").
# "Soviet Union" alone is no organisation here: a bare state name is as unclassifiable as "Japan".
_ORG_WORDS = re.compile(r"\b(?:" + "|".join((
    "Ministry", "Ministries", "Embassy", "Embassies", "Committee", "Party", "Council", "Bureau",
    "Office", "Department", "Government", r"(?<!Soviet\s)Union", "Association", "Foundation",
    "Agency", "University", "Army", "Front", "Congress", "Assembly", "Commission", "Bank",
    "Institute", "Organi[sz]ation", "Nations", "Company", "Corporation", "League", "Federation",
    "Academy", "Archives?", "Press", "Politburo", "Secretariat", "Delegation", "Mission",
    "Consulate", "Legation", "Command", "Forces", "Navy", r"Air\sForce", "Society", "Cent(?:er|re)",
    "Library", "Museum", "Cabinet", "Presidium", "Parliament", "Senate", "Directorate",
    "Headquarters", "Movement", "Conference", "Commissariat", "Ministerium", "Partei", "Partia",
    "Komitet", "Inc", "Ltd"
)) + r")\b")
# "Japan. Foreign Ministry": a first part (no comma, not an initial or title) ending in ". ".
_CATALOGUE = re.compile(r"([^,.]{2,}?)\.\s+\S")
_TITLES = frozenset((
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Capt", "Maj", "Adm", "Sen", "Rep", "Gov",
    "Pres", "Amb", "Rev", "St", "Hon", "Mme"
))
# LC forms "Elizabeth II, Queen of ..." put a title, not a given name, after the comma.
_TITLE_WORDS = frozenset((
    "Queen", "King", "Pope", "Emperor", "Empress", "Prince", "Princess", "Shah", "Sultan", "Saint"
))
_PARENS = re.compile(r"\s*\([^()]*\)")
_QUOTED = re.compile(r"\s*(?:\"[^\"]*\"|“[^”]*”|„[^“”]*[“”]|«[^»]*»|‘[^’]*’|(?<!\w)'[^']*'(?!\w))")
_YEARS = r"(?:\d{3,4}\??(?:\s*[-–—]\s*(?:\d{2,4}\??)?)?|[-–—]\s*\d{3,4}\??)\.?"
_LIFE_DATES = re.compile(
    rf"(?:,\s*(?:(?:b|d|fl|ca?)\.\s*|born\s+|died\s+|active\s+)|\s+|^){_YEARS}\s*$")
_INITIAL = re.compile(r"\b\w\.")
_FOLD = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "Đ": "D", "đ": "d"})


def parse_name(name: str) -> dict:
    """Return {display, family, given, kind}; never raises. The same people appear on page
    after page, so each name is worked out once per process (a copy is returned)."""
    return dict(_parse_name(name if isinstance(name, str) else str(name or "")))


@lru_cache(maxsize=16384)
def _parse_name(name: str) -> dict:
    name = unicodedata.normalize("NFC", " ".join(str(name or "").split()))
    result = {"display": name, "family": None, "given": None, "kind": "unknown"}
    if not name:
        return result
    family, comma, rest = name.partition(",")
    family = family.strip()
    personal_form = bool(comma) and _looks_like_family(family)
    if _is_organization(name, family if personal_form else None):
        result["kind"] = "organization"
        return result
    if not personal_form:
        return result
    given, extra = _clean_given(rest)
    if not given or given.split()[0] in _TITLE_WORDS:
        return result
    if _fold(family) in EAST_ASIAN_FAMILY_NAMES and not _INITIAL.search(given):
        display = f"{family} {given}"  # "Mao Zedong", "Kim Il Sung"
    else:
        display = f"{given} {family}"  # "Joseph Stalin"; initials: Western "Robert E. Lee"
    display += "".join(f", {part}" for part in extra)  # "Martin Luther King, Jr."
    return {"display": display, "family": family, "given": given, "kind": "person"}


def _looks_like_family(family: str) -> bool:
    """A family name has letters and no digits (not "1950, ..." or ", Jr.")."""
    return any(c.isalpha() for c in family) and not any(c.isdigit() for c in family)


def _is_organization(name: str, single_family: str | None) -> bool:
    """Catalogue heading or organisational word; 'Press, Frank' (one-word family) is a person."""
    m = _CATALOGUE.match(name)
    if m and m[1].strip() not in _TITLES and any(c.isalpha() for c in m[1]):
        return True
    if single_family is not None and " " not in single_family:
        name = _PARENS.sub("", name.partition(",")[2])  # judge only the given part
    return _ORG_WORDS.search(name) is not None


def _clean_given(rest: str) -> tuple[str, list[str]]:
    """Drop fuller forms, nicknames and life dates; keep suffixes ('Jr.') after a second comma."""
    text = rest
    for _ in range(3):  # nested parentheses, one level at a time
        text = _PARENS.sub("", text)
    text = _QUOTED.sub("", text)
    text = " ".join(text.replace(" ,", ",").split())
    text = _LIFE_DATES.sub("", text).strip(" ,;")
    given, *extra = (part.strip() for part in text.split(","))
    # Anything after a date is card text (region, dates), not a suffix.
    extra = [part for part in extra if part and not any(c.isdigit() for c in part)]
    return given.strip(" ;"), extra


def _fold(family: str) -> str:
    """'Chŏng' -> 'Chong', 'Ch’oe' -> "Ch'oe", 'Nguyễn' -> 'Nguyen' for the family-name set."""
    decomposed = unicodedata.normalize("NFD", family.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_NOT_WORD = re.compile(r"[\W_]+")


def name_key(name: str, life_dates: bool = False) -> str:
    """What two spellings of one name share, to merge them in an index: accents, case and
    punctuation dropped ("Kim, Il Sung" and "Kim Il Sung" give "kim il sung"), and with
    `life_dates` (a person's name) trailing life dates too ("Stalin, Joseph, 1878-1953" gives
    "stalin joseph"; a subject's "Korean War, 1950-1953" keeps its years). Word order is kept:
    an uninverted name is never taken for an inverted one."""
    text = " ".join(str(name or "").split()).translate(_FOLD)
    if life_dates:
        text = _LIFE_DATES.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded.replace("'", "")).split())
