"""The letters move from the back office to the documents layer (issue 9): copy them as printed. A talon issued again
before this change pointed at its registration event; only the first keeps that link (one letter per event and
kind), the others keep their bytes and lose the link. The back office's table is dropped by backoffice.0002."""

from django.db import migrations


def copy_letters(apps, schema_editor):
    old = apps.get_model("backoffice", "Letter")
    new = apps.get_model("documents", "Letter")
    seen = set()
    for row in old.objects.order_by("pk").iterator():
        key = (row.event_id, row.kind)
        event_id = row.event_id if row.event_id is not None and key not in seen else None
        seen.add(key)
        letter = new.objects.create(
            complaint_id=row.complaint_id, kind=row.kind, organisation_id=row.organisation_id, event_id=event_id,
            language=row.language, addressee=row.addressee, created_by_id=row.created_by_id, pdf=row.pdf,
            sha256=row.sha256,
        )
        new.objects.filter(pk=letter.pk).update(created_at=row.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_letters"),
        ("backoffice", "0001_answer_drafts_and_letters"),
    ]

    operations = [migrations.RunPython(copy_letters, migrations.RunPython.noop)]
