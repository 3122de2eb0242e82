#!/usr/bin/env bash
# Set up everything the tracker needs on this machine, then run it.
#
#   scripts/bootstrap.sh run            install, start the DB, migrate, load the demo, runserver
#   scripts/bootstrap.sh serve          install, start the DB, migrate, serve for production (gunicorn)
#   scripts/bootstrap.sh test [ARGS]    install (incl. chromium), start the DB, run pytest ARGS
#   scripts/bootstrap.sh bench [ARGS]   install, start the DB, migrate, run each bench/*.py
#   scripts/bootstrap.sh db             install, start the local PostgreSQL cluster only
#   scripts/bootstrap.sh stop           stop the local PostgreSQL cluster
#
# Environment:
#   DATABASE_URL     use this database as is; no local cluster is installed or started
#   TRACKER_DB_PORT  port of the local cluster (default 54329, listens on 127.0.0.1 only)
#   PORT             port of the development web server (default 8000)
#   SERVE=gunicorn   (or `run --prod`) serve with gunicorn instead of runserver
#   WEB_WORKERS      gunicorn worker processes (default: one per core)
#   WEB_THREADS      threads per worker process (default: 8)
#
# `serve` runs with DEBUG off, so Django's production settings apply (tracker/settings.py):
#   SECRET_KEY or SECRET_KEY_FILE  (default: a key generated once into .secret_key)
#   ALLOWED_HOSTS    host names served, comma-separated (default 127.0.0.1,localhost)
#   HTTPS            reached over HTTPS only: secure cookies, HSTS, redirect (default on)
#   BEHIND_TLS_PROXY TLS ends at a proxy that sets X-Forwarded-Proto (default: as HTTPS)
#
# Safe to run again: every step checks first and does only what is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="$ROOT/.venv"
PY="$VENV/bin/python"
REQUIREMENTS="$ROOT/requirements.txt"
REQ_STAMP="$VENV/.requirements.sha256"

DB_PORT="${TRACKER_DB_PORT:-54329}"
DB_HOST=127.0.0.1
DB_NAME=tracker
DB_USER=tracker
PGROOT="$ROOT/.pgdata"      # everything of the local cluster lives here (git-ignored)
PGDATA_DIR="$PGROOT/data"   # the cluster's data directory
PGLOG="$PGROOT/server.log"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

WEB_PORT="${PORT:-8000}"

APT_UPDATED=0

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# ---------------------------------------------------------------------------
# 1. System packages
# ---------------------------------------------------------------------------

pkg_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

# Prints how to run a command as root ("" when we are root, "sudo -n" with
# passwordless sudo); fails when neither works.
root_prefix() {
    if is_root; then
        echo ""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        echo "sudo -n"
    else
        return 1
    fi
}

# install_packages PKG... : apt-get install whichever of PKG are missing.
install_packages() {
    local missing=() pkg prefix
    command -v dpkg-query >/dev/null 2>&1 || die "no dpkg-query: this script expects Debian/Ubuntu; install by hand: $*"
    for pkg in "$@"; do
        pkg_installed "$pkg" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0

    if ! prefix="$(root_prefix)"; then
        die "missing system packages: ${missing[*]}
       install them as root:  apt-get install --no-install-recommends ${missing[*]}"
    fi
    log "installing system packages: ${missing[*]}"
    if [ "$APT_UPDATED" -eq 0 ]; then
        $prefix apt-get update
        APT_UPDATED=1
    fi
    $prefix env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
}

# system_packages MODE : the packages this mode needs.
system_packages() {
    local mode="$1" pkgs=()
    if [ "$mode" != db ]; then
        pkgs+=(gdal-bin)
        [ -x "$VENV/bin/python" ] || pkgs+=(python3-venv)
    fi
    [ -z "${DATABASE_URL:-}" ] && pkgs+=(postgresql-15-postgis-3)
    # python3-qgis: the tests open /ogc/ with QGIS's own OAPIF provider (Debian's python3, not the venv).
    [ "$mode" = test ] && pkgs+=(chromium python3-qgis)
    [ "${#pkgs[@]}" -eq 0 ] || install_packages "${pkgs[@]}"
}

# ---------------------------------------------------------------------------
# 2. Virtualenv
# ---------------------------------------------------------------------------

requirements_hash() {
    sha256sum <"$REQUIREMENTS" | cut -d' ' -f1
}

ensure_requirements_file() {
    [ -f "$REQUIREMENTS" ] && return 0
    [ -x "$PY" ] || die "no requirements.txt and no .venv to take it from"
    log "no requirements.txt: writing one from .venv (pip freeze)"
    "$PY" -m pip freeze --exclude-editable >"$REQUIREMENTS"
}

ensure_venv() {
    ensure_requirements_file
    if [ ! -x "$PY" ]; then
        log "creating virtualenv .venv"
        python3 -m venv "$VENV"
        "$PY" -m pip install --quiet --upgrade pip
    fi
    local want
    want="$(requirements_hash)"
    if [ "$(cat "$REQ_STAMP" 2>/dev/null || true)" = "$want" ]; then
        return 0
    fi
    log "installing Python packages from requirements.txt"
    "$PY" -m pip install --quiet -r "$REQUIREMENTS"
    echo "$want" >"$REQ_STAMP"
}

# ---------------------------------------------------------------------------
# 3. Database
# ---------------------------------------------------------------------------
# PostgreSQL refuses to run as root, so as root the cluster belongs to and is
# run by the `postgres` system user; otherwise by whoever runs this script.

PG_OWNER=""   # system user that owns and runs the local cluster

pg_as_owner() {
    if is_root; then
        runuser -u "$PG_OWNER" -- "$@"
    else
        "$@"
    fi
}

ensure_pg_owner() {
    if ! is_root; then
        PG_OWNER="$(id -un)"
        return 0
    fi
    PG_OWNER=postgres
    if ! id -u postgres >/dev/null 2>&1; then
        log "creating system user postgres"
        useradd --system --user-group --home-dir /var/lib/postgresql \
            --shell /usr/sbin/nologin postgres
    fi
}

# The cluster owner must be able to reach the project directory.
check_traversable() {
    is_root || return 0
    runuser -u "$PG_OWNER" -- test -x "$ROOT" && return 0
    local dir="$ROOT" blocked=""
    while [ "$dir" != "/" ]; do
        runuser -u "$PG_OWNER" -- test -x "$dir" || blocked="$dir"
        dir="$(dirname "$dir")"
    done
    die "user $PG_OWNER cannot enter ${blocked:-$ROOT} (needed to run the local database).
       Either run:  chmod o+x ${blocked:-$ROOT}   (and its parents as needed)
       or move the project, or set DATABASE_URL to an existing database."
}

pg_ready() {
    "$PG_BIN/pg_isready" -q -h "$DB_HOST" -p "$DB_PORT" -t 2 >/dev/null 2>&1
}

init_cluster() {
    [ -f "$PGDATA_DIR/PG_VERSION" ] && return 0
    log "creating local PostgreSQL cluster in .pgdata/ (superuser: $DB_USER)"
    mkdir -p "$PGROOT"
    is_root && chown "$PG_OWNER:" "$PGROOT"
    pg_as_owner "$PG_BIN/initdb" --pgdata="$PGDATA_DIR" --username="$DB_USER" \
        --encoding=UTF8 --locale=C.UTF-8 --auth=trust >/dev/null
    # Local dev/test cluster: anyone on this machine may connect over
    # 127.0.0.1 without a password (trust); the unix socket sits inside
    # .pgdata/ and only lets an OS user in as the role of the same name.
    # Nothing listens on other addresses.
    cat >"$PGDATA_DIR/pg_hba.conf" <<'EOF'
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  peer
host    all       all   127.0.0.1/32   trust
EOF
    echo "include_if_exists = 'tracker.conf'" >>"$PGDATA_DIR/postgresql.conf"
    is_root && chown "$PG_OWNER:" "$PGDATA_DIR/pg_hba.conf"
    return 0
}

# shared_buffers: 1GB, or a quarter of the RAM on a small machine.
shared_buffers_mb() {
    local mem_mb
    mem_mb="$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo 2>/dev/null || true)"
    mem_mb="${mem_mb:-0}"
    if [ "$mem_mb" -ge 4096 ]; then
        echo 1024
    elif [ "$mem_mb" -ge 512 ]; then
        echo $((mem_mb / 4))
    else
        echo 128
    fi
}

# Rewritten on every start, so a changed TRACKER_DB_PORT takes effect.
write_cluster_config() {
    local socket_dir="$PGROOT"
    # A unix socket path is limited to 107 bytes; without one, TCP still works.
    [ "${#socket_dir}" -gt 90 ] && socket_dir=""
    cat >"$PGDATA_DIR/tracker.conf" <<EOF
# Written by scripts/bootstrap.sh on each start; edits are overwritten.
listen_addresses = '$DB_HOST'
port = $DB_PORT
unix_socket_directories = '$socket_dir'
max_connections = 200
shared_buffers = $(shared_buffers_mb)MB
work_mem = 64MB
maintenance_work_mem = 512MB
EOF
    is_root && chown "$PG_OWNER:" "$PGDATA_DIR/tracker.conf"
    return 0
}

# A postmaster.pid left by a crash is normally ignored by PostgreSQL, but not
# when its PID now belongs to another process (common in containers, and then
# pg_ctl also thinks the server runs): remove it when that PID is no postgres.
remove_stale_pidfile() {
    local pidfile="$PGDATA_DIR/postmaster.pid" pid exe
    [ -f "$pidfile" ] || return 0
    pid="$(head -n1 "$pidfile")"
    exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
    if [ -n "$pid" ] && [ "$(basename "${exe:-none}")" = postgres ] \
        && tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF "$PGDATA_DIR"; then
        return 0
    fi
    log "removing stale .pgdata/data/postmaster.pid (PID $pid is not a postgres server)"
    rm -f "$pidfile" "$PGROOT/.s.PGSQL.$DB_PORT" "$PGROOT/.s.PGSQL.$DB_PORT.lock"
}

cluster_running() {
    pg_as_owner "$PG_BIN/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1
}

start_cluster() {
    init_cluster
    remove_stale_pidfile
    if cluster_running; then
        local _
        for _ in $(seq 1 20); do pg_ready && return 0; sleep 0.5; done  # may be starting
        die "the cluster in .pgdata/ runs, but not on port $DB_PORT
       (another TRACKER_DB_PORT?). Stop it with: make stop"
    fi
    write_cluster_config
    log "starting PostgreSQL on $DB_HOST:$DB_PORT (log: .pgdata/server.log)"
    touch "$PGLOG"
    is_root && chown "$PG_OWNER:" "$PGLOG"
    if ! pg_as_owner "$PG_BIN/pg_ctl" start -D "$PGDATA_DIR" -l "$PGLOG" -w -t 60 >/dev/null; then
        tail -n 20 "$PGLOG" >&2 || true
        die "PostgreSQL did not start; see .pgdata/server.log"
    fi
}

# psql_as ROLE DB SQL : run SQL over TCP; fails quietly when ROLE cannot log in.
psql_as() {
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" \
        -U "$1" -d "$2" -c "$3" >/dev/null 2>&1
}

# Role tracker (superuser), database tracker, and the extensions. They also go
# into template1, so test databases (test_tracker, test_tracker_gw0, ...)
# are created with them.
ensure_role_and_db() {
    local admin=""
    for admin in "$DB_USER" postgres "$(id -un)"; do
        psql_as "$admin" postgres "select 1" && break
        admin=""
    done
    [ -n "$admin" ] || die "cannot log in to the PostgreSQL server on $DB_HOST:$DB_PORT
       as $DB_USER or postgres without a password. Set DATABASE_URL, or another TRACKER_DB_PORT."
    psql_as "$admin" postgres "
        DO \$\$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
            CREATE ROLE $DB_USER LOGIN SUPERUSER;
          ELSE
            ALTER ROLE $DB_USER LOGIN SUPERUSER;
          END IF;
        END \$\$;" || die "could not create role $DB_USER"
    if ! "$PG_BIN/psql" -X -tA -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres \
        -c "select 1 from pg_database where datname = '$DB_NAME'" | grep -q 1; then
        log "creating database $DB_NAME"
        psql_as "$DB_USER" postgres "CREATE DATABASE $DB_NAME OWNER $DB_USER" \
            || die "could not create database $DB_NAME"
    fi
    local db
    for db in template1 "$DB_NAME"; do
        psql_as "$DB_USER" "$db" "CREATE EXTENSION IF NOT EXISTS postgis;
                                  CREATE EXTENSION IF NOT EXISTS btree_gist;" \
            || die "could not create extensions postgis, btree_gist in $db"
    done
}

ensure_database() {
    if [ -n "${DATABASE_URL:-}" ]; then
        log "using DATABASE_URL as given"
        return 0
    fi
    [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL not found in $PG_BIN (set PG_BIN, or DATABASE_URL)"
    ensure_pg_owner
    check_traversable
    if pg_ready; then
        log "PostgreSQL already answers on $DB_HOST:$DB_PORT; using it"
    else
        # Serialise concurrent starts (two `make test` at once, say).
        mkdir -p "$PGROOT"
        {
            flock 9
            pg_ready || start_cluster
        } 9>"$PGROOT/.bootstrap.lock"
    fi
    ensure_role_and_db
    export DATABASE_URL="postgres://$DB_USER@$DB_HOST:$DB_PORT/$DB_NAME"
}

stop_cluster() {
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        log "no local cluster in .pgdata/"
        return 0
    fi
    ensure_pg_owner
    if cluster_running; then
        log "stopping PostgreSQL (.pgdata/)"
        pg_as_owner "$PG_BIN/pg_ctl" stop -D "$PGDATA_DIR" -m fast -w >/dev/null
    else
        log "local PostgreSQL is not running"
    fi
}

# ---------------------------------------------------------------------------
# 4.-5. Modes
# ---------------------------------------------------------------------------

prepare() {
    system_packages "$1"
    ensure_venv
    ensure_database
}

manage() {
    [ -f "$ROOT/manage.py" ] || die "manage.py not found in $ROOT"
    "$PY" "$ROOT/manage.py" "$@"
}

print_urls() {
    local base="http://127.0.0.1:$WEB_PORT"
    cat <<EOF

  Map:        $base/map/
  API docs:   $base/api/docs/
  Admin:      $base/admin/
  Log in as admin / admin (demo account, local only)

EOF
}

# Hook for serving with gunicorn (SERVE=gunicorn, `run --prod`, `serve`).
serve_gunicorn() {
    local project workers threads
    project="$(sed -n "s/.*DJANGO_SETTINGS_MODULE['\"], *['\"]\([A-Za-z0-9_]*\)\.settings.*/\1/p" manage.py | head -n1)"
    [ -n "$project" ] || die "cannot tell the WSGI module from manage.py"
    # Few processes with threads rather than many processes: a process computes an answer once
    # for all its threads (tracker/answers.py), and the work is mostly waiting on PostgreSQL.
    workers="${WEB_WORKERS:-$(nproc)}"
    threads="${WEB_THREADS:-8}"
    manage collectstatic --noinput >/dev/null
    log "gunicorn on 127.0.0.1:$WEB_PORT with $workers workers of $threads threads"
    exec "$VENV/bin/gunicorn" "$project.wsgi" --bind "127.0.0.1:$WEB_PORT" --workers "$workers" \
        --worker-class gthread --threads "$threads" \
        --timeout 60 --graceful-timeout 20 --access-logfile - --forwarded-allow-ips 127.0.0.1
}

# A secret key for `serve` when none is given: generated once, kept in .secret_key (git-ignored).
ensure_secret_key() {
    [ -n "${SECRET_KEY:-}${SECRET_KEY_FILE:-}" ] && return 0
    local keyfile="$ROOT/.secret_key"
    if [ ! -s "$keyfile" ]; then
        log "generating a secret key into .secret_key"
        (umask 077; "$PY" -c "import secrets; print(secrets.token_urlsafe(64))" >"$keyfile")
    fi
    export SECRET_KEY_FILE="$keyfile"
}

cmd_run() {
    local serve="${SERVE:-runserver}"
    [ "${1:-}" = "--prod" ] && serve=gunicorn
    prepare run
    manage migrate --noinput
    manage load_demo
    manage ensure_demo_users
    print_urls
    if [ "$serve" = gunicorn ]; then
        serve_gunicorn
    fi
    exec "$PY" manage.py runserver "127.0.0.1:$WEB_PORT"
}

cmd_serve() {
    prepare run
    export DEBUG=false
    export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
    ensure_secret_key
    manage check --deploy --fail-level WARNING
    manage migrate --noinput
    serve_gunicorn
}

cmd_test() {
    prepare test
    # For the browser tests: Debian's chromium (Playwright's own download is not used).
    if command -v chromium >/dev/null 2>&1; then
        export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"
    fi
    exec "$PY" -m pytest "$@"
}

cmd_bench() {
    prepare bench
    [ -f "$ROOT/manage.py" ] && manage migrate --noinput
    local found=0 script
    for script in "$ROOT"/bench/*.py; do
        [ -f "$script" ] || continue
        found=1
        log "bench: ${script#"$ROOT"/}"
        "$PY" "$script" "$@"
    done
    [ "$found" -eq 1 ] || log "no bench/*.py found"
}

main() {
    local mode="${1:-}"
    [ $# -gt 0 ] && shift
    case "$mode" in
        run)   cmd_run "$@" ;;
        serve) cmd_serve ;;
        test)  cmd_test "$@" ;;
        bench) cmd_bench "$@" ;;
        db)    system_packages db; ensure_database; log "database: $DATABASE_URL" ;;
        stop)  stop_cluster ;;
        *)     sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
}

main "$@"
