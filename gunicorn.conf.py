# gunicorn reads this file from the directory it starts in. The web process's other options
# (bind, workers) come from its command line.
#
# URLs over about 4 KB and oversized headers are refused by gunicorn itself, before Django;
# these workers make those refusals JSON (414 uri_too_long, 431 headers_too_large) like the
# rest of the API. With `--threads`, use astro_site.gunicorn_workers.JsonRefusalThreadWorker.
worker_class = "astro_site.gunicorn_workers.JsonRefusalSyncWorker"
# gunicorn's defaults, written out because the refusal messages quote them.
limit_request_line = 4094
limit_request_field_size = 8190
limit_request_fields = 100
