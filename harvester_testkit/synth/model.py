"""The synthetic archive as data: what each page shows comes from here, and so does the ground
truth, so pages and expected records can only disagree where the parser is wrong.

Stored in the mirror as `_model.jsonl.gz` (never served: the site header on the first line, a
document a line), so `mutate` can change a mirror later.
"""

import gzip
import io
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

MODEL_FILE = "_model.jsonl.gz"
FORMAT = 2
DAY = 86400


@dataclass
class TopicModel:
    slug: str
    title: str
    tid: int
    description: str
    image_alt: str


@dataclass
class DocumentModel:
    record_id: str
    node_id: int
    slug: str
    created: int  # upload time (UTC seconds): listings are newest first by this
    modified: int  # the page's Last-Modified
    topics: list[str]  # slugs of the topics it belongs to, in pill order
    title: str
    date: dict  # a spec of `dates.py`
    summary: list[str]  # paragraphs
    people: list[list[str]]  # [person key, role]
    places: list[str]
    subjects: list[str]
    source: str | None
    archives: list[str]
    languages: list[str]
    type: str | None
    classification: str | None
    rights: dict | None  # {"kind": "plain"} or {"kind": "email", "index": i}
    funders: list[str]  # donors the credit line and the Donors block may name
    text: list[dict]  # blocks: {"p": s} | {"h4": s} | {"li": [s]} | {"lines": [s]}
    original: str | None  # the original-language tab's sentence, when there is one
    related: list[str] = field(default_factory=list)  # record ids
    neighbour: str | None = None  # record id of the teaser shown above the header
    look: dict = field(default_factory=dict)  # how the page is marked up (`variants.py`)

    @property
    def reject(self) -> str | None:
        """The field a correct crawl rejects this page for, if its page is broken."""
        return self.look.get("reject")


@dataclass
class SiteModel:
    seed: int
    day: int  # UTC midnight of the site's current day; pages built today get this mtime
    next_record_id: int
    next_node_id: int
    topics: list[TopicModel]
    documents: list[DocumentModel]
    history: list[dict] = field(default_factory=list)  # the commands that made this state

    def by_id(self) -> dict[str, DocumentModel]:
        return {d.record_id: d for d in self.documents}

    def newest_first(self, documents: list[DocumentModel] | None = None) -> list[DocumentModel]:
        return sorted(documents if documents is not None else self.documents,
                      key=lambda d: (d.created, int(d.record_id)), reverse=True)

    def members(self, slug: str) -> list[DocumentModel]:
        return self.newest_first([d for d in self.documents if slug in d.topics])

    def to_bytes(self) -> bytes:
        """Gzipped JSON Lines, with no timestamp in the gzip header (same model, same bytes)."""
        header = {"format": FORMAT, "seed": self.seed, "day": self.day,
                  "next_record_id": self.next_record_id, "next_node_id": self.next_node_id,
                  "topics": [asdict(t) for t in self.topics], "history": self.history}
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6, mtime=0) as packed:
            names = document_fields()
            for line in (header, *({n: getattr(d, n) for n in names} for d in self.documents)):
                packed.write(json.dumps(line, ensure_ascii=False, separators=(",", ":"))
                             .encode("utf-8") + b"\n")
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "SiteModel":
        header, *documents = gzip.decompress(data).decode("utf-8").splitlines()
        site = json.loads(header)
        if site.pop("format", None) != FORMAT:
            raise ValueError("not a mirror made by this version of `harvester mirror synth`")
        site["topics"] = [TopicModel(**t) for t in site["topics"]]
        site["documents"] = [DocumentModel(**json.loads(line)) for line in documents]
        return cls(**site)


def load(mirror: Path) -> SiteModel:
    path = mirror / MODEL_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{mirror} is not a synthetic mirror (no {MODEL_FILE})")
    return SiteModel.from_bytes(path.read_bytes())


def document_fields() -> list[str]:
    return [f.name for f in fields(DocumentModel)]
