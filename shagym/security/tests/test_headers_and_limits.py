"""Headers on every answer (CSP with a nonce, Permissions-Policy, nosniff, HSTS in production), request bodies
refused by their declared size before they are read, and `manage.py check --deploy` clean with the README's
production settings."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


# ---- Headers ----


@pytest.mark.parametrize("path", ["/kk/", "/en/status/", "/api/v1/docs", "/kk/admin/login/", "/kk/no-such-page/"])
def test_every_page_has_a_strict_csp_and_a_permissions_policy(client, db, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "base-uri 'none'" in csp and "form-action 'self'" in csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_the_api_docs_are_served_from_our_own_files(client, db):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in page and "https://" not in page.split("<body")[0]
    assert "/static/ninja/swagger-ui-bundle.js" in page


def test_no_template_has_inline_script_or_style():
    """Inline code would need the page's nonce; none of ours needs it. (JSON data blocks are not code.)"""
    offending = []
    for path in (ROOT / "shagym").rglob("templates/**/*.html"):
        if "documents/templates" in str(path):
            continue  # PDFs: rendered by WeasyPrint, never served as pages
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", text) or "<style" in text \
                or re.search(r"\sstyle=\"", text) or re.search(r"\son[a-z]+=\"", text):
            offending.append(str(path.relative_to(ROOT)))
    assert offending == []


# ---- Body limits ----


class Untouchable(io.RawIOBase):
    """A request body that must never be read."""

    def read(self, *args):  # type: ignore[no-untyped-def]
        raise AssertionError("the body was read")

    readline = readinto = read


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_an_upload_over_the_limit_is_refused_before_it_is_read(client, db, settings, language):
    settings.SHAGYM_ATTACHMENT_MAX_FILES, settings.SHAGYM_ATTACHMENT_MAX_MB = 2, 1
    too_big = 3 * 1024 * 1024 + 1
    with translation.override(language):
        path = reverse("complaint-step", args=["attachments"])
    response = client.generic("POST", path, b"", content_type="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(too_big), **{"wsgi.input": Untouchable()})
    assert response.status_code == 413
    assert response["Connection"] == "close"
    with translation.override(language):
        from django.utils.translation import gettext

        assert gettext("The files are too large") in response.content.decode()


def test_a_form_over_the_limit_is_refused(client, db, settings):
    settings.SHAGYM_MAX_BODY_KB = 1
    response = client.post(en("status-check"), "number=" + "1" * 2000 + "&code=x",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413


def test_a_body_within_the_limit_is_taken(client, db):
    response = client.post(en("status-check"), {"number": "26-001-00001", "code": "AAAA-AAAA"})
    assert response.status_code == 200


def test_too_many_files_in_one_form_is_a_400_not_a_500(settings, applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    client = Client(raise_request_exception=False)
    client.force_login(applicant)
    files = [SimpleUploadedFile(f"{i}.png", b"\x89PNG\r\n\x1a\n") for i in range(3)]
    response = client.post(en("complaint-start"), {"files": files})
    assert response.status_code == 400


def test_the_api_keeps_its_own_limit_and_answers_a_problem(client, db, settings):
    response = client.generic("POST", "/api/v1/complaints", b"", content_type="application/json",
                              CONTENT_LENGTH=str(10 * 1024 * 1024), **{"wsgi.input": Untouchable()})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/problem+json")


# ---- The cost ----


def test_the_checks_add_no_query_to_an_anonymous_page(client, db, django_assert_num_queries):
    client.get("/kk/")  # warm up (the language, the site)
    with django_assert_num_queries(0):
        assert client.get("/kk/").status_code == 200


# ---- Deployment ----


def readme_production_environment() -> dict[str, str]:
    """The exports of the README's deployment section, evaluated by the shell as an operator would."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Deployment and scaling out", 1)[1]
    block = next(b.split("```", 1)[0] for b in section.split("```bash")[1:] if "export SHAGYM_SECRET_KEY" in b)
    exports = "\n".join(line for line in block.splitlines() if line.startswith("export "))
    assert "SHAGYM_SECRET_KEY" in exports and "SHAGYM_ALLOWED_HOSTS" in exports
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SHAGYM_", "DATABASE_URL", "DJANGO_"))}
    output = subprocess.run(["bash", "-c", f"set -e\n{exports}\nenv -0"], env=clean, capture_output=True,
                            check=True).stdout
    return dict(item.split("=", 1) for item in output.decode().split("\0") if "=" in item)


def test_check_deploy_is_clean_with_the_readmes_production_settings():
    env = readme_production_environment()
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_turn_https_on():
    env = readme_production_environment()
    code = ("from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
            "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG)")
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
                            env={**env, "DJANGO_SETTINGS_MODULE": "shagym.settings"}, capture_output=True, text=True)
    assert result.stdout.split() == ["True", "31536000", "True", "True", "True", "False"], result.stderr


def test_a_content_length_that_is_not_a_number_is_no_500(client, db):
    response = client.generic("POST", en("status-check"), b"", content_type="application/x-www-form-urlencoded",
                              CONTENT_LENGTH="²")
    assert response.status_code < 500
