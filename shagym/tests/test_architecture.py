"""House rules that a grep or a migration run can prove."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from shagym.complaints.models import ComplaintEvent

ROOT = Path(__file__).resolve().parents[1]


def test_only_services_assign_a_complaint_status():
    pattern = re.compile(r"\b(complaint|c|obj|instance)\.status\s*=[^=]")
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and path.name != "services.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_workdays_imports_no_django():
    source = (ROOT / "workdays" / "__init__.py").read_text(encoding="utf-8")
    assert "django" not in source


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


@pytest.mark.django_db
def test_changing_languages_creates_no_migration(settings):
    settings.LANGUAGES = [("kk", "Kazakh")]
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


@pytest.mark.django_db
def test_events_cannot_be_updated_or_deleted(registered):
    event = ComplaintEvent.objects.filter(complaint=registered).first()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        ComplaintEvent.objects.filter(complaint=registered).update(data={})
    with pytest.raises(TypeError):
        ComplaintEvent.objects.filter(complaint=registered).delete()


@pytest.mark.django_db
def test_database_refuses_to_update_an_event(registered):
    from django.db import DatabaseError, connection, transaction

    event = ComplaintEvent.objects.filter(complaint=registered).first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_complaintevent SET role = 'x' WHERE id = %s", [event.pk])


@pytest.mark.django_db
def test_uploaded_files_are_not_served_without_a_check(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "attachments").mkdir()
    (tmp_path / "attachments" / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    for url in ("/attachments/secret.pdf", "/media/attachments/secret.pdf"):
        assert client.get(url).status_code == 404
