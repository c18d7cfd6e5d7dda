"""Bodies a faulty or hostile server sends: bot challenges, re-encoded pages, broken markup,
padding past a size limit and decompression bombs. Pure functions of the page's bytes."""

import gzip
import re
from functools import cache

# Modelled on the interstitial Cloudflare serves to clients it wants to check.
CHALLENGE_PAGE = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="robots" content="noindex,nofollow">
<meta http-equiv="refresh" content="360"></head>
<body><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">digitalarchive.wilsoncenter.org</h1>
<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>
<noscript><div class="h2">Enable JavaScript and cookies to continue</div></noscript>
<div id="challenge-body-text" class="core-msg spacer">digitalarchive.wilsoncenter.org needs to
review the security of your connection before proceeding.</div></div></div>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: "digitalarchive.wilsoncenter.org",
cType: 'managed'};var cpo=document.createElement('script');
cpo.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8f1e2d3c4b5a6978';
document.getElementsByTagName('head')[0].appendChild(cpo);}());</script></body></html>
"""

# Either way a page declares UTF-8: `<meta charset>` or the older `http-equiv` form.
_META_CHARSET = re.compile(
    rb"<meta\s+(?:charset=[\"']?utf-8[\"']?|http-equiv=[\"']?content-type[\"']?\s+"
    rb"content=[\"']?text/html;\s*charset=utf-8[\"']?)\s*/?>", re.IGNORECASE)
_OPTIONAL_END_TAGS = re.compile(rb"</(?:p|li|body|html)\s*>", re.IGNORECASE)
_TITLE_START = re.compile(rb"(<h1[^>]*>(?:\s*<[^>]+>)*\s*)(\w)")


def windows_1252(page: bytes, declare: str) -> tuple[bytes, str]:
    """The page re-encoded in windows-1252 (characters it lacks as character references),
    with its Content-Type. `declare`: "declared", "undeclared" or "mislabelled" (says UTF-8)."""
    text = page.decode("utf-8").encode("cp1252", errors="xmlcharrefreplace")
    if declare == "declared":
        meta = b'<meta charset="windows-1252" />'
        return _META_CHARSET.sub(meta, text), "text/html; charset=windows-1252"
    if declare == "undeclared":
        return _META_CHARSET.sub(b"", text), "text/html"
    return text, "text/html; charset=utf-8"


def broken_html(page: bytes) -> bytes:
    """Markup a careless server might send: optional end tags left out (`</p>`, `</li>`,
    `</body>`, `</html>`), an element never closed, bytes that are not UTF-8 between and
    inside tags, and control characters in the title's text."""
    page = _OPTIONAL_END_TAGS.sub(b"", page)
    page = page.replace(b"</footer>", b"</footer>\x80<div class=\"tail\"><b>", 1)
    page = page.replace(b"<head>", b"<head>\x00\xfe\xff", 1)
    page = page.replace(b"<main", b"<main \xff\xfe", 1)
    return _TITLE_START.sub(lambda m: m.group(1) + b"\x00\x07" + m.group(2), page, count=1)


def padded(page: bytes, size: int) -> bytes:
    """The page followed by an HTML comment that brings it to `size` bytes."""
    filler = max(0, size - len(page) - len(b"<!--  -->"))
    return page + b"<!-- " + b"x" * filler + b" -->"


@cache
def gzip_bomb(size: int) -> bytes:
    """A gzip body of a few kilobytes that inflates to `size` bytes of HTML."""
    return gzip.compress(b"<!DOCTYPE html><html><body>" + b" " * size, compresslevel=9)
