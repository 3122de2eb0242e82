"""gunicorn for the tracker: `make serve` (scripts/bootstrap.sh) and the benchmarks read this file.

The bounds on one request's work are elsewhere (docs/security.md): input checks before any
expensive step, and PostgreSQL's statement_timeout for the web process (tracker/wsgi.py). With
gthread workers a worker's main thread keeps reporting alive while its request threads work, so
``timeout`` ends a worker that is stuck as a whole, not one slow request.
"""

import os

worker_class = "gthread"
# One process of many threads rather than many processes: a process computes an answer once for all
# its threads (tracker/answers.py), and the work is mostly waiting on PostgreSQL. Two processes on two
# cores each made every answer again after each write: under 2 writers and 50 polling monitors at
# 1,000,000 lines, one process of 16 threads answered 40 reads/s, p99 4.4 s; two of 8, 26/s, p99 22 s.
workers = int(os.environ.get("WEB_WORKERS") or 1)
# More threads let writes through sooner but starve the reads: with kept answers serving older requests
# (tracker/answers.py), 2 writers and 50 monitors at 1,000,000 lines, 16 threads answered 44 reads/s, p99
# 4.3 s, 0.37 writes/s; 32, 34 reads/s, p99 5.9 s, 0.33 writes/s; 64, 9 reads/s, p99 28 s, 1.8 writes/s.
threads = int(os.environ.get("WEB_THREADS") or 16)
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
