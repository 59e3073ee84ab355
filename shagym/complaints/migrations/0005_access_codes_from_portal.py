"""The access codes move from the portal to the complaint (issue 9): copy the stored hashes, so printed talons keep
working. The portal's table is dropped by portal.0002 afterwards."""

from django.db import migrations


def copy_codes(apps, schema_editor):
    old = apps.get_model("portal", "AccessCode")
    new = apps.get_model("complaints", "AccessCode")
    new.objects.bulk_create(
        new(complaint_id=row.complaint_id, code_hash=row.code_hash, created_at=row.created_at) for row in old.objects.all()
    )


def copy_back(apps, schema_editor):
    old = apps.get_model("portal", "AccessCode")
    new = apps.get_model("complaints", "AccessCode")
    old.objects.bulk_create(
        old(complaint_id=row.complaint_id, code_hash=row.code_hash, created_at=row.created_at) for row in new.objects.all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0004_events_seam_access_codes"),
        ("portal", "0001_access_code"),
    ]

    operations = [migrations.RunPython(copy_codes, copy_back)]
