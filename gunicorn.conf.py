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
# Fewer threads let writes through sooner: the interpreter runs one thread at a time, and each thread more is
# one more to wait for at every query. Under 2 officers submitting each second and 50 polling monitors at
# 1,000,000 lines (bench/load.py, answers made ahead, cycle collection as tracker/wsgi.py sets it), 16 threads
# answered 264 reads/s, p99 358 ms, 0.85 writes/s; 8, 278/s, p99 342 ms, 1.33 writes/s; 4, 240/s, p99 352 ms,
# 1.72 writes/s; 2, 171/s, p99 623 ms, 1.82 writes/s. A request waiting for a thread waits in gunicorn's queue,
# holding nothing.
threads = int(os.environ.get("WEB_THREADS") or 4)
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
