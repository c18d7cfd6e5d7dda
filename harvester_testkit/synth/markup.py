"""Markup pieces the synthetic pages share: pills, facet links, Drupal's settings script,
and information-block values (including Cloudflare's hidden e-mail addresses)."""

import json

from markupsafe import Markup, escape

from harvester_testkit.synth.vocabulary import RIGHTS_PLAIN, RIGHTS_WITH_EMAIL


def settings_json(current_path: str) -> Markup:
    """Drupal's settings script, which names the node (`node\\/<nid>`) on document pages."""
    settings = {"path": {"baseUrl": "/", "pathPrefix": "", "currentPath": current_path,
                         "currentPathIsAdmin": False, "isFront": False,
                         "currentLanguage": "en"},
                "pluralDelimiter": "\u0003", "suppressDeprecationErrors": True,
                "ajaxTrustedUrl": {"/search": True}}
    return Markup(json.dumps(settings, separators=(",", ":")).replace("/", "\\/"))


def facet_href(facet: str, value: int | str, encoded: bool = True) -> str:
    if encoded:
        return f"/search?f%5B0%5D={facet}%3A{value}&fo%5B0%5D={value}"
    return f"/search?f[0]={facet}:{value}&fo[0]={value}"


def name_markup(text: str, spans: bool = True) -> str:
    inner = f"<span>{text}</span>" if spans else text
    return f'<div class="name">{inner}</div>'


def outer_link_pill(href: str, name: str, spans: bool, css: str = "pill") -> Markup:
    return Markup(f'<a class="{css}" href="{escape(href)}">{name_markup(escape(name), spans)}</a>')


def inner_link_pill(css: str, href: str | None, name) -> Markup:
    body = name_markup(name) if isinstance(name, Markup) else name_markup(escape(name))
    if href is None:
        return Markup(f'<div class="pill {css}">{body}</div>')
    return Markup(f'<div class="pill {css}"><a href="{escape(href)}">{body}</a></div>')


def spaced(text: str) -> Markup:
    """The name as some pages spell it: `Shtykov,&nbsp;Terentii  Fomich`."""
    family, _, given = str(escape(text)).partition(", ")
    given = given.replace(" ", "  ", 1) if " " in given else f"  {given}"
    return Markup(f"{family},&nbsp;{given}")


def text_value(value: str | None) -> Markup | None:
    return None if value is None else Markup(f'<div class="text">{escape(value)}</div>')


def pills_value(pills: list[Markup]) -> Markup:
    inner = "".join(f"\n                  {p}" for p in pills)
    return Markup(f'<div class="pills">{inner}\n                </div>')


def rights_value(rights: dict | None) -> Markup | None:
    if rights is None:
        return None
    if rights["kind"] == "plain":
        return text_value(RIGHTS_PLAIN)
    before, address, after, key = RIGHTS_WITH_EMAIL[rights["index"]]
    hidden = f"{key:02x}" + bytes(b ^ key for b in address.encode()).hex()
    link = (f'<a href="/cdn-cgi/l/email-protection#{hidden}"><span class="__cf_email__" '
            f'data-cfemail="{hidden}">[email&#160;protected]</span></a>')
    return Markup(f'<div class="text">{escape(before)}{link}{escape(after)}</div>')
