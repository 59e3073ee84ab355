"""Every portal page answers in kk, ru and en, and weighs under 150 KB over the wire: HTML, CSS, scripts, fonts and
icons it loads, counted uncompressed (an upper bound of what gzip sends)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shagym.complaints.codes import issue_access_code

from .wizard_steps import fill

BUDGET = 150 * 1024
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"')


def _weight(html: str) -> tuple[int, dict[str, int]]:
    assets: dict[str, int] = {}
    for ref in set(ASSET.findall(html)):
        if ref.startswith(("http:", "https:", "//")):
            raise AssertionError(f"external asset {ref}: no CDN, no external fonts")
        if "/static/" not in ref:
            continue
        path = finders.find(ref.split("/static/", 1)[1])
        assert path, ref
        assets[ref] = Path(path).stat().st_size
        if ref.endswith(".css"):
            # Fonts and images a stylesheet pulls in count too.
            css = Path(path).read_text()
            assert "url(" not in css.replace("url(#", ""), f"{ref} loads more files: count them"
    return len(html.encode()) + sum(assets.values()), assets


def _pages(registered, sent_pk):  # type: ignore[no-untyped-def]
    return {
        "home": reverse("home"),
        "help": reverse("portal-help"),
        "status": reverse("status-check"),
        "cabinet": reverse("cabinet"),
        "messages": reverse("cabinet-messages"),
        "complaint": reverse("cabinet-complaint", args=[registered.pk]),
        "withdraw": reverse("cabinet-withdraw", args=[registered.pk]),
        "start": reverse("complaint-start"),
        "sent": reverse("complaint-sent", args=[sent_pk]),
        **{step: reverse("complaint-step", args=[step]) for step in
           ("who", "details", "body", "officials", "service", "facts", "attachments", "addressee")},
        "check": reverse("complaint-check"),
    }


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_portal_page_answers_and_is_light(client, verified, registered, provider, ministry, language):
    client.force_login(verified)
    fill(client, provider, addressee=f"central:{ministry.pk}", language="kk")
    with translation.override(language):
        pages = _pages(registered, registered.pk)
        heaviest = 0
        for name, path in pages.items():
            response = client.get(path)
            assert response.status_code == 200, (name, response.status_code)
            html = response.content.decode()
            assert f'<html lang="{language}">' in html, name
            weight, _assets = _weight(html)
            assert weight < BUDGET, (name, weight)
            heaviest = max(heaviest, weight)
    anonymous = Client()
    with translation.override(language):
        for name in ("account_login", "account_signup", "account_reset_password", "home", "status-check"):
            response = anonymous.get(reverse(name))
            assert response.status_code == 200, name
            weight, _assets = _weight(response.content.decode())
            heaviest = max(heaviest, weight)
    assert heaviest < BUDGET, heaviest


def test_the_status_result_is_light(client, registered):
    code = issue_access_code(registered)
    with translation.override("kk"):
        response = client.post(reverse("status-check"), {"number": registered.number, "code": code})
    assert _weight(response.content.decode())[0] < BUDGET


def test_pages_work_without_javascript(client, verified, registered):
    """Every form posts to the server and every control is a link or a button: no href="#" or onclick."""
    client.force_login(verified)
    with translation.override("kk"):
        for path in (reverse("home"), reverse("cabinet"), reverse("cabinet-complaint", args=[registered.pk])):
            html = client.get(path).content.decode()
            assert 'href="#"' not in html and "onclick" not in html and "javascript:" not in html
