"""What one synthetic document says: title, people, summary, text and the other fields, drawn
from the vocabulary to fit the document's look (a look that shows an author gets an author)."""

import unicodedata
from random import Random

from harvester_testkit.synth import dates
from harvester_testkit.synth.people import (
    CONTRIBUTORS,
    ORGANIZATIONS,
    PARTICIPANTS,
    PEOPLE,
    UNINVERTED,
)
from harvester_testkit.synth.vocabulary import (
    ARCHIVES,
    CITIES,
    CLASSIFICATIONS,
    COUNTRIES,
    DONORS,
    LANGUAGES,
    PLACES,
    SUBJECTS,
    THEMES,
    TYPES,
)

TITLES = (
    "Record of Conversation between {a} and {b}",
    "Memorandum of Conversation between {a} and {b}, {day}",
    "Telegram from {a} to {b}",
    "Ciphered Telegram No. {n} from {a} to {b}",
    "Report on {a}’s Talks with {b} in {city}",
    "Minutes of Conversation between {a} and {b}, {day}",
    "Note on the Conversation of {a} with {b} in {city}",
    "Letter from {a} to {b} on {theme}",
    "Excerpt from the Diary of {a}, {day}",
    "Information on the Visit of {a} to {country}",
    "Cable from the Embassy in {city}, ‘{a} on {theme}’",
    "Journal of {a} for {day}",
)
# Straight quotes, which pages spell as the entity &#039;.
QUOTED_TITLE = "{a}, 'Record of Conversation with {b} during the Visit to {country}'"
GLOSSES = {"stalin": ("Feng Xi [Stalin]", "Filippov (Stalin)")}
PARAGRAPHS = (
    "{a} received {b} in {city} and spoke for about {hours} hours.",
    "{a} said that {theme} had changed, and that the two sides should consult each other more "
    "often. {b} agreed.",
    "{b} thanked {a} for the warm reception. The conversation took place in a friendly "
    "atmosphere.",
    "{a}: “We will never forget the assistance of our friends in {country}.”",
    "{b} informed {a} about {theme}, and {a} asked that the information be passed to the Center.",
    "The two sides agreed to expand trade in {year} and to exchange delegations every year.",
    "{a} asked for advice concerning {theme}; {b} promised to report to Moscow.",
)
SUMMARIES = (
    "{a} and {b} discuss {theme}.",
    "{a} reports on a meeting with {b} concerning {theme}.",
    "{a} and {b} exchange views on {theme} and on relations with {country}.",
)
SECOND_SUMMARIES = (
    "{a} also comments on {theme}.",
    "The transcript was released in {year}.",
    "The Russian record spells the names Ким Ир Сен and Хрущёв.",
)


def words(rng: Random, a, b) -> dict:
    """Fillers for one document's sentences."""
    return {"a": a.display, "b": b.display, "city": rng.choice(CITIES),
            "country": rng.choice(COUNTRIES), "theme": rng.choice(THEMES),
            "n": rng.randint(2, 999999), "hours": rng.randint(2, 5),
            "year": rng.randint(1946, 2023)}


def content(rng: Random, look: dict) -> dict:
    """The fields of DocumentModel that a document's text and metadata fill."""
    a = PEOPLE["kim"] if rng.random() < 0.55 else rng.choice(PARTICIPANTS)
    b = rng.choice([p for p in PARTICIPANTS if p.key != a.key])
    if look["title"] == "gloss" and a.key != "stalin":
        b = PEOPLE["stalin"]  # named by a cover name, glossed: "Feng Xi [Stalin]"
    fill = words(rng, a, b)
    date = dates.random_date(rng, look["date"])
    fill["day"] = dates.long_day(date)
    primary, primary_id, original = rng.choice(LANGUAGES[1:])
    archive, _, citation = rng.choice(ARCHIVES)
    several = look["donors"] in ("semicolons", "lines")  # so the separator shows
    funders = rng.sample(DONORS, 2 if several else rng.choice((1, 1, 2)))
    return {
        "title": title(rng, look, a, b, fill),
        "date": date,
        "summary": summary(rng, look, fill),
        "people": people(rng, look, a, b),
        "places": [] if look["places"] == "none" else places(rng),
        "subjects": [] if look["subjects"] == "none" else rng.sample(SUBJECTS, rng.randint(1, 3)),
        "source": citation.format(n=rng.randint(100, 9999), a=rng.randint(10, 89),
                                  b=rng.randint(1, 99)),
        "archives": [] if look["archives"] == "none" else [archive],
        "languages": [primary, "English"] if look["languages"] == "two" else [primary],
        "type": rng.choice(TYPES) if look["type"] == "shown" else None,
        "classification": rng.choice(CLASSIFICATIONS) if look["classification"] == "shown"
        else None,
        "rights": rights(rng, look),
        "funders": funders,
        "text": text(rng, look, fill, b.display),
        "original": original if look["tabs"] in ("active-first", "active-second", "languages")
        and look["scan"] == "text" else None,
    }


def title(rng: Random, look: dict, a, b, fill: dict) -> str:
    if look["title"] == "entities":
        return QUOTED_TITLE.format(**fill)
    names = dict(fill)
    if b.key in GLOSSES and (look["title"] == "gloss" or rng.random() < 0.3):
        names["b"] = rng.choice(GLOSSES[b.key])
    return rng.choice(TITLES).format(**names)


def summary(rng: Random, look: dict, fill: dict) -> list[str]:
    if look["summary"] == "none":
        return []
    paragraphs = [rng.choice(SUMMARIES).format(**fill)]
    if look["summary"] == "two":
        paragraphs.append(rng.choice(SECOND_SUMMARIES).format(**fill))
    return paragraphs


def people(rng: Random, look: dict, a, b) -> list[list[str]]:
    """[key, role] pairs: authors, then associated, then contributors."""
    associated = [a.key, b.key]
    if rng.random() < 0.35:
        associated.append(rng.choice(ORGANIZATIONS).key)
    if look["uninverted-name"] == "shown":
        associated.append(rng.choice(UNINVERTED).key)
    if look["unlinked-pill"] == "shown":
        associated.append(rng.choice([p.key for p in ORGANIZATIONS if p.id is None]))
    extra = look["pill-extra"]
    if extra == "details" and not any(PEOPLE[k].details for k in associated):
        associated.insert(0, "kim" if "kim" not in associated else "stalin")
    if extra == "nfd" and not any(_decomposes(PEOPLE[k].name) for k in associated):
        associated.append("kadar")
    associated = list(dict.fromkeys(associated))
    authors: list[str] = []
    if look["authors"] == "person":
        authors = [rng.choice([p.key for p in PARTICIPANTS if p.key not in associated])]
    elif look["authors"] == "organization":
        authors = [rng.choice([o.key for o in ORGANIZATIONS if o.id is not None])]
    elif look["authors"] == "same-as-associated":
        authors = [associated[-1] if PEOPLE[associated[-1]].family else associated[0]]
    contributors = [rng.choice(CONTRIBUTORS).key] if look["contributors"] == "one" else []
    return ([[k, "author"] for k in authors] + [[k, "associated"] for k in associated]
            + [[k, "contributor"] for k in contributors])


def _decomposes(name: str) -> bool:
    return unicodedata.normalize("NFD", name) != name


def places(rng: Random) -> list[str]:
    chosen = ["Korea (North)"] if rng.random() < 0.7 else []
    for name, _ in rng.sample(PLACES, rng.randint(1, 3)):
        if name not in chosen:
            chosen.append(name)
    return chosen


def rights(rng: Random, look: dict) -> dict | None:
    if look["rights"] == "none":
        return None
    if look["rights"] == "email":
        return {"kind": "email", "index": rng.randint(0, 1)}
    return {"kind": "plain"}


def text(rng: Random, look: dict, fill: dict, other: str) -> list[dict]:
    blocks = [{"p": p.format(**fill)} for p in rng.sample(PARAGRAPHS, rng.randint(2, 3))]
    style = look["text"]
    if style == "lines":
        blocks.insert(0, {"lines": [f"Time: {fill['day']}", f"Location: {fill['city']}"]})
    elif style == "list":
        blocks.insert(0, {"h4": f"Record of the conversation held in {fill['city']} on "
                                f"{fill['day']}"})
        blocks.append({"li": [f"The two sides agreed to expand trade in {fill['year']}.",
                              "A treaty of friendship and cooperation will be prepared."]})
    elif style == "footnote":
        blocks.insert(0, {"p": f"On {fill['day']} {other}[1] invited the delegation to discuss "
                               f"{fill['theme']}."})
        blocks.append({"p": f"[1] {other} led the delegation."})
    return blocks
