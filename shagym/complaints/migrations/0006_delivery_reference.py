"""Issue 10: a complaint not yet registered is named by a random delivery reference, not by its database id."""

import secrets

from django.db import migrations, models

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def backfill(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    used = set()
    for complaint in Complaint.objects.filter(reference__isnull=True).only("pk").iterator():
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
            reference = f"D-{code[:4]}-{code[4:]}"
            if reference not in used:
                used.add(reference)
                break
        Complaint.objects.filter(pk=complaint.pk).update(reference=reference)


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0005_access_codes_from_portal"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="reference",
            field=models.CharField(editable=False, max_length=12, null=True, unique=True, verbose_name="delivery reference"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
