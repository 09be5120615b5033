"""gunicorn's settings for the web process (Procfile `web`: `--config
python:astro_site.gunicorn_config`; not a gunicorn.conf.py, which every gunicorn started in the
repo, benchmarks included, would load). The bind address comes from PORT (gunicorn's own
default, 0.0.0.0:$PORT) or GUNICORN_CMD_ARGS; the worker count from WEB_CONCURRENCY."""

import os

# Sync workers, (2 x cores) + 1 by default (gunicorn's design notes); one request each at a time.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
# A request that passes this is killed. Nothing of ours should come near it: Redis calls give
# up within a second and the database connect within a few (docs/operations.md).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
# Keep-alive behind a load balancer that reuses connections.
keepalive = 5
# Access log on stdout, one JSON object per line, with the request id the app answered with.
accesslog = "-"
access_log_format = (
    '{"time": "%(t)s", "level": "INFO", "logger": "gunicorn.access", "method": "%(m)s", '
    '"path": "%(U)s", "status": %(s)s, "duration_ms": %(M)s, "bytes": "%(B)s", '
    '"request_id": "%({x-request-id}o)s"}'
)
# Forwarded headers (X-Forwarded-Proto) are trusted from the load balancer in front.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# URLs over about 4 KB and oversized headers are refused by gunicorn itself, before Django;
# these workers make those refusals JSON (414 uri_too_long, 431 headers_too_large) like the
# rest of the API. With `--threads`, use astro_site.gunicorn_workers.JsonRefusalThreadWorker.
worker_class = "astro_site.gunicorn_workers.JsonRefusalSyncWorker"
# gunicorn's defaults, written out because the refusal messages quote them.
limit_request_line = 4094
limit_request_field_size = 8190
limit_request_fields = 100
