"""Home and help are shared between anonymous visitors (rendered once a minute), and never a personal page."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.test import Client

from shagym.portal.shared import shared_for_anonymous

pytestmark = pytest.mark.django_db


def test_an_anonymous_home_page_is_rendered_once_and_shared(client, django_assert_num_queries):
    first = client.get("/kk/")
    with django_assert_num_queries(0):
        again = Client().get("/kk/")
    assert again.content == first.content and again.status_code == 200
    assert again["Content-Language"] == "kk"
    assert Client().get("/ru/").content != first.content  # one copy per language


def test_a_signed_in_visitor_never_gets_the_shared_page_nor_leaves_his_own(client, applicant):
    Client().get("/kk/")  # the shared copy exists
    client.force_login(applicant)
    mine = client.get("/kk/").content.decode()
    assert applicant.email in mine  # "Sign out (erlan@…)": his own page
    assert applicant.email not in Client().get("/kk/").content.decode()


def test_a_pending_message_or_a_query_string_is_not_served_from_the_shared_copy(rf, settings):
    calls = []

    @shared_for_anonymous
    def view(request):
        calls.append(request)
        from django.http import HttpResponse

        return HttpResponse(str(len(list(messages.get_messages(request)))))

    view(rf.get("/kk/x/"))
    view(rf.get("/kk/x/"))
    assert len(calls) == 1  # shared
    view(rf.get("/kk/x/?q=1"))
    with_cookie = rf.get("/kk/x/")
    with_cookie.COOKIES["messages"] = "x"
    view(with_cookie)
    assert len(calls) == 3
