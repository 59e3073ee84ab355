"""Demo data: real reference data (regions, bodies, services) and sample complaints in every state.

Loading twice gives the same data: reference rows are matched by their codes, demo users by username, and each
sample complaint by its idempotency key (an existing one is left as it is)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from shagym import workdays
from shagym.accounts.models import User
from shagym.directory.calendar import current_calendar
from shagym.directory.models import Membership, Organisation, Service, Territory
from shagym.directory.roles import Role
from shagym.signatures import demo as demo_pki

from . import services
from .identifiers import make_bin, make_iin
from .models import Complaint
from .states import AddresseeKind, AppealedAct, ApplicantKind, Channel, State

REFERENCE = Path(__file__).resolve().parent.parent / "directory" / "demo" / "reference.json"
DEMO_PASSWORD = "demo-12345"  # nosec B105 # the demo users' published password (README)

# username, first name, surname, position, [(organisation key, role)]
DEMO_USERS = [
    ("demo-applicant", "Ерлан", "Ахметов", ("", ""), []),
    ("demo-clerk", "Жанар", "Омарова", ("кеңсе маманы", "специалист канцелярии"),
     [("akimat_almaty", Role.CLERK), ("uo_almaty", Role.CLERK), ("minedu", Role.CLERK)]),
    ("demo-head", "Серік", "Бекенов", ("басшының орынбасары", "заместитель руководителя"),
     [("akimat_almaty", Role.HEAD), ("uo_almaty", Role.HEAD), ("minedu", Role.HEAD)]),
    ("demo-executor", "Айгүл", "Сейітова", ("бас маман", "главный специалист"), [("akimat_almaty", Role.EXECUTOR)]),
    ("demo-inspector", "Дәурен", "Мұратов", ("инспектор", "инспектор"),
     [("adgs", Role.INSPECTOR), ("adgs", Role.HEAD), ("adgs", Role.CLERK),
      ("adgs_almaty", Role.INSPECTOR), ("adgs_almaty", Role.HEAD), ("adgs_almaty", Role.CLERK)]),
    ("demo-admin", "Әсел", "Нұрланова", ("әкімші", "администратор"), [("adgs", Role.ADMINISTRATOR)]),
]


def load_reference() -> dict[str, int]:
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    with transaction.atomic():
        for row in data["territories"]:
            Territory.objects.update_or_create(
                kato=row["kato"],
                defaults={
                    "level": row["level"],
                    "name_kk": row["name_kk"],
                    "name_ru": row["name_ru"],
                    "name_en": row.get("name_en", ""),
                    "parent": Territory.objects.get(kato=row["parent"]) if row["parent"] else None,
                },
            )
        for row in data["organisations"]:
            Organisation.objects.update_or_create(
                key=row["key"],
                defaults={
                    "kind": row["kind"],
                    "name_kk": row["name_kk"],
                    "name_ru": row["name_ru"],
                    "name_en": row.get("name_en", ""),
                    "address_kk": row.get("address_kk", ""),
                    "address_ru": row.get("address_ru", ""),
                    "phones": ", ".join(row.get("phones", [])),
                    "bin": row.get("bin", ""),
                    "territory": Territory.objects.filter(kato=row["territory"]).first() if row["territory"] else None,
                },
            )
        keyed = {o.key: o for o in Organisation.objects.all()}
        for row in data["organisations"]:
            org = keyed[row["key"]]
            org.parent = keyed.get(row["parent"]) if row["parent"] else None
            org.reviewer = keyed.get(row["reviewer"]) if row["reviewer"] else None
            org.save(update_fields=["parent", "reviewer"])
        for row in data["services"]:
            service, _ = Service.objects.update_or_create(
                code=row["code"],
                defaults={"name_kk": row["name_kk"], "name_ru": row["name_ru"], "name_en": row.get("name_en", ""),
                          "authority": keyed.get(row.get("authority") or "")},
            )
            service.providers.set([keyed[key] for key in row["providers"] if key in keyed])
    return {
        "territories": len(data["territories"]),
        "organisations": len(data["organisations"]),
        "services": len(data["services"]),
    }


def load_users() -> dict[str, User]:
    users = {}
    for username, first, last, (position, position_ru), roles in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "position": position, "position_ru": position_ru,
                      "email": f"{username}@example.kz"},
        )
        if not created and position_ru and not user.position_ru:  # demo data loaded before positions had two languages
            user.position_ru = position_ru
            user.save(update_fields=["position_ru"])
        if created:
            user.set_password(DEMO_PASSWORD)
            if username == "demo-admin":
                user.is_staff = user.is_superuser = True
            user.save()
        for key, role in roles:
            Membership.objects.get_or_create(user=user, organisation=Organisation.objects.get(key=key), role=role)
        # The demo e-mail addresses count as confirmed, so the demo applicant signs in at once.
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        users[username] = user
    return users


def _moment(days_ago: int, hour: int = 10) -> dt.datetime:
    """A working day `days_ago` working days before today, at `hour` Almaty time."""
    cal = current_calendar()
    day = timezone.localdate()
    while not cal.is_working_day(day):
        day -= dt.timedelta(days=1)
    for _ in range(days_ago):
        day -= dt.timedelta(days=1)
        while not cal.is_working_day(day):
            day -= dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)), workdays.ALMATY)


PEOPLE = [
    ("Ахметов", "Ерлан", "Серікұлы", dt.date(1988, 3, 14), "m", "Алматы қ., Абай даңғылы, 150, 12-пәтер"),
    ("Иванова", "Ольга", "Петровна", dt.date(1979, 11, 2), "f", "г. Алматы, ул. Толе би, 101, кв. 7"),
    ("Нұрғалиева", "Дана", "Маратқызы", dt.date(1995, 6, 30), "f", "Алматы қ., Сайран ы/а, 14, 3-пәтер"),
    ("Ким", "Виктор", "Андреевич", dt.date(1966, 1, 21), "m", "г. Алматы, мкр. Самал-2, 58, кв. 40"),
]

SCENARIOS: list[tuple[str, str]] = [
    ("received", State.RECEIVED),
    ("forwarding", State.FORWARDING),
    ("registered", State.REGISTERED),
    ("awaiting-content", State.AWAITING_CONTENT),
    ("under-review", State.UNDER_REVIEW),
    ("overdue", State.UNDER_REVIEW),
    ("extended", State.EXTENDED),
    ("awaiting-signature", State.AWAITING_SIGNATURE),
    ("decided", State.DECIDED),
    ("delivered", State.ANSWER_DELIVERED),
    ("satisfied", State.SATISFIED_BY_RESPONDENT),
    ("returned", State.RETURNED),
    ("left", State.LEFT_WITHOUT_CONSIDERATION),
    ("withdrawn", State.WITHDRAWN),
    ("closed", State.CLOSED),
    ("second-tier", State.UNDER_REVIEW),
]


def load_complaints(users: dict[str, User]) -> int:
    created = 0
    for index, (slug, _target) in enumerate(SCENARIOS):
        key = f"demo-{slug}"
        owner = users["demo-clerk"] if slug in {"forwarding", "satisfied", "returned"} else users["demo-applicant"]
        if Complaint.objects.filter(idempotency_key=services.scoped_key(owner, key)).exists():
            continue
        with transaction.atomic():
            _build(slug, key, index, users)
        created += 1
    return created


def _build(slug: str, key: str, index: int, users: dict[str, User]) -> None:
    org = {o.key: o for o in Organisation.objects.filter(key__in=["akimat_almaty", "uo_almaty", "adgs"])}
    akimat, provider, qa = org["akimat_almaty"], org["uo_almaty"], org["adgs"]
    clerk, head, executor = users["demo-clerk"], users["demo-head"], users["demo-executor"]
    applicant = users["demo-applicant"]
    surname, first, patronymic, born, sex, address = PEOPLE[index % len(PEOPLE)]
    service = Service.objects.filter(providers=provider).first() or Service.objects.first()
    ago = {"overdue": 12, "extended": 7, "closed": 30, "second-tier": 25, "delivered": 9, "decided": 6}.get(slug, 3)
    at = _moment(ago)
    step = iter(_moment(d, 11) for d in range(ago - 1, -1, -1))

    def later() -> dt.datetime:
        return next(step, timezone.now())

    on_paper = slug in {"forwarding", "satisfied", "returned"}
    language = "ru" if index % 3 == 1 else "kk"
    data = services.ComplaintInput(
        applicant_kind=ApplicantKind.LEGAL_ENTITY if slug == "left" else ApplicantKind.INDIVIDUAL,
        channel=Channel.OFFICE if on_paper else Channel.PORTAL,
        language=language,
        addressee_kind=AddresseeKind.AKIM,
        reviewing_body=akimat,
        respondent=provider,
        appealed_act=AppealedAct.INACTION if slug == "overdue" else AppealedAct.DECISION,
        learned_on=(at - dt.timedelta(days=120 if slug == "registered" else 10)).date(),
        circumstances=(
            "Балабақшаға кезекке қою туралы өтініш 20 жұмыс күні бойы қаралмады."
            if language == "kk"
            else "Заявление о постановке в очередь в детский сад не рассмотрено в срок."
        ),
        reasons=(
            "Мемлекеттік қызмет стандартында көрсетілген мерзім бұзылды."
            if language == "kk"
            else "Нарушен срок, установленный стандартом государственной услуги."
        ),
        demands="Өтінішті қарап, баланы кезекке қоюды сұраймын." if language == "kk" else "Прошу рассмотреть заявление.",
        postal_address=address,
        surname=surname,
        first_name=first,
        patronymic=patronymic,
        iin=make_iin(born, sex=sex, serial=index + 1),
        legal_name="«Балапан-Алматы» ЖШС" if slug == "left" else "",
        bin=make_bin(2015, 4, serial=index + 1) if slug == "left" else "",
        outgoing_number="12/45" if slug == "left" else "",
        outgoing_date=at.date() if slug == "left" else None,
        phones="+7 701 555 12 34",
        email="demo-applicant@example.kz",
        service=service,
        officials=[services.OfficialInput(position="бөлім басшысы", surname="Жұмабаев", initials="Қ.Б.")],
        restoration_requested=slug == "registered",
        restoration_reason="Ауруханада болдым." if slug == "registered" else "",
    )
    if on_paper:
        complaint = services.submit_complaint(
            actor=clerk, data=data, holder=provider, idempotency_key=key, now=at
        ).complaint
    else:
        complaint = services.submit_complaint(actor=applicant, data=data, idempotency_key=key, now=at).complaint
    if slug == "received":
        return
    services.register_complaint(actor=clerk, complaint=complaint, now=at)
    if slug == "forwarding":
        return
    if slug == "satisfied":
        services.satisfy_in_full(actor=head, complaint=complaint, text="Баланы кезекке қою туралы шешім қабылданды.", now=later())
        return
    if slug == "returned":
        services.forward_complaint(actor=clerk, complaint=complaint, now=at)
        services.register_complaint(actor=clerk, complaint=complaint, now=at)
        services.request_content(actor=clerk, complaint=complaint, missing="Өтініштің көшірмесі", days=1, now=at)
        services.return_complaint(actor=clerk, complaint=complaint, now=timezone.now())
        return
    if slug == "registered":
        return
    if slug == "awaiting-content":
        services.request_content(actor=clerk, complaint=complaint, missing="Апелляция берілген шешімнің көшірмесі", now=later())
        return
    if slug == "withdrawn":
        services.withdraw_complaint(actor=applicant, complaint=complaint, reason="Мәселе шешілді.", now=later())
        return
    if slug == "left":
        services.leave_without_consideration(actor=head, complaint=complaint, ground="already_decided", now=later())
        return
    services.assign_executor(actor=head, complaint=complaint, executor=executor, now=at)
    if slug == "overdue":
        services.mark_overdue(complaint=complaint)
        return
    if slug in {"under-review"}:
        return
    if slug == "extended":
        services.extend_term(actor=executor, complaint=complaint, days=10, ground="more_information",
                             reasons="Білім басқармасынан қосымша ақпарат сұратылды.", now=later())
        return
    services.propose_decision(
        actor=executor, complaint=complaint, outcome="refuse" if slug == "second-tier" else "perform",
        facts="Өтініш 2026 жылы тіркелген, кезек нөмірі берілмеген.",
        reasons="«Мемлекеттік көрсетілетін қызметтер туралы» Заңның 5-бабына сәйкес.",
        legal_references="«Мемлекеттік көрсетілетін қызметтер туралы» ҚР Заңы, 5-бап; ӘРПК 100-бап",
        now=later(),
    )
    if slug == "awaiting-signature":
        return
    services.sign_decision(actor=head, complaint=complaint, now=later())
    if slug == "decided":
        return
    services.deliver_answer(actor=clerk, complaint=complaint, method="electronic", now=later())
    if slug == "delivered":
        return
    if slug == "closed":
        services.close_complaint(actor=clerk, complaint=complaint, now=later())
        return
    # second-tier: the applicant disagrees and complains to the quality authority; the inspector reviews.
    inspector = users["demo-inspector"]
    child = services.file_second_tier(actor=applicant, parent=complaint, quality_authority=qa,
                                      reasons="Бас тарту негізсіз.", demands="Шешімді қайта қарауды сұраймын.",
                                      idempotency_key=f"{key}-qa", now=later()).complaint
    services.register_complaint(actor=inspector, complaint=child, now=later())
    services.assign_executor(actor=inspector, complaint=child, executor=inspector, now=later())
    services.recommend(actor=inspector, complaint=child, body=akimat,
                       text="Өтінішті қайта қарап, баланы кезекке қою шараларын қабылдау.",
                       due_date=timezone.localdate() + dt.timedelta(days=10), now=later())


def load_pki() -> int:
    """The demo's certification authority and a seal for every body (signatures.demo), made on the first start;
    bodies without a BIN get a demo one, so the head's signature can be matched to the body. Returns seals made."""
    for index, organisation in enumerate(Organisation.objects.filter(bin="").order_by("key")):
        organisation.bin = make_bin(2001, 1 + index % 12, serial=900 + index)
        organisation.save(update_fields=["bin"])
    directory = Path(settings.PKI_DEMO_DIR)
    ca = demo_pki.ensure_ca(directory)
    bodies = [(o.key, o.name_ru, o.bin) for o in Organisation.objects.order_by("key")]
    return demo_pki.ensure_seals(directory, ca, bodies, password=settings.SHAGYM_SEAL_PASSWORD or "demo-seal")


def load(*, log: Callable[[str], None] = print) -> None:
    counts = load_reference()
    users = load_users()
    seals = load_pki()
    # The sample history was "signed" before electronic signatures were required; new complaints and answers are
    # signed by the demo users through the NCALayer double (manage.py ncalayer_double, started by scripts/start).
    with override_settings(SHAGYM_APPLICANT_SIGNATURE="optional", SHAGYM_ANSWER_SIGNATURE="optional"):
        created = load_complaints(users)
    log(
        f"Demo data: {counts['territories']} territories, {counts['organisations']} organisations, "
        f"{counts['services']} services, {len(users)} users, {created} new sample complaints, {seals} new seals "
        f"(demo CA in {settings.PKI_DEMO_DIR})."
    )
