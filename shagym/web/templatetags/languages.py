"""The language switcher: links to this same page in each language (the language is in the address), not a form.
A page without a form then sets no cookie, so an anonymous visitor's page can be cached and shared."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import get_script_prefix, translate_url

register = template.Library()

NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, str]]:
    request = context.get("request")
    here = urlsplit(request.get_full_path() if request is not None else "/")
    query = f"?{here.query}" if here.query else ""
    return [{"code": code, "name": NAMES.get(code, str(name)), "url": _translated(here.path, code, get_script_prefix())
             + query} for code, name in settings.LANGUAGES]


@lru_cache(maxsize=4096)
def _translated(path: str, code: str, prefix: str) -> str:
    """The path in another language (a resolve and a reverse: the same answer every time for the same path)."""
    return translate_url(path, code)
