"""What choosing among captures can come to: the outcomes of a try and the reasons a capture is
skipped, counted by these in the manifest. Plain names every layer that handles captures shares:
the sources that judge them, the state that keeps the choices, the spiders."""

# Why a capture did not become a record (the manifest counts captures by these).
NOT_REPLAYED = "not replayable (the web archive answered for itself)"
CHALLENGE = "challenge page"
SERVER_ERROR = "server error"
CLIENT_ERROR = "client error"
REFUSED = "refused by the site (HTTP 403 or 429: a challenge or a block)"
UNEXPECTED = "unexpected status"
NOT_HTML = "not HTML"
TRUNCATED = "truncated"
OLD_LAYOUT = "old layout"
NOT_A_PAGE = "not a valid page"
REDIRECT_AWAY = "redirect to a page off the site"
SELF_REDIRECT = "redirect to its own page (another spelling of the URL)"
REPLAY_FAILED = "not replayable (the web archive failed every try)"
REPEATED = "payload already tried"
REVISIT_UNKNOWN = "revisit of a payload not at hand"
UNREADABLE = "unreadable"
OVERSIZE = "larger than the size limit (DOWNLOAD_MAXSIZE)"
TOO_LONG = "URL too long to request (over URLLENGTH_LIMIT)"
CONFLICT = "claims a Record ID another page gives"
# Outcomes that are not skips.
USED = "used"
MOVED = "moved"
SAME_PAYLOAD = "same payload as another URL's record"
OUT_OF_SCOPE = "outside the topic"
# A replayed answer whose Memento-Datetime contradicts the index's capture time.
TIME_DISAGREES = "capture time disagrees with Memento-Datetime"
# What the state counts besides tries: rows of a census refused, records refused, digests that
# are not their payload's.
REFUSED_ROWS, REFUSED_RECORDS, DIGEST_MISMATCHES = "refused rows", "refused records", "digests"
