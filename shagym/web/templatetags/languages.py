"""The language switcher: links to this same page in each language (the language is in the address), not a form.
A page without a form then sets no cookie, so an anonymous visitor's page can be cached and shared."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url

register = template.Library()

NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, str]]:
    request = context.get("request")
    here = request.get_full_path() if request is not None else "/"
    return [{"code": code, "name": NAMES.get(code, str(name)), "url": translate_url(here, code)}
            for code, name in settings.LANGUAGES]
