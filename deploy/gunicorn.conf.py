"""gunicorn's settings for Shagym: `gunicorn -c deploy/gunicorn.conf.py shagym.wsgi`, every value from the environment
(the systemd unit's EnvironmentFile, the compose file). README, "Deployment and scaling out"."""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise SystemExit(f"{name} must be an integer, not {value!r}") from exc


# Where nginx finds this server (deploy/nginx/shagym-upstream.conf); comma-separated for several addresses.
bind = [address.strip() for address in os.environ.get("SHAGYM_GUNICORN_BIND", "127.0.0.1:8000").split(",")]

# Our pages spend most of their time in Python (templates, the ORM), so the processes, not threads, carry the load:
# about two per core keeps every core busy while some workers wait for the database. Threads (gthread) help only when
# requests wait on something slow outside; keep 1 (sync workers) unless measured otherwise.
workers = _int("SHAGYM_GUNICORN_WORKERS", 2 * (os.cpu_count() or 1))
threads = _int("SHAGYM_GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# A request running longer than this is killed with its worker (nginx waits 60 s, so it sees the failure).
timeout = _int("SHAGYM_GUNICORN_TIMEOUT", 30)
# On SIGTERM or a reload (SIGHUP), a worker finishes the request at hand within this time.
graceful_timeout = _int("SHAGYM_GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5  # gthread only; nginx speaks HTTP/1.0 to us without keep-alive anyway
# Recycle a worker after this many requests (spread so they do not all restart at once): memory stays flat.
max_requests = _int("SHAGYM_GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Not preloaded: SIGHUP (systemctl reload) starts new workers on the new code, then lets the old ones finish their
# requests and leave: a deploy without a dropped request.
preload_app = False
# The workers' heartbeat files in memory, not on a disk that may stall (containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # nosec B108 # gunicorn's heartbeat files, as its docs advise

# The scheme (HTTPS) and the client's address are decided by the application (shagym/proxy.py, trusting only
# SHAGYM_TRUSTED_PROXIES), in one place: gunicorn must not set the scheme from a header by itself.
secure_scheme_headers: dict[str, str] = {}
forwarded_allow_ips = os.environ.get("SHAGYM_TRUSTED_PROXIES", "") or "127.0.0.1,::1"

# Which server this is, in the process titles and at the start of every access log line (several servers, one log).
instance = os.environ.get("SHAGYM_INSTANCE", "") or os.uname().nodename
proc_name = f"shagym-{instance}"
accesslog = os.environ.get("SHAGYM_GUNICORN_ACCESS_LOG", "-")  # "-": standard output (journald, docker logs)
errorlog = os.environ.get("SHAGYM_GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("SHAGYM_GUNICORN_LOG_LEVEL", "info")
# instance, client (from nginx's X-Forwarded-For), [time], request, status, bytes, duration in ms, user agent, <pid>.
access_log_format = (
    instance.replace("%", "%%") + ' %({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s" %(p)s'
)
