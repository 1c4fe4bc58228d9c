"""gunicorn for the web nodes: `gunicorn -c gunicorn.conf.py opop.wsgi`. Every knob can be overridden by env."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# One thread per worker process: rendering a page is CPU-bound Python, and threads of one process take turns on
# the GIL, so a request that waits on the database many times (a checkout: 28 queries) waits for the GIL after
# each answer behind its neighbours' rendering. Measured on the full data, 2 cores, 5 checkouts/s under read
# load (bench.web --mixed): 5 workers x 4 threads gave checkout p50/p95/p99 151/420/999 ms, 5 x 1 108/191/312 ms,
# with the store pages' ratios unchanged or better. gthread keeps the idle keep-alive connections off the worker.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then so a slow leak never takes a node down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time":"%(t)s","level":"INFO","logger":"gunicorn.access","request_id":"%({x-request-id}o)s",'
    '"method":"%(m)s","path":"%(U)s","status":%(s)s,"bytes":"%(B)s","duration_ms":%(M)s,'
    '"remote":"%({x-forwarded-for}i)s","agent":"%(a)s"}'
)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
