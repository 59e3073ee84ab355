"""A small dataset built by hand through the lifecycle's services, whose every figure is worked out below.

December 2026, with the administrator's transfer order: Friday 18 December a day off, Saturday 19 December worked;
Wednesday 16 December is Independence Day. Registered Monday 14 December, a 5-working-day term ends on Tuesday
22 December (15, 17, 19, 21, 22). The figures are read on Monday 11 January 2027.

At the ministry (central body, Astana) and its subordinate provider:
  c1  decided Mon 21 Dec, perform          on time   4 working days (15, 17, 19, 21)
  c2  extended 3 days (further study) to Fri 25 Dec; decided Thu 24 Dec, refuse   on time   7 days
  c3  decided Mon 28 Dec, cancel           late      9 days
  c4  left without consideration Tue 15 Dec (court act)   on time   1 day
  c5  missing content asked, then returned
  c6  under review, due 22 Dec: overdue now
  c9  at the provider, decided Tue 22 Dec, its last day, perform   on time   5 days
The applicant appeals c2 to the quality authority (c7): upheld (cancel), with a recommendation to the ministry,
reported on time and confirmed. c8 is received by another body, in another region."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from shagym.complaints import services
from shagym.complaints.states import AddresseeKind, Outcome
from shagym.complaints.tests.factories import TerritoryFactory, complaint_input
from shagym.directory.models import CalendarOverride, Organisation, Territory

REASONS = "Заңның 25-бабына сәйкес."
TODAY = dt.date(2027, 1, 11)

# Personal data that must never reach a report or the open data.
SURNAME, FIRST_NAME, IIN, ADDRESS, PHONE, TEXT = (
    "Жұмағұлова", "Сәбира", "900517400154", "Көкшетау қ., Сарыарқа көшесі, 77", "+7 705 987 65 43",
    "Құпия мән-жай: мектепке жолдама берілмеді",
)


def at(day: int, hour: int = 10, month: int = 12, year: int = 2026) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


@pytest.fixture
def regions(db):
    astana = TerritoryFactory(kato="710000000")
    almaty_region = TerritoryFactory(kato="190000000", level=Territory.Level.REGION, name_kk="Алматы облысы",
                                     name_ru="Алматинская область", name_en="Almaty Region")
    district = Territory.objects.create(kato="195200000", level=Territory.Level.DISTRICT, parent=almaty_region,
                                        name_kk="Қонаев қ.", name_ru="г. Конаев", name_en="Konaev")
    return SimpleNamespace(astana=astana, almaty_region=almaty_region, district=district)


@pytest.fixture
def transfer_order(db):
    reference = "ҚР Үкіметінің 2026 жылғы 1 желтоқсандағы № 999 қаулысы"
    CalendarOverride.objects.create(day=dt.date(2026, 12, 18), working=False, reason="Transfer", reference=reference)
    CalendarOverride.objects.create(day=dt.date(2026, 12, 19), working=True, reason="Transfer", reference=reference)


def _file(applicant, body, day, **overrides):
    data = complaint_input(reviewing_body=body, surname=SURNAME, first_name=FIRST_NAME, iin=IIN,
                           postal_address=ADDRESS, phones=PHONE, circumstances=TEXT, **overrides)
    return services.submit_complaint(actor=applicant, data=data, now=at(day, 9)).complaint


def _decide(complaint, executor, head, outcome, day):
    services.propose_decision(actor=executor, complaint=complaint, outcome=outcome, reasons=REASONS, now=at(day, 11))
    return services.sign_decision(actor=head, complaint=complaint, now=at(day, 15)).complaint


@pytest.fixture
def dataset(regions, transfer_order, applicant, ministry, provider, other_body, quality_authority, clerk, head, executor,
            provider_clerk, provider_head, inspector, qa_clerk, qa_head, committed):
    Organisation.objects.filter(pk__in=[ministry.pk, provider.pk, quality_authority.pk]).update(territory=regions.astana)
    Organisation.objects.filter(pk=other_body.pk).update(territory=regions.district)
    from shagym.complaints.tests.factories import UserFactory, member
    from shagym.directory.roles import Role

    provider_executor = member(UserFactory(username="provider_executor"), provider, Role.EXECUTOR)
    made = {}
    with committed():
        for name in ("c1", "c2", "c3", "c4", "c5", "c6"):
            complaint = _file(applicant, ministry, 14)
            services.register_complaint(actor=clerk, complaint=complaint, now=at(14))
            made[name] = complaint
        for name in ("c1", "c2", "c3", "c6"):
            services.assign_executor(actor=head, complaint=made[name], executor=executor, now=at(14, 12))
        services.extend_term(actor=executor, complaint=made["c2"], days=3, ground="further_study",
                             reasons="Жергілікті жерде тексеру.", now=at(15))
        _decide(made["c1"], executor, head, Outcome.PERFORM_ACTION, 21)
        _decide(made["c2"], executor, head, Outcome.REFUSE, 24)
        _decide(made["c3"], executor, head, Outcome.CANCEL, 28)
        services.leave_without_consideration(actor=head, complaint=made["c4"], ground="court_act", now=at(15))
        services.request_content(actor=clerk, complaint=made["c5"], missing="ЖСН жоқ.", days=2, now=at(14, 11))
        services.return_complaint(actor=clerk, complaint=made["c5"], now=at(21))
        c9 = _file(applicant, provider, 14, addressee_kind=AddresseeKind.PROVIDER_HEAD)
        services.register_complaint(actor=provider_clerk, complaint=c9, now=at(14))
        services.assign_executor(actor=provider_head, complaint=c9, executor=provider_executor, now=at(14, 12))
        _decide(c9, provider_executor, provider_head, Outcome.PERFORM_ACTION, 22)
        made["c9"] = c9
        c7 = services.file_second_tier(actor=applicant, parent=made["c2"], quality_authority=quality_authority,
                                       reasons="Бас тарту негізсіз.", demands="Қайта қарау.", now=at(28)).complaint
        services.register_complaint(actor=qa_clerk, complaint=c7, now=at(28))
        services.assign_executor(actor=qa_head, complaint=c7, executor=inspector, now=at(28, 12))
        recommendation_event = services.recommend(actor=inspector, complaint=c7, body=ministry, text="Анықтаманы беру.",
                                                  due_date=dt.date(2027, 1, 8), now=at(29))
        _decide(c7, inspector, qa_head, Outcome.CANCEL, 30)
        made["c7"] = c7
        from shagym.complaints.models import Recommendation

        recommendation = Recommendation.objects.get(pk=recommendation_event.payload.recommendation)
        services.report_execution(actor=head, recommendation=recommendation, report="Анықтама берілді.",
                                  now=at(5, month=1, year=2027))
        services.confirm_execution(actor=inspector, recommendation=recommendation, accepted=True,
                                   now=at(6, month=1, year=2027))
        made["c8"] = _file(applicant, other_body, 16)
    for complaint in made.values():
        complaint.refresh_from_db()
    return SimpleNamespace(**made, ministry=ministry, provider=provider, other_body=other_body,
                           quality_authority=quality_authority, regions=regions)
