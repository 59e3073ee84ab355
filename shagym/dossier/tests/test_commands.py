"""manage.py export_dossier: the operator exports a case file; --user goes through the access door; --verify checks
a file against its sums."""

from __future__ import annotations

import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_operator_exports_by_number_and_the_file_verifies(paper, tmp_path):
    path = tmp_path / "file.zip"
    out = StringIO()
    call_command("export_dossier", paper.number, "-o", str(path), stdout=out)
    assert str(path) in out.getvalue()
    call_command("export_dossier", "--verify", str(path), stdout=out)
    assert "every file matches" in out.getvalue()


def test_export_by_reference_as_a_clerk_of_the_holding_body(paper, clerk, tmp_path):
    path = tmp_path / "file.zip"
    call_command("export_dossier", paper.reference, "--user", "clerk", "-o", str(path), stdout=StringIO())
    assert "events.json" in zipfile.ZipFile(path).namelist()


@pytest.mark.parametrize("who", ["outsider", "inspector", "applicant", "nobody"])
def test_export_as_someone_outside_the_holding_body_is_refused(paper, who, request, tmp_path):
    if who != "nobody":
        request.getfixturevalue(who)
    with pytest.raises(CommandError, match="may not export"):
        call_command("export_dossier", str(paper.pk), "--user", who, "-o", str(tmp_path / "x.zip"), stdout=StringIO())
    assert not (tmp_path / "x.zip").exists()


def test_verify_finds_a_changed_file(paper, tmp_path):
    path, changed = tmp_path / "file.zip", tmp_path / "changed.zip"
    call_command("export_dossier", paper.number, "-o", str(path), stdout=StringIO())
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w") as copy:
        for name in source.namelist():
            data = source.read(name)
            copy.writestr(name, data + b" " if name == "complaint.json" else data)
    with pytest.raises(CommandError, match=r"complaint\.json: SHA-256 does not match"):
        call_command("export_dossier", "--verify", str(changed), stdout=StringIO())


def test_unknown_complaint(db):
    with pytest.raises(CommandError, match="No single complaint"):
        call_command("export_dossier", "99-999-99999", stdout=StringIO())
