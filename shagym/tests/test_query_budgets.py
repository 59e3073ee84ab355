"""Every page of the portal and the back office has a query budget (issue 14), and no page's queries grow with its
data: each page is counted once with one set of complaints, then again after as many more have been made in every
state; the counts must be the same, and within the budget."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shagym.complaints import services
from shagym.complaints.models import Recommendation
from shagym.complaints.states import Channel, Outcome
from shagym.complaints.tests.factories import complaint_input
from shagym.documents.models import Letter
from shagym.notify.models import Delivery, Medium

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    # The notices too (messages, the print queue): pages that list them must not grow with them either.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _frozen_clock(now):
    with time_machine.travel(now + dt.timedelta(hours=2), tick=False):
        yield


class World:
    """Complaints in the states each desk works on; `grow()` makes one more of each."""

    def __init__(self, people: dict, ministry, quality_authority, now, committed):
        self.people, self.ministry, self.qa, self.now, self.committed = people, ministry, quality_authority, now, committed
        self.first: dict = {}
        self.grow()

    def filed(self):
        applicant = self.people["applicant"]
        return services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=self.ministry),
                                         now=self.now).complaint

    def grow(self) -> None:
        p, now = self.people, self.now
        with self.committed():
            received = self.filed()
            registered = services.register_complaint(actor=p["clerk"], complaint=self.filed(), now=now).complaint
            waiting = services.register_complaint(actor=p["clerk"], complaint=self.filed(), now=now).complaint
            services.request_content(actor=p["clerk"], complaint=waiting, missing="Анықтама.", now=now)
            reviewed = services.register_complaint(actor=p["clerk"], complaint=self.filed(), now=now).complaint
            services.assign_executor(actor=p["head"], complaint=reviewed, executor=p["executor"], now=now)
            services.extend_term(actor=p["executor"], complaint=reviewed, days=5, ground="more_information",
                                 reasons="Сұрау жіберілді.", now=now)  # a letter in the print queue
            decided = services.register_complaint(actor=p["clerk"], complaint=self.filed(), now=now).complaint
            services.assign_executor(actor=p["head"], complaint=decided, executor=p["executor"], now=now)
            services.propose_decision(actor=p["executor"], complaint=decided, outcome=Outcome.PERFORM_ACTION,
                                      reasons="Заңның 25-бабы.", facts="Анықтама берілмеген.", now=now)
            services.sign_decision(actor=p["head"], complaint=decided, now=now)
        with self.committed():
            second = services.file_second_tier(actor=p["applicant"], parent=decided, quality_authority=self.qa,
                                               reasons="Негізсіз.", demands="Қайта қарау.", now=now).complaint
            services.register_complaint(actor=p["qa_clerk"], complaint=second, now=now)
            services.assign_executor(actor=p["qa_head"], complaint=second, executor=p["inspector"], now=now)
            services.recommend(actor=p["inspector"], complaint=second, body=self.ministry, text="Анықтаманы беру.",
                               due_date=dt.date(2026, 11, 20), now=now)
            paper = services.register_paper_complaint(
                actor=p["clerk"], data=complaint_input(reviewing_body=self.ministry, channel=Channel.OFFICE,
                                                       language="ru", officials=[]),
                holder=self.ministry, received_at=now, now=now).complaint
        if not self.first:
            self.first = {
                "received": received, "registered": registered, "waiting": waiting, "reviewed": reviewed,
                "decided": decided, "second": second, "paper": paper,
                "recommendation": Recommendation.objects.get(complaint=second),
                "letter": Letter.objects.filter(complaint=paper).first(),
                "print": Delivery.objects.filter(medium=Medium.PAPER).first(),
            }


@pytest.fixture
def world(applicant, clerk, head, executor, inspector, qa_head, qa_clerk, administrator, ministry,
          quality_authority, now, committed):
    EmailAddress.objects.update_or_create(user=applicant, email=applicant.email,
                                          defaults={"verified": True, "primary": True})
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    people = {"applicant": applicant, "clerk": clerk, "head": head, "executor": executor, "inspector": inspector,
              "qa_head": qa_head, "qa_clerk": qa_clerk, "administrator": administrator}
    return World(people, ministry, quality_authority, now, committed)


def page(name: str, *args: object, query: str = "") -> str:
    return reverse(name, args=args) + (f"?{query}" if query else "")


# (role, url name, the complaint or object of the first batch it shows, query string) -> budget. The budgets are the
# counts measured when they were set, with one or two to spare; a page over its budget says which queries it ran.
STAFF = [("staff-home", None, "", 7), ("bo-search", None, "", 9), ("bo-search", None, "q=Ахметов", 9),
         ("bo-messages", None, "", 7), ("deadline-calculator", None, "received=2026-11-02&working_days=15", 4)]
BUDGETS: dict[str, list[tuple[str, str | None, str, int]]] = {
    "anonymous": [("home", None, "", 0), ("portal-help", None, "", 0), ("status-check", None, "", 0),
                  ("deadline-calculator", None, "", 0)],
    "applicant": [("home", None, "", 4), ("cabinet", None, "", 6), ("cabinet-messages", None, "", 6),
                  ("cabinet-complaint", "registered", "", 10), ("cabinet-complaint", "waiting", "", 10),
                  ("cabinet-complaint", "decided", "", 10), ("cabinet-complaint", "second", "", 11),
                  ("cabinet-withdraw", "registered", "", 7), ("cabinet-supply", "waiting", "", 7),
                  ("complaint-start", None, "", 4), ("complaint-step", "who", "", 6)],
    "clerk": [*STAFF, ("bo-desk", None, "", 12), ("bo-intake", None, "", 10), ("bo-print", None, "", 5),
              ("bo-case", "received", "", 16), ("bo-case", "registered", "", 16), ("bo-case", "paper", "", 17),
              ("bo-action", "received", "register", 5), ("bo-action", "registered", "request-content", 5),
              ("bo-action", "registered", "redirect", 6), ("bo-action", "decided", "deliver", 6),
              ("bo-talon", "paper", "", 8), ("bo-letter", "letter", "", 6)],
    "head": [*STAFF, ("bo-inbox", None, "", 8), ("bo-recommendations", None, "", 6),
             ("bo-action", "registered", "assign", 9), ("bo-action", "registered", "leave", 5),
             ("bo-case", "decided", "", 18), ("bo-recommendation-action", "recommendation", "report", 5)],
    "executor": [*STAFF, ("bo-mine", None, "", 8), ("bo-case", "reviewed", "", 18), ("bo-answer", "reviewed", "", 7),
                 ("bo-action", "reviewed", "extend", 6), ("bo-action", "reviewed", "hearing", 6)],
    "inspector": [*STAFF, ("bo-quality", None, "", 6), ("bo-bodies", None, "", 6),
                  ("bo-recommendations", None, "", 6), ("bo-case", "second", "", 22), ("bo-case", "decided", "", 18),
                  ("bo-action", "second", "recommend", 8)],
    "administrator": [*STAFF, ("bo-outbox", None, "", 7), ("calendar-changes", None, "", 5)],
}
ACTION_PAGES = {"bo-action", "bo-recommendation-action"}


def url_of(world: World, name: str, target: str | None, query: str) -> str:
    if name == "complaint-step":
        return page(name, target)
    if target is None:
        return page(name, query=query)
    obj = world.first[target]
    if name in ACTION_PAGES:
        return page(name, obj.pk, query)  # the action's slug
    return page(name, obj.pk)


def count(client: Client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # the first visit fills the caches a running server keeps warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), [q["sql"][:200] for q in captured.captured_queries]


@pytest.mark.parametrize("role", list(BUDGETS))
def test_each_page_keeps_its_query_budget_however_much_data(role, world, client):
    if role != "anonymous":
        client.force_login(world.people[role])
    if role == "applicant":
        client.post(reverse("complaint-start"), {"action": "new"})  # the wizard's first step opens
    pages = [(name, target, query, budget, url_of(world, name, target, query))
             for name, target, query, budget in BUDGETS[role]]
    before = {url: count(client, url) for *_, url in pages}
    world.grow()
    world.grow()
    cache.clear()
    for name, _target, _query, budget, url in pages:
        queries, sql = count(client, url)
        assert queries == before[url][0], (f"{url}: {before[url][0]} queries with one batch of complaints, "
                                           f"{queries} with three", sql)
        assert queries <= budget, (f"{name} {url}: {queries} queries over its budget of {budget}", sql)
