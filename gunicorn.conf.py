"""gunicorn for the tracker: `make serve` (scripts/bootstrap.sh) and the benchmarks read this file.

The bounds on one request's work are elsewhere (docs/security.md): input checks before any
expensive step, and PostgreSQL's statement_timeout for the web process (tracker/wsgi.py). With
gthread workers a worker's main thread keeps reporting alive while its request threads work, so
``timeout`` ends a worker that is stuck as a whole, not one slow request.
"""

import os

worker_class = "gthread"
# One process of many threads rather than many processes: a process computes an answer once for all
# its threads (tracker/answers.py). Two processes on two cores each made every answer again after each
# write: under 2 writers and 50 polling monitors at 1,000,000 lines, one process of 16 threads answered
# 140 reads/s, p99 0.92 s; two of 8, 127/s, p99 1.8 s (bench/load.py, before answers were made ahead).
workers = int(os.environ.get("WEB_WORKERS") or 1)
# Fewer threads let writes through sooner at about the same reads' p99: under 2 writers and 50 polling monitors
# at 1,000,000 lines, with answers made ahead by each submission (tracker/answers.py), 16 threads answered
# 166-188 reads/s, p99 0.49-0.56 s, 0.63-0.73 writes/s; 8, 170-173/s, p99 0.51-0.57 s, 1.04-1.06 writes/s.
# Before answers were made ahead: 16, p99 0.92-0.96 s, 1.0 writes/s; 8, p99 0.92-0.99 s, 1.2-1.3 writes/s;
# 4, p99 1.06 s, 1.45 writes/s.
threads = int(os.environ.get("WEB_THREADS") or 8)
# A worker silent this long is killed and replaced: twice the statement timeout, so a request cut
# off by PostgreSQL is answered before the worker is suspected.
timeout = 30
graceful_timeout = 20
keepalive = 5
# Request line and headers stay at gunicorn's limits; bodies are limited by Django (5 MB).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
forwarded_allow_ips = "127.0.0.1"
