"""The language switcher is made of links to the same page in each language: an anonymous page sets no cookie."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_switcher_links_to_this_page_in_each_language_and_sets_no_cookie(client):
    response = client.get("/kk/status/?number=26-001-00001")
    page = response.content.decode()
    assert 'href="/ru/status/?number=26-001-00001" hreflang="ru" lang="ru"' in page
    assert 'href="/en/status/?number=26-001-00001" hreflang="en" lang="en"' in page
    assert 'href="/kk/status/?number=26-001-00001" hreflang="kk" lang="kk" aria-current="true"' in page
    for url in ("/kk/", "/ru/help/", reverse("deadline-calculator")):
        assert client.get(url).cookies == {}, url  # nothing per visitor: the page can be cached


def test_error_pages_speak_the_language_of_the_address(client, clerk, settings):
    settings.DEBUG = False
    missing = client.get("/kk/no-such-page/")
    assert missing.status_code == 404 and "Бет табылмады" in missing.content.decode()
    client.force_login(clerk)
    refused = client.get("/ru/staff/reports/")  # reports are for heads, inspectors and administrators
    assert refused.status_code == 403 and "Доступ запрещён" in refused.content.decode()
    assert "Forbidden" not in refused.content.decode()
