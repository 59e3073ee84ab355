"""`{% per_language "name" %}…{% end_per_language %}`: a part of a layout that depends on nothing but the language
(the brand, the footer, the links every page shows) is rendered once per language and process, then reused.

Only for markup without request data: no user, no path, no form, no CSRF token. Rendering it costs a few dozen
template nodes on every page (translations and URL reversals); reusing it costs a dictionary lookup, with no cache
round trip (a template fragment in the shared cache would cost one, as much as rendering it)."""

from __future__ import annotations

import threading
from typing import Any

from django import template
from django.template.base import Parser, Token
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_rendered: dict[tuple[str, str, str, str], SafeString] = {}
_lock = threading.Lock()


class PerLanguageNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList, origin: str) -> None:
        self.name, self.nodelist, self.source = name, nodelist, origin

    def render(self, context: Any) -> str:
        key = (self.source, self.name, get_language() or "", get_script_prefix())
        html = _rendered.get(key)
        if html is None:
            html = mark_safe(self.nodelist.render(context))  # nosec B703 B308 # rendered by the template engine
            with _lock:
                _rendered.setdefault(key, html)
        return html


@register.tag
def per_language(parser: Parser, token: Token) -> PerLanguageNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError("per_language takes one quoted name")
    nodelist = parser.parse(("end_per_language",))
    parser.delete_first_token()
    origin = getattr(parser, "origin", None)
    return PerLanguageNode(bits[1][1:-1], nodelist, str(getattr(origin, "name", "")))

