"""What spiders and middlewares may ask of the state, through the run: they never hold the
store (mixed into `Run`)."""

from typing import Any


class StateReads:
    context: Any  # the run's RunContext: its store and run id

    @property
    def store(self):
        return self.context.store

    @property
    def run_id(self) -> str:
        return self.context.run_id

    def staged_urls(self) -> set[str]:
        """URLs whose documents this run (an interrupted attempt of it included) has staged."""
        return self.store.staged_urls(self.run_id)

    def staged_documents(self) -> int:
        return self.store.staged_documents(self.run_id)

    def staged_topics(self) -> list[str]:
        """Topics the documents this run staged name."""
        return self.store.staged_topics(self.run_id)

    def records_of(self, urls) -> dict[str, str | None]:
        """The record each URL came to, in this run or an earlier one, staged writes seen."""
        self.store.flush()
        return {url: self.store.record_for_url(url, self.run_id) for url in urls}

    def published_record_for(self, url: str) -> str | None:
        """The record a URL came to in an earlier run (not this one)."""
        return self.store.record_for_url(url)

    def stored_record(self, record_id: str) -> dict | None:
        """The record as the state keeps it, None when it keeps none."""
        return self.store.stored_record(record_id)

    def was_rejected(self, url: str) -> bool:
        return self.store.was_rejected(url)

    def validators(self, record_id: str) -> tuple[str | None, str | None]:
        """The (ETag, Last-Modified) the record's page last answered with."""
        return self.store.validators(record_id)

    def known_documents(self) -> int:
        return self.store.known_documents()

    def due_for_recheck(self, limit: int) -> list[tuple[str, str, str | None, str | None]]:
        """(record id, public URL, ETag, Last-Modified) of the known documents checked longest
        ago, at most `limit`, none this run has already staged."""
        return self.store.due_for_recheck(self.run_id, limit)

    def known_topic_slugs(self) -> set[str]:
        return set(self.store.topics())

    def missing_topic_slugs(self) -> list[str]:
        """Topics whose page answered 404/410 when last asked."""
        return list(self.store.missing_topics())

    def people_to_read(self, checked_since: str | None = None) -> list[str]:
        """People's own pages due: linked by this run's documents, not read since then."""
        return self.store.people_to_read(self.run_id, checked_since)
