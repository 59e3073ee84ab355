"""The deployment's settings (README, Deployment and scaling out): each knob read from the environment builds what
Django needs, and junk stops the start. Each case runs shagym/settings.py afresh with its own environment."""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS = Path(__file__).resolve().parents[1] / "settings.py"
PG = "postgresql://shagym:secret@127.0.0.1:6432/shagym"


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name in ("DATABASE_URL", "DATABASE_REPLICA_URL", "SHAGYM_MEDIA_STORAGE", "SHAGYM_DB_PGBOUNCER",
                 "SHAGYM_TRUSTED_PROXIES", "SHAGYM_STATIC_ROOT", "SHAGYM_CACHE"):
        monkeypatch.delenv(name, raising=False)
    for name in [n for n in os.environ if n.startswith("SHAGYM_S3_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SHAGYM_SECRET_KEY", "settings-test")
    monkeypatch.setenv("SHAGYM_DEBUG", "0")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_media_stays_on_the_disk_by_default(monkeypatch):
    settings = load(monkeypatch)
    assert settings["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_s3_media_storage_builds_a_private_bucket_storage(monkeypatch):
    settings = load(monkeypatch, SHAGYM_MEDIA_STORAGE="s3", SHAGYM_S3_BUCKET="shagym-media",
                    SHAGYM_S3_ENDPOINT_URL="https://s3.example.kz", SHAGYM_S3_REGION="kz-ala-1",
                    SHAGYM_S3_ACCESS_KEY_ID="AKIAEXAMPLE", SHAGYM_S3_SECRET_ACCESS_KEY="secret",
                    SHAGYM_S3_PREFIX="/prod/", SHAGYM_S3_ADDRESSING_STYLE="path")
    default = settings["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "shagym-media"
    assert options["endpoint_url"] == "https://s3.example.kz"
    assert options["region_name"] == "kz-ala-1"
    assert (options["access_key"], options["secret_key"]) == ("AKIAEXAMPLE", "secret")
    assert options["location"] == "prod"
    assert options["default_acl"] is None and options["file_overwrite"] is False
    # The static files stay with collectstatic and nginx.
    assert settings["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"

    # The storage is built from these options as Django would build it, without touching the network.
    from storages.backends.s3 import S3Storage

    storage = S3Storage(**options)
    assert storage.bucket_name == "shagym-media" and storage.location == "prod"
    assert storage.endpoint_url == "https://s3.example.kz" and storage.addressing_style == "path"
    assert storage.default_acl is None and storage.file_overwrite is False


def test_s3_without_credentials_leaves_them_to_boto3(monkeypatch):
    options = load(monkeypatch, SHAGYM_MEDIA_STORAGE="s3", SHAGYM_S3_BUCKET="b")["STORAGES"]["default"]["OPTIONS"]
    assert options["access_key"] is None and options["secret_key"] is None and options["endpoint_url"] is None


@pytest.mark.parametrize("env", [
    {"SHAGYM_MEDIA_STORAGE": "s3"},  # no bucket
    {"SHAGYM_MEDIA_STORAGE": "ftp"},
    {"SHAGYM_MEDIA_STORAGE": "s3", "SHAGYM_S3_BUCKET": "b", "SHAGYM_S3_ADDRESSING_STYLE": "sideways"},
])
def test_wrong_media_storage_stops_the_start(monkeypatch, env):
    with pytest.raises(ImproperlyConfigured):
        load(monkeypatch, **env)


def test_pgbouncer_mode_fetches_in_chunks_and_prepares_nothing(monkeypatch):
    database = load(monkeypatch, DATABASE_URL=PG, SHAGYM_DB_PGBOUNCER="1")["DATABASES"]["default"]
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert database.get("OPTIONS", {}).get("prepare_threshold") is None
    assert database["CONN_MAX_AGE"] == 60
    assert load(monkeypatch, DATABASE_URL=PG)["DATABASES"]["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False


def test_pgbouncer_mode_needs_postgresql(monkeypatch):
    with pytest.raises(ImproperlyConfigured):
        load(monkeypatch, SHAGYM_DB_PGBOUNCER="1")


def test_replica_url_adds_the_replica_and_its_router(monkeypatch):
    settings = load(monkeypatch, DATABASE_URL=PG, DATABASE_REPLICA_URL="postgresql://ro:x@replica:5432/shagym",
                    SHAGYM_DB_PGBOUNCER="1")
    replica = settings["DATABASES"]["replica"]
    assert replica["HOST"] == "replica" and replica["TEST"] == {"MIRROR": "default"}
    assert replica["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert settings["DATABASE_ROUTERS"] == ["shagym.dbrouter.ReportsReplicaRouter"]
    plain = load(monkeypatch, DATABASE_URL=PG)
    assert "replica" not in plain["DATABASES"] and "DATABASE_ROUTERS" not in plain


def test_replica_must_be_the_same_kind_of_database(monkeypatch):
    with pytest.raises(ImproperlyConfigured):
        load(monkeypatch, DATABASE_URL=PG, DATABASE_REPLICA_URL="sqlite:///replica.sqlite3")


def test_proxy_headers_are_believed_only_with_trusted_proxies(monkeypatch):
    settings = load(monkeypatch)
    assert settings["MIDDLEWARE"][0] == "shagym.proxy.ProxyHeadersMiddleware"
    assert "SECURE_PROXY_SSL_HEADER" not in settings
    behind = load(monkeypatch, SHAGYM_TRUSTED_PROXIES="10.0.0.10, 10.0.1.0/24, ::1")
    assert behind["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert behind["SHAGYM_TRUSTED_PROXIES"] == ["10.0.0.10", "10.0.1.0/24", "::1"]
    with pytest.raises(ImproperlyConfigured):
        load(monkeypatch, SHAGYM_TRUSTED_PROXIES="nginx.internal")


def test_static_root_from_the_environment(monkeypatch):
    assert load(monkeypatch, SHAGYM_STATIC_ROOT="/srv/shagym/static")["STATIC_ROOT"] == Path("/srv/shagym/static")


def test_collected_static_files_are_readable_by_the_web_server(monkeypatch, tmp_path):
    """nginx serves /static/ as its own user (deploy/nginx): collectstatic must not give them the uploads' 0640."""
    from django.core.files.base import ContentFile
    from django.utils.module_loading import import_string

    settings = load(monkeypatch)
    assert settings["FILE_UPLOAD_PERMISSIONS"] == 0o640  # uploads stay private
    static = settings["STORAGES"]["staticfiles"]
    storage = import_string(static["BACKEND"])(location=str(tmp_path), **static["OPTIONS"])
    name = storage.save("shagym/x.css", ContentFile(b"body{}"))
    assert (tmp_path / name).stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "shagym").stat().st_mode & 0o777 == 0o755
