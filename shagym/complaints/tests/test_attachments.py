"""The one door for uploads (shagym.complaints.attachments): the type from the content, the limits, clean names,
random stored names, PDFs that would run something refused, and files served only as downloads of the detected
type. The doors that use it (portal, supply of content, paper intake, API) have their tests beside their views, and
shagym/tests/test_uploads_one_door.py sends the same bad files through each."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from shagym.complaints import attachments
from shagym.complaints.attachments import UNREADABLE, pdf_active_content
from shagym.complaints.states import Refused

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def pdf_with(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def object_stream(objects: bytes, *, extra: bytes = b"") -> bytes:
    packed = zlib.compress(objects)
    return (b"7 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode " + extra
            + b"/Length " + str(len(packed)).encode() + b" >>\nstream\n" + packed + b"\nendstream\nendobj\n")


# ---- PDFs that run something ----

JAVASCRIPT_ON_OPEN = pdf_with(b"1 0 obj\n<< /Type /Catalog /OpenAction 2 0 R >>\nendobj\n"
                              b"2 0 obj\n<< /S /JavaScript /JS (app.alert\\(1\\)) >>\nendobj\n")
LAUNCH = pdf_with(b"1 0 obj\n<< /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >>\nendobj\n")
HEX_ESCAPED = pdf_with(b"1 0 obj\n<< /OpenAction << /S /J#61vaScript /J#53 (x) >> >>\nendobj\n")
IN_AN_OBJECT_STREAM = pdf_with(b"1 0 obj\n<< /Type /Catalog >>\nendobj\n"
                               + object_stream(b"2 0 << /AA << /O << /S /JavaScript /JS (x) >> >> >>"))


@pytest.mark.parametrize(("data", "what"), [
    (JAVASCRIPT_ON_OPEN, "JavaScript"),
    (LAUNCH, "Launch"),
    (HEX_ESCAPED, "JavaScript"),
    (IN_AN_OBJECT_STREAM, "JavaScript"),
], ids=["javascript-on-open", "launch", "hex-escaped-name", "in-a-compressed-object-stream"])
def test_a_pdf_that_would_run_something_is_found(data, what):
    assert pdf_active_content(data) == what


@pytest.mark.parametrize("data", [
    PDF,
    # The word in a string (a title) or a comment is not an action.
    pdf_with(b"1 0 obj\n<< /Title (How /JavaScript works) >>\nendobj\n% /Launch in a comment\n"),
    # Page contents and images are not read: their bytes may hold anything.
    pdf_with(b"3 0 obj\n<< /Length 20 >>\nstream\n/JS /Launch BT ET q Q\nendstream\nendobj\n"),
    pdf_with(object_stream(b"2 0 << /Type /Page /Contents 3 0 R >>")),
], ids=["plain", "word-in-a-string", "names-in-page-content", "clean-object-stream"])
def test_a_plain_pdf_is_clean(data):
    assert pdf_active_content(data) is None


def test_a_pdf_made_by_weasyprint_is_clean():
    import weasyprint

    assert pdf_active_content(weasyprint.HTML(string="<h1>Шешім</h1><p>JavaScript</p>").write_pdf()) is None


def test_an_object_stream_that_cannot_be_unpacked_is_not_taken():
    broken = pdf_with(b"7 0 obj\n<< /Type /ObjStm /Filter /FlateDecode /Length 9 >>\nstream\nnot zlib!\nendstream\n")
    assert pdf_active_content(broken) == UNREADABLE
    predictor = pdf_with(object_stream(b"2 0 << >>", extra=b"/DecodeParms << /Predictor 12 /Columns 4 >> "))
    assert pdf_active_content(predictor) == UNREADABLE


def test_a_compression_bomb_in_an_object_stream_is_not_taken(monkeypatch):
    monkeypatch.setattr(attachments, "_UNPACK_BUDGET", 1024)
    assert pdf_active_content(pdf_with(object_stream(b" " * 100_000))) == UNREADABLE


@pytest.mark.parametrize("data", [JAVASCRIPT_ON_OPEN, LAUNCH, IN_AN_OBJECT_STREAM])
def test_the_door_refuses_a_pdf_that_would_run_something(data, english):
    with pytest.raises(Refused) as refused:
        attachments.check(SimpleUploadedFile("договор.pdf", data))
    assert refused.value.field == "attachments"
    assert "договор.pdf" in str(refused.value) and "script" in str(refused.value)


# ---- Type, size, count, names ----


@pytest.mark.parametrize(("data", "kind"), [(PDF, ("application/pdf", ".pdf")), (PNG, ("image/png", ".png")),
                                            (JPEG, ("image/jpeg", ".jpg"))])
def test_the_type_comes_from_the_content_not_the_name(data, kind):
    assert attachments.check(SimpleUploadedFile("photo.exe", data, content_type="application/x-msdownload")) == kind


@pytest.mark.parametrize("data", [b"MZ\x90\x00 a program", b"<html><script>alert(1)</script>", b"GIF89a....",
                                  b"PK\x03\x04 a zip"])
def test_other_types_are_refused_whatever_their_name(data):
    with pytest.raises(Refused):
        attachments.check(SimpleUploadedFile("scan.pdf", data, content_type="application/pdf"))


def test_size_and_count_limits(settings, english):
    settings.SHAGYM_ATTACHMENT_MAX_MB = 1
    settings.SHAGYM_ATTACHMENT_MAX_FILES = 2
    with pytest.raises(Refused, match="larger than 1 MB"):
        attachments.check(SimpleUploadedFile("big.png", PNG + b"\x00" * (1024 * 1024)))
    with pytest.raises(Refused, match="empty"):
        attachments.check(SimpleUploadedFile("empty.pdf", b""))
    with pytest.raises(Refused, match="at most 2 files"):
        attachments.check_all([SimpleUploadedFile(f"{i}.png", PNG) for i in range(3)])


@pytest.mark.parametrize(("given", "clean"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\Ерлан\\шешім.PDF", "шешім.pdf"),
    ("<img src=x onerror=alert(1)>.pdf", "img srcx onerroralert(1).pdf"),
    ("report.pdf.exe", "report.pdf.pdf"),
    ("", "file.pdf"),
    ("\x00\n\r.pdf", "file.pdf"),
])
def test_names_are_cleaned_and_take_the_extension_of_the_detected_type(given, clean):
    assert attachments.safe_name(given, ".pdf") == clean


def test_files_are_stored_under_random_names(paper):
    first = attachments.store(complaint=paper, upload=SimpleUploadedFile("шешім.pdf", PDF))
    second = attachments.store(complaint=paper, upload=SimpleUploadedFile("шешім.pdf", PDF))
    stored = [Path(a.file.name).name for a in (first, second)]
    assert stored[0] != stored[1]  # the same content twice: two unrelated names
    assert all(len(name) == 32 + 4 and name.endswith(".pdf") and "шешім" not in name for name in stored)
    assert first.sha256 == second.sha256


def test_a_file_is_served_as_a_download_of_the_detected_type(paper):
    item = attachments.store(complaint=paper, upload=SimpleUploadedFile("photo.pdf", PNG, content_type="text/html"))
    response = attachments.serve(item)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PNG
