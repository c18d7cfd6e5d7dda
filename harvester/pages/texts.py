"""Every text a document page holds: one `{kind, language, text}` per pane of its text tabs.

The tabs (`#documentTabs`) hold a pane per kind (translation, transcript, original, or a scan)
and, on the site's current pages, a language level inside each: a pane per language. What a pane
is comes from what names it, never from where it sits: its id (`translation`,
`tab-original-23345`, `original-german`, `translation-English`), the label of the tab button or
link that shows it (`data-bs-target`, `aria-controls`, `href="#…"`, or the one its
`aria-labelledby` names: `English Translation`, `Polish`), then the panes around it, and for the
shown pane the dropdowns that say what is shown (`.dropdown-document-type`,
`.dropdown-document-language`). A pane nothing names as a translation, transcript or original,
a scan (a PDF preview, or a line saying where the scan is) and a pane without text are not
listed.
"""

from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from harvester.normalize.text import clean
from harvester.pages.html import block_text, inline_text
from harvester.pages.index import Element, PageIndex, classes_of

KINDS = ("translation", "transcript", "original")
SCAN = "scan"
# Attributes by which a tab button, link or dropdown entry names the pane it shows.
TARGETS = ("data-bs-target", "data-target", "aria-controls", "href")
DROPDOWNS = ("dropdown-document-type", "dropdown-document-language")


class Name(NamedTuple):
    """What one id or label says of a pane."""

    kind: str | None = None
    language: str | None = None
    scan: bool = False


@lru_cache(maxsize=512)  # the site's ids and labels repeat from page to page
def id_name(value: str | None) -> Name:
    """An id names the kind, then the language: `original-german`, `translation-English`;
    what comes before the kind (`tab-`) and numbers (`-23345`) name nothing."""
    words = [w for w in (value or "").replace("_", "-").split("-") if w]
    lowered = [w.lower() for w in words]
    kind = next((w for w in lowered if w in KINDS), None)
    rest = words[lowered.index(kind) + 1:] if kind else []
    language = "-".join(w for w in rest if not w.isdigit() and w.lower() != SCAN)
    return Name(kind, language_name(language), SCAN in lowered)


@lru_cache(maxsize=512)
def label_name(value: str | None) -> Name:
    """A label names the kind and the language in either order (`English Translation`,
    `Polish`, `Original Scan`, `Translation`)."""
    words = (value or "").split()
    lowered = [w.lower().strip("()[]:") for w in words]
    kind = next((w for w in lowered if w in KINDS), None)
    rest = " ".join(w.strip("()[]:") for w, low in zip(words, lowered, strict=True)
                    if low not in KINDS and low != SCAN)
    return Name(kind, language_name(rest), SCAN in lowered)


def language_name(value: str | None) -> str | None:
    """The language as the Language field writes it: each word capitalised (`english` →
    `English`, `serbo-croatian` → `Serbo-Croatian`), the rest as the page has it."""
    value = clean(value)
    if value is None:
        return None
    return " ".join("-".join(part[:1].upper() + part[1:] for part in word.split("-"))
                    for word in value.split())


def merged(names: list[Name]) -> Name:
    """The first kind and the first language the names give; a scan if any says so."""
    return Name(next((n.kind for n in names if n.kind), None),
                next((n.language for n in names if n.language), None),
                any(n.scan for n in names))


def shown(panes: list[Element]) -> Element | None:
    """The active tab of a list of tabs, else the first."""
    return next((p for p in panes if "active" in classes_of(p)), panes[0] if panes else None)


class TextTabs:
    """The text tabs of a document page: the panes after its title, read once."""

    def __init__(self, index: PageIndex, title: Element | None) -> None:
        self.index = index
        self.positions = index.with_class("tab-pane")
        self.panes = index.after(self.positions, title)

    @cached_property
    def shown(self) -> Element | None:
        """The shown tab (the active one, else the first) and, where tabs nest (a language
        level below translation / transcript / original), the tab shown inside it."""
        index, pane = self.index, shown(self.panes)
        while pane is not None and (inner := index.inside(self.positions, pane)):
            pane = shown(inner)
        return pane

    def english_translation(self) -> str | None:
        """The text of the first English translation, if the page has one."""
        return next((t["text"] for t in self.texts
                     if t["kind"] == "translation" and t["language"] == "English"), None)

    @cached_property
    def texts(self) -> list[dict[str, Any]]:
        """`{kind, language, text}` of each named pane with text, in page order."""
        found: list[dict[str, Any]] = []
        around: list[Element] = []  # the panes holding the current one, outermost first
        for pane in self.panes:
            while around and not self.index.contains(around[-1], pane):
                around.pop()
            if not self.index.count_inside(self.positions, pane):
                entry = self._entry(pane, around)
                if entry is not None:
                    found.append(entry)
            around.append(pane)
        return found

    def _entry(self, pane: Element, around: list[Element]) -> dict[str, Any] | None:
        names = [name for p in (pane, *reversed(around)) for name in self._names(p)]
        if pane is self.shown:
            names.append(self._dropdowns)
        name = merged(names)
        if name.scan or name.kind is None:
            return None
        text = block_text(pane)
        return {"kind": name.kind, "language": name.language, "text": text} if text else None

    def _names(self, pane: Element) -> tuple[Name, Name]:
        """What the control showing the pane says, then what its id says."""
        shows, named = self._labels
        label = shows.get(pane.get("id") or "") or named.get(pane.get("aria-labelledby") or "")
        return label_name(label), id_name(pane.get("id"))

    @cached_property
    def _labels(self) -> tuple[dict[str, str], dict[str, str]]:
        """The labels of the tab buttons and links: by the id of the pane each shows, and by
        the control's own id, which a pane's `aria-labelledby` names."""
        ids = {i for p in self.panes if (i := p.get("id"))}
        targets = ids | {f"#{i}" for i in ids}  # as a target attribute may name a pane
        labelled = {p.get("aria-labelledby") for p in self.panes} - {None}
        shows: dict[str, str] = {}
        named: dict[str, str] = {}
        for control in self._controls():
            showing = [v.removeprefix("#") for a in TARGETS if (v := control.get(a)) in targets]
            own = control.get("id") or ""
            if (showing or own in labelled) and (label := inline_text(control)):
                for target in showing:
                    shows.setdefault(target, label)
                if own in labelled:
                    named.setdefault(own, label)
        return shows, named

    def _controls(self) -> list[Element]:
        """The buttons, and the links that lead within the page (`#…`): a link elsewhere
        shows no pane."""
        index = self.index
        links = [a for a in index.at(index.links) if a.get("href", "").startswith("#")]
        return index.at(index.with_tag("button")) + links

    @cached_property
    def _dropdowns(self) -> Name:
        """What the document type and language dropdowns say is shown (`.changing-text`)."""
        index, names = self.index, []
        for dropdown in DROPDOWNS:
            for node in index.at(index.with_class(dropdown)):
                names.append(label_name(inline_text(
                    index.first_inside(index.with_class("changing-text"), node))))
        return merged(names)
