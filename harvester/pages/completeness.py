"""Whether a page's markup reaches its end: a body cut off by a dropped connection, without a
Content-Length to tell, looks finished, and parsing it would write a record with its later
sections silently missing. A whole page ends with its closing `</body>`/`</html>`, or at least
the site footer that follows all content. The live crawl and the capture selection ask this."""

import re

_END_OF_PAGE = re.compile(rb"</html\s*>|</body\s*>|<footer[\s>]", re.IGNORECASE)
# A whole page ends with its closing tags: looked for in its last bytes first.
TAIL_BYTES = 1024


def looks_complete(body: bytes) -> bool:
    return _END_OF_PAGE.search(body, max(0, len(body) - TAIL_BYTES)) is not None or \
        _END_OF_PAGE.search(body) is not None
