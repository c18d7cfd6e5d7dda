"""5xx answers and network errors: retried after an exponential back-off with jitter.

Scrapy's own retry re-queues at once, which hits a struggling server again immediately. This
one keeps its codes, exceptions, RETRY_TIMES and stats, but pauses the download slot before
each new attempt (longer when the server sent Retry-After). When attempts run out the answer
goes on to the spider, which turns it into a reject such as "HTTP 503 after 4 attempts".
"""

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.python import global_object_name
from scrapy.utils.response import response_status_message

from harvester.middlewares.backoff import Backoff
from harvester.middlewares.ratelimit import refuse_long_wait, retry_after


class BackoffRetryMiddleware(RetryMiddleware):
    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        middleware.backoff = Backoff.of(crawler)
        return middleware

    def process_response(self, request, response):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        asked = retry_after(response.headers) or 0.0
        refuse_long_wait(self.crawler, request, asked)
        reason = response_status_message(response.status)
        return self.backoff.retry(request, reason, at_least=asked) or response

    def process_exception(self, request, exception):
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        return self.backoff.retry(request, global_object_name(type(exception)))
