"""Shared set-up for the portal's browser tests: real reference data (Kazakh and Russian names), the demo staff,
and a verified applicant."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress

from shagym.accounts.models import User
from shagym.complaints import demo, services
from shagym.complaints.identifiers import make_iin
from shagym.complaints.states import AddresseeKind, AppealedAct, ApplicantKind, Channel
from shagym.directory.models import Organisation, Service

PASSWORD = "Qazaqstan-2026!"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def reference() -> dict[str, User]:
    demo.load_reference()
    return demo.load_users()


def applicant(email: str = "dana@example.kz") -> User:
    user = User.objects.create_user(username=email.split("@")[0], email=email, password=PASSWORD,
                                    first_name="Дана", last_name="Нұрғалиева")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def paper_complaint(clerk: User, *, language: str = "ru"):  # type: ignore[no-untyped-def]
    """A complaint brought to the office of the akimat of Almaty and registered there (RULES §1, §5)."""
    akimat = Organisation.objects.get(key="akimat_almaty")
    data = services.ComplaintInput(
        applicant_kind=ApplicantKind.INDIVIDUAL, channel=Channel.OFFICE, language=language,
        addressee_kind=AddresseeKind.AKIM, reviewing_body=akimat,
        respondent=Organisation.objects.get(key="uo_almaty"), appealed_act=AppealedAct.DECISION,
        learned_on=dt.date.today() - dt.timedelta(days=7),
        circumstances="Отказано в постановке в очередь.", reasons="Документы поданы полностью.",
        demands="Прошу поставить ребёнка в очередь.", postal_address="г. Алматы, ул. Толе би, 101, кв. 7",
        surname="Иванова", first_name="Ольга", patronymic="Петровна", iin=make_iin(dt.date(1979, 11, 2), sex="f"),
        service=Service.objects.get(code="DEMO-14"),
        officials=[services.OfficialInput(position="руководитель отдела", surname="Жумабаев", initials="К.Б.")],
    )
    complaint = services.submit_complaint(actor=clerk, data=data).complaint
    return services.register_complaint(actor=clerk, complaint=complaint).complaint


def portal_complaint(user: User, *, language: str = "kk"):  # type: ignore[no-untyped-def]
    """A complaint filed on the portal by `user` to the akimat of Almaty about its education directorate."""
    data = services.ComplaintInput(
        applicant_kind=ApplicantKind.INDIVIDUAL, channel=Channel.PORTAL, language=language,
        addressee_kind=AddresseeKind.AKIM, reviewing_body=Organisation.objects.get(key="akimat_almaty"),
        respondent=Organisation.objects.get(key="uo_almaty"), appealed_act=AppealedAct.DECISION,
        learned_on=dt.date.today() - dt.timedelta(days=7),
        circumstances="Өтінішке бас тартылды.", reasons="Құжаттар толық.", demands="Кезекке қоюды сұраймын.",
        postal_address="Алматы қ., Абай даңғылы, 150", surname="Нұрғалиева", first_name="Дана",
        iin=make_iin(dt.date(1995, 6, 30), sex="f"), service=Service.objects.get(code="DEMO-14"),
        officials=[services.OfficialInput(position="бөлім басшысы", surname="Жұмабаев", initials="Қ.Б.")],
    )
    return services.submit_complaint(actor=user, data=data).complaint
