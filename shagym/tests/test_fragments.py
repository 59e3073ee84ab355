"""The layout's parts rendered once per language (shagym.web.templatetags.fragments) and the memoised language
links: each language gets its own words, and the links keep the page and its query."""

from __future__ import annotations

import re

import pytest


@pytest.mark.django_db
def test_each_language_gets_its_own_footer_and_brand(client):
    pages = {code: client.get(f"/{code}/").content.decode() for code in ("kk", "ru", "en", "kk")}
    assert "Skip to main content" in pages["en"]
    assert "Skip to main content" not in pages["kk"]
    assert "Skip to main content" not in pages["ru"]
    footers = {code: re.search(r"<footer.*?</footer>", page, re.S).group(0) for code, page in pages.items()}
    assert len(set(footers.values())) == 3
    assert 'href="/ru/verify/"' in footers["ru"] and 'href="/kk/verify/"' in footers["kk"]


@pytest.mark.django_db
def test_language_links_keep_the_page_and_its_query(client):
    page = client.get("/kk/status/?number=26-001-00001&code=AAAA-BBBB").content.decode()
    assert 'href="/ru/status/?number=26-001-00001&amp;code=AAAA-BBBB"' in page
    assert 'href="/en/status/?number=26-001-00001&amp;code=AAAA-BBBB"' in page
    page = client.get("/ru/calendar/deadline/").content.decode()
    assert 'href="/kk/calendar/deadline/"' in page
