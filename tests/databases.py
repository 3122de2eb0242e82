"""Each test worker's database cloned from one migrated template, instead of every worker migrating its own.

Migrating an empty database costs about forty seconds of one core (Django renders the models' states
through every migration). The first worker to arrive migrates a template named after the migrations'
contents; the others, and later runs while the migrations are unchanged, copy it in a second with
``CREATE DATABASE … TEMPLATE``. An advisory lock on the maintenance database serialises both, since
PostgreSQL copies a template only while nobody else is connected to it.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
LOCK = 20261129  # the advisory lock the workers take in turn


def migrations_digest() -> str:
    digest = hashlib.sha256()
    # The SQL files migrations apply by name are part of what they do (tracker/sql/__init__.py).
    for path in sorted([*ROOT.glob("*/migrations/*.py"), *ROOT.glob("*/sql/*.sql")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def clone_from_template(owner: str, password: str) -> None:
    """Make this worker's test database a copy of the migrated template; Django then finds it migrated."""
    database = settings.DATABASES["default"]
    test_name = connection.creation._get_test_db_name()
    template = f"{database['NAME']}_template_{migrations_digest()}"
    with psycopg.connect(
        host=database["HOST"], port=database["PORT"], user=owner, password=password, dbname="postgres", autocommit=True
    ) as server:
        server.execute("SELECT pg_advisory_lock(%s)", [LOCK])
        ready = server.execute(
            "SELECT shobj_description(oid, 'pg_database') = 'migrated' FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        if not (ready and ready[0]):
            stale = server.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{database['NAME']}_template_%"]
            ).fetchall()
            for (name,) in stale:  # templates of earlier migrations, and this one if a build was cut short
                server.execute(f'DROP DATABASE IF EXISTS "{name}"')
            server.execute(f'CREATE DATABASE "{template}"')
            url = f"postgres://{owner}:{password}@{database['HOST']}:{database['PORT']}/{template}"
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": url, "DATABASE_OWNER": owner, "DATABASE_OWNER_PASSWORD": password},
                check=True,
                capture_output=True,
            )
            server.execute(f"COMMENT ON DATABASE \"{template}\" IS 'migrated'")
        server.execute(f'DROP DATABASE IF EXISTS "{test_name}"')
        server.execute(f'CREATE DATABASE "{test_name}" TEMPLATE "{template}"')
        server.execute("SELECT pg_advisory_unlock(%s)", [LOCK])
