"""Conditional requests over the state, the fetch history a crawler keeps: a request for a
document the dataset holds asks with the validators its page last answered (If-None-Match,
If-Modified-Since), and a 304 reaches the spider carrying the stored record. A spider marks
the request with the record it knows (`meta["known_record"]`) and never reads the state."""

from harvester.run.extension import run_needed

KNOWN_RECORD = "known_record"
STORED_RECORD = "stored_record"
# What a known document's page may answer that the spider takes instead of a failure: 304
# (unchanged), 404 and 410 (gone from the site).
KNOWN_ANSWERS = [304, 404, 410]


class ConditionalRequestsMiddleware:
    def __init__(self, run) -> None:
        self.run = run

    @classmethod
    def from_crawler(cls, crawler):
        return cls(run_needed(crawler))  # without a run nothing is kept, nor asked for

    def process_request(self, request):
        record_id = request.meta.get(KNOWN_RECORD)
        if record_id is None or "handle_httpstatus_list" in request.meta:
            return None  # not a known document, or asked already (a retry, a redirect)
        etag, modified = self.run.validators(record_id)
        if etag:
            request.headers.setdefault("If-None-Match", etag)
        if modified:
            request.headers.setdefault("If-Modified-Since", modified)
        request.meta["handle_httpstatus_list"] = KNOWN_ANSWERS
        return None

    def process_response(self, request, response):
        record_id = request.meta.get(KNOWN_RECORD)
        if response.status == 304 and record_id is not None:
            request.meta[STORED_RECORD] = self.run.stored_record(record_id)
        return response
