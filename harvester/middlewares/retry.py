"""5xx answers and network errors: retried after an exponential back-off with jitter.

Scrapy's own retry re-queues at once, which hits a struggling server again immediately. This
one keeps its codes, exceptions, RETRY_TIMES and stats, but pauses the download slot before
each new attempt (longer when the server sent Retry-After). When attempts run out the answer
goes on to the spider, which turns it into a reject such as "HTTP 503 after 4 attempts".
"""

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import DownloadConnectionRefusedError
from scrapy.utils.python import global_object_name
from scrapy.utils.response import response_status_message
from twisted.internet import error as network

from harvester.middlewares.backoff import Backoff
from harvester.middlewares.ratelimit import refuse_long_wait, retry_after

# A refused connection, as Twisted raises it and as Scrapy's download handler wraps it.
REFUSED = (network.ConnectionRefusedError, DownloadConnectionRefusedError)


class BackoffRetryMiddleware(RetryMiddleware):
    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        middleware.backoff = Backoff.of(crawler)
        middleware.refused_pause = crawler.settings.getfloat("HARVESTER_REFUSED_PAUSE")
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
        reason = global_object_name(type(exception))
        if isinstance(exception, REFUSED) and self.refused_pause:
            # A web archive that refuses connections is shutting a client out: everything waits.
            again = self.backoff.retry(request, reason, at_least=self.refused_pause,
                                       everything=True)
            return again
        return self.backoff.retry(request, reason)
