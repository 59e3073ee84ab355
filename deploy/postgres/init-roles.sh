#!/bin/sh
# The compose file's PostgreSQL, on the first start of an empty data volume (docker-entrypoint-initdb.d): the two
# roles of README "Deployment and scaling out". The owner runs the migrations and owns the tables; the application's
# role may read and write them but never rewrite the history (manage.py grant_app_role, run by the release step).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v owner_password="$SHAGYM_OWNER_PASSWORD" -v app_password="$SHAGYM_APP_PASSWORD" <<'SQL'
CREATE ROLE shagym_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE shagym_app LOGIN PASSWORD :'app_password';
-- UTC by default: Django then never needs to SET the time zone through the pooler.
ALTER ROLE shagym_owner SET timezone TO 'UTC';
ALTER ROLE shagym_app SET timezone TO 'UTC';
CREATE DATABASE shagym OWNER shagym_owner;
REVOKE ALL ON DATABASE shagym FROM PUBLIC;
SQL
