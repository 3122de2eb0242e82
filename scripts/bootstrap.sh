#!/usr/bin/env bash
# Set up everything the tracker needs on this machine, then run it.
#
#   scripts/bootstrap.sh run            install, start the DB, migrate, load the demo, runserver
#                                       and beside it the alerts' webhook worker and the ledger's
#                                       daily tree head (`serve` does not: in production run
#                                       manage.py deliver_alerts and manage.py sign_tree_head --daily
#                                       as services, with LEDGER_KEY_FILE naming the tracker's own key)
#   scripts/bootstrap.sh serve          install, start the DB, migrate, serve for production (gunicorn)
#   scripts/bootstrap.sh test [ARGS]    install (incl. chromium), start the DB, run pytest ARGS
#   scripts/bootstrap.sh bench [ARGS]   install, start the DB, migrate, run each bench/*.py
#   scripts/bootstrap.sh db             install, start the local PostgreSQL cluster only
#   scripts/bootstrap.sh stop           stop the local PostgreSQL cluster
#   scripts/bootstrap.sh messages       bring the uk and ru catalogues up to date with the code, compile them
#
# The local cluster lives outside the clone, in a folder named after its path:
# /var/lib/postgresql/tracker-clusters/<path>-<hash>/ as root (run by the user
# postgres), ${XDG_DATA_HOME:-~/.local/share}/tracker-clusters/<path>-<hash>/
# otherwise; its log is server.log there. Roles (section 3): tracker_owner
# owns the database and runs migrations; the application runs as tracker,
# which owns nothing and is no superuser.
#
# Environment:
#   DATABASE_URL     use this database as is; no local cluster is installed or started.
#                    Its user is the role the application runs as.
#   DATABASE_OWNER   with DATABASE_URL: the role owning that database, which migrate,
#                    flush and import_bundle use (password: DATABASE_OWNER_PASSWORD or
#                    DATABASE_OWNER_PASSWORD_FILE); unset, DATABASE_URL's role does all
#   TRACKER_DB_PORT  port of the local cluster (default 54329, listens on 127.0.0.1 only)
#   PORT             port of the development web server (default 8000)
#   SERVE=gunicorn   (or `run --prod`) serve with gunicorn instead of runserver
#   WEB_WORKERS      gunicorn worker processes (default: 1)
#   WEB_THREADS      threads per worker process (default: 4)
#
# `serve` runs with DEBUG off, so Django's production settings apply (tracker/settings.py):
#   SECRET_KEY or SECRET_KEY_FILE  (default: a key generated once into .secret_key)
#   ALLOWED_HOSTS    host names served, comma-separated (default 127.0.0.1,localhost)
#   HTTPS            reached over HTTPS only: secure cookies, HSTS, redirect (default on)
#   BEHIND_TLS_PROXY TLS ends at a proxy that sets X-Forwarded-Proto (default: as HTTPS)
#   TRACKER_LEDGER_KEY_FILE  the tracker's Ed25519 private key (PEM), which signs the ledger's
#                    tree heads; the deploy check refuses the demo's (fixtures/demo_keys/tracker.pem)
#
# Safe to run again: every step checks first and does only what is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="$ROOT/.venv"
PY="$VENV/bin/python"

DB_PORT="${TRACKER_DB_PORT:-54329}"
DB_HOST=127.0.0.1
DB_NAME=tracker
DB_USER=tracker          # the application's role
DB_OWNER=tracker_owner   # owns the database; migrations run as it
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
        # WeasyPrint (the compliance report's PDF) lays text out with Pango, in the DejaVu fonts.
        # gettext: msgfmt compiles the Ukrainian and Russian catalogues (compilemessages).
        pkgs+=(gdal-bin gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
        [ -x "$VENV/bin/python" ] || pkgs+=(python3-venv)
    fi
    [ -z "${DATABASE_URL:-}" ] && pkgs+=(postgresql-15-postgis-3)
    # python3-qgis: the tests open /ogc/ with QGIS's own OAPIF provider (Debian's python3, not the venv).
    # poppler-utils: pdftoppm and pdftotext turn the compliance report into images and text to check.
    [ "$mode" = test ] && pkgs+=(chromium python3-qgis poppler-utils)
    [ "${#pkgs[@]}" -eq 0 ] || install_packages "${pkgs[@]}"
}

# ---------------------------------------------------------------------------
# 2. Virtualenv
# ---------------------------------------------------------------------------

# requirements.txt is what the tracker runs on; requirements-dev.txt adds the tests' and tools'.
requirements_for() {
    case "$1" in
        test|bench) echo "$ROOT/requirements-dev.txt" ;;
        *) echo "$ROOT/requirements.txt" ;;
    esac
}

# ensure_venv MODE : the virtualenv with MODE's requirements, installed again when their file changes.
ensure_venv() {
    local file stamp want
    file="$(requirements_for "$1")"
    [ -f "$file" ] || die "${file#"$ROOT"/} not found"
    if [ ! -x "$PY" ]; then
        log "creating virtualenv .venv"
        python3 -m venv "$VENV"
        "$PY" -m pip install --quiet --upgrade pip
    fi
    stamp="$VENV/.$(basename "$file").sha256"
    want="$(cat "$ROOT/requirements.txt" "$file" | sha256sum | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null || true)" = "$want" ]; then
        return 0
    fi
    log "installing Python packages from ${file#"$ROOT"/}"
    "$PY" -m pip install --quiet -r "$file"
    echo "$want" >"$stamp"
}

# ---------------------------------------------------------------------------
# 3. Database
# ---------------------------------------------------------------------------
# PostgreSQL refuses to run as root, so as root the cluster belongs to and is
# run by the `postgres` system user; otherwise by whoever runs this script.
# Its files live outside the clone, where that user can always reach them
# (a clone in root's home folder is closed to `postgres`), in a folder named
# after the clone's path:
#   as root:  /var/lib/postgresql/tracker-clusters/<clone path>-<hash>/
#   others:   ${XDG_DATA_HOME:-~/.local/share}/tracker-clusters/<clone path>-<hash>/
# holding data/ (the cluster), server.log, and the unix socket.
#
# Roles: the cluster's superuser is named after its system user and logs in
# only over the unix socket, as that user (peer): this script sets up with it.
# Over 127.0.0.1 (trust, no password: a development cluster) only
#   tracker_owner  owns the database, its tables, functions and triggers;
#                  migrate, flush and import_bundle run as it (CREATEDB, so
#                  the tests can create their database)
#   tracker        the role the application runs as: reads and writes rows,
#                  owns nothing, is no superuser (docs/security.md)

PG_OWNER=""   # system user that owns and runs the local cluster
PGROOT=""     # everything of the local cluster lives here
PGDATA_DIR="" # the cluster's data directory
PGLOG=""
LEGACY_PGDATA="$ROOT/.pgdata/data"   # where the cluster was kept before, inside the clone

pg_as_owner() {
    if is_root; then
        (cd / && runuser -u "$PG_OWNER" -- "$@")  # from a folder it may enter
    else
        "$@"
    fi
}

# The cluster's folder: the clone's path made a file name (its last 31
# characters) and a hash of the whole path, so two clones never share one.
cluster_name() {
    local slug hash
    slug="$(printf '%s' "${ROOT#/}" | tr -c 'A-Za-z0-9._-' '-')"
    hash="$(printf '%s' "$ROOT" | sha256sum | cut -c1-8)"
    [ "${#slug}" -le 31 ] || slug="${slug: -31}"
    printf '%s-%s\n' "$slug" "$hash"
}

ensure_pg_owner() {
    local clusters
    if is_root; then
        PG_OWNER=postgres
        if ! id -u postgres >/dev/null 2>&1; then
            log "creating system user postgres"
            useradd --system --user-group --home-dir /var/lib/postgresql \
                --shell /usr/sbin/nologin postgres
        fi
        clusters=/var/lib/postgresql/tracker-clusters
    else
        PG_OWNER="$(id -un)"
        clusters="${XDG_DATA_HOME:-$HOME/.local/share}/tracker-clusters"
    fi
    PGROOT="$clusters/$(cluster_name)"
    PGDATA_DIR="$PGROOT/data"
    PGLOG="$PGROOT/server.log"
    # A unix socket path is limited to 107 bytes, and the set-up logs in through it.
    [ "${#PGROOT}" -le 90 ] || die "the cluster's folder $PGROOT is too long a path for its socket.
       Set XDG_DATA_HOME to a shorter folder, or set DATABASE_URL."
}

ensure_pgroot() {
    [ -d "$PGROOT" ] && return 0
    mkdir -p "$PGROOT"
    chmod 700 "$PGROOT"
    echo "$ROOT" >"$PGROOT/clone"
    is_root && chown -R "$PG_OWNER:" "$PGROOT"
    return 0
}

pg_ready() {
    "$PG_BIN/pg_isready" -q -h "$DB_HOST" -p "$DB_PORT" -t 2 >/dev/null 2>&1
}

init_cluster() {
    [ -f "$PGDATA_DIR/PG_VERSION" ] && return 0
    log "creating local PostgreSQL cluster in $PGROOT"
    pg_as_owner "$PG_BIN/initdb" --pgdata="$PGDATA_DIR" --username="$PG_OWNER" \
        --encoding=UTF8 --locale=C.UTF-8 --auth=reject >/dev/null
    # Local dev/test cluster: on 127.0.0.1 the application's two roles log in
    # without a password (trust) and no other role may; the superuser only
    # over the unix socket, in a folder only its system user may enter.
    # Nothing listens on other addresses.
    printf '%s\n' \
        "# TYPE  DATABASE  USER  ADDRESS  METHOD" \
        "local   all       $PG_OWNER  peer" \
        "host    all       $DB_USER,$DB_OWNER  127.0.0.1/32  trust" >"$PGDATA_DIR/pg_hba.conf"
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

# Rewritten on every start, so a changed TRACKER_DB_PORT takes effect. max_wal_size: a bundle of a
# million lines writes gigabytes of WAL, and at the default 1GB a checkpoint every few seconds makes
# every page written after it be logged whole again.
write_cluster_config() {
    printf '%s\n' \
        "# Written by scripts/bootstrap.sh on each start; edits are overwritten." \
        "listen_addresses = '$DB_HOST'" \
        "port = $DB_PORT" \
        "unix_socket_directories = '$PGROOT'" \
        "max_connections = 200" \
        "shared_buffers = $(shared_buffers_mb)MB" \
        "work_mem = 64MB" \
        "maintenance_work_mem = 512MB" \
        "max_wal_size = 4GB" >"$PGDATA_DIR/tracker.conf"
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
    log "removing stale $pidfile (PID $pid is not a postgres server)"
    rm -f "$pidfile" "$PGROOT/.s.PGSQL.$DB_PORT" "$PGROOT/.s.PGSQL.$DB_PORT.lock"
}

# cluster_running [DATADIR]
cluster_running() {
    [ -f "${1:-$PGDATA_DIR}/PG_VERSION" ] \
        && pg_as_owner "$PG_BIN/pg_ctl" status -D "${1:-$PGDATA_DIR}" >/dev/null 2>&1
}

# The cluster this clone ran inside .pgdata/ before its files moved out (its
# superuser was the application's role) is stopped, and left on disk.
stop_legacy_cluster() {
    cluster_running "$LEGACY_PGDATA" || return 0
    log "stopping the old cluster in .pgdata/: the local cluster now lives in $PGROOT
    (.pgdata/ is no longer used: delete it once you no longer need its data)"
    pg_as_owner "$PG_BIN/pg_ctl" stop -D "$LEGACY_PGDATA" -m fast -w >/dev/null
}

start_cluster() {
    init_cluster
    remove_stale_pidfile
    if cluster_running; then
        local _
        for _ in $(seq 1 20); do pg_ready && return 0; sleep 0.5; done  # may be starting
        die "the cluster in $PGROOT runs, but not on port $DB_PORT
       (another TRACKER_DB_PORT?). Stop it with: make stop"
    fi
    write_cluster_config
    log "starting PostgreSQL on $DB_HOST:$DB_PORT (log: $PGLOG)"
    touch "$PGLOG"
    is_root && chown "$PG_OWNER:" "$PGLOG"
    # 9>&-: the server must not inherit, and so hold for ever, the lock of ensure_database.
    if ! pg_as_owner "$PG_BIN/pg_ctl" start -D "$PGDATA_DIR" -l "$PGLOG" -w -t 60 >/dev/null 9>&-; then
        tail -n 20 "$PGLOG" >&2 || true
        die "PostgreSQL did not start; see $PGLOG"
    fi
}

# psql_admin DB SQL : run SQL as the cluster's superuser, over its unix socket.
psql_admin() {
    pg_as_owner env PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -q -tA -v ON_ERROR_STOP=1 -h "$PGROOT" -p "$DB_PORT" \
        -U "$PG_OWNER" -d "$1" -c "$2"
}

# The two roles, the database owned by tracker_owner, and the extensions
# (which only a superuser may create, as only it may let the owner set the
# session's replication role). They also go into template1, so test
# databases (test_tracker, test_tracker_gw0, ...) are created with them.
ensure_roles_and_db() {
    psql_admin postgres "
        DO \$\$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_OWNER') THEN
            CREATE ROLE $DB_OWNER;
          END IF;
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
            CREATE ROLE $DB_USER;
          END IF;
        END \$\$;
        ALTER ROLE $DB_OWNER LOGIN NOSUPERUSER CREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
        ALTER ROLE $DB_USER LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
        -- A bulk load sets the per-row triggers and foreign-key checks aside for its one big insert
        -- and does their work set-wise (tracker/bundle/declarations.py); the runtime role may not.
        GRANT SET ON PARAMETER session_replication_role TO $DB_OWNER;" \
        >/dev/null || die "could not create the roles $DB_OWNER and $DB_USER"
    if [ -z "$(psql_admin postgres "select 1 from pg_database where datname = '$DB_NAME'")" ]; then
        log "creating database $DB_NAME (owner $DB_OWNER)"
        psql_admin postgres "CREATE DATABASE $DB_NAME OWNER $DB_OWNER" >/dev/null \
            || die "could not create database $DB_NAME"
    fi
    local db
    for db in template1 "$DB_NAME"; do
        psql_admin "$db" "CREATE EXTENSION IF NOT EXISTS postgis;
                          CREATE EXTENSION IF NOT EXISTS btree_gist;" >/dev/null \
            || die "could not create extensions postgis, btree_gist in $db"
    done
    # Whatever the application's role still owns (made before the roles were
    # split) goes to the owner; migrate then grants it back only its rows.
    psql_admin "$DB_NAME" "ALTER DATABASE $DB_NAME OWNER TO $DB_OWNER;
                           REASSIGN OWNED BY $DB_USER TO $DB_OWNER;" >/dev/null \
        || die "could not give $DB_OWNER what $DB_USER owns in $DB_NAME"
}

# A server on the port that is not this clone's cluster (another clone's) is
# used as it is, when its roles are set up as here.
check_other_server() {
    local roles
    roles="$("$PG_BIN/psql" -X -tA -h "$DB_HOST" -p "$DB_PORT" -U "$DB_OWNER" -d "$DB_NAME" -c \
        "select string_agg(rolname || ':' || rolsuper, ' ' order by rolname) from pg_roles
         where rolname in ('$DB_USER', '$DB_OWNER')" 2>/dev/null || true)"
    [ "$roles" = "$DB_USER:false $DB_OWNER:false" ] && return 0
    die "a PostgreSQL server answers on $DB_HOST:$DB_PORT, but it is not this clone's cluster
       and it has no ordinary roles $DB_OWNER and $DB_USER with a database $DB_NAME (a cluster
       made by an older bootstrap.sh, whose superuser is $DB_USER?). Stop that server,
       choose another TRACKER_DB_PORT, or set DATABASE_URL."
}

ensure_database() {
    if [ -n "${DATABASE_URL:-}" ]; then
        log "using DATABASE_URL as given"
        return 0
    fi
    [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL not found in $PG_BIN (set PG_BIN, or DATABASE_URL)"
    ensure_pg_owner
    ensure_pgroot
    stop_legacy_cluster
    {
        # Serialise concurrent starts (two `make test` at once, say).
        flock 9
        if ! pg_ready; then
            start_cluster
            ensure_roles_and_db
        elif [ -S "$PGROOT/.s.PGSQL.$DB_PORT" ]; then
            ensure_roles_and_db
        else
            check_other_server
            log "PostgreSQL already answers on $DB_HOST:$DB_PORT; using it"
        fi
    } 9>"$PGROOT/.bootstrap.lock"
    export DATABASE_URL="postgres://$DB_USER@$DB_HOST:$DB_PORT/$DB_NAME"
    export DATABASE_OWNER="$DB_OWNER"
}

stop_cluster() {
    ensure_pg_owner
    stop_legacy_cluster
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        log "no local cluster in $PGROOT"
        return 0
    fi
    if cluster_running; then
        log "stopping PostgreSQL ($PGROOT)"
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
    ensure_venv "$1"
    compile_messages
    ensure_database
}

# The catalogues' .mo files are built from the .po files in the clone, never kept in it.
compile_messages() {
    (cd "$ROOT" && "$PY" manage.py compilemessages --ignore .venv --ignore staticfiles >/dev/null)
}

# The catalogues brought up to date with the strings the code marks (Python, templates, JavaScript):
# each app's in its locale/ folder, the project's templates/ in locale/.
MESSAGE_OPTIONS=(-l uk -l ru --add-location=file --no-wrap
                 --ignore=.venv --ignore=tests --ignore=bench --ignore=fixtures --ignore=docs --ignore=scripts)
cmd_messages() {
    ensure_venv test
    (cd "$ROOT" && manage makemessages "${MESSAGE_OPTIONS[@]}" \
        && manage makemessages -d djangojs "${MESSAGE_OPTIONS[@]}")
    compile_messages
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
  Log in as admin / admin (demo accounts, local only; officer-ukr, inspector-ukr,
  analyst, monitor… with password demo). Writing roles and admin also give a
  second-factor code: .venv/bin/python manage.py demo_totp prints the current one,
  or add the demo key ORZGKYLUPEWWIZLNN4WW63TMPEWWWZLZ to an authenticator app.

EOF
}

# Hook for serving with gunicorn (SERVE=gunicorn, `run --prod`, `serve`).
serve_gunicorn() {
    local project
    project="$(sed -n "s/.*DJANGO_SETTINGS_MODULE['\"], *['\"]\([A-Za-z0-9_]*\)\.settings.*/\1/p" manage.py | head -n1)"
    [ -n "$project" ] || die "cannot tell the WSGI module from manage.py"
    manage collectstatic --noinput >/dev/null
    # Workers, threads and timeouts: gunicorn.conf.py (WEB_WORKERS and WEB_THREADS override).
    log "gunicorn on 127.0.0.1:$WEB_PORT (gunicorn.conf.py)"
    exec "$VENV/bin/gunicorn" "$project.wsgi" --config "$ROOT/gunicorn.conf.py" --bind "127.0.0.1:$WEB_PORT"
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

# The workers beside the server, stopped when the server stops: the alerts' webhook worker (manage.py
# deliver_alerts; deliveries wait in the database, so a worker stopped half-way loses none) and the
# ledger's daily tree head (manage.py sign_tree_head --daily: a head whenever none was signed for 24 hours).
start_workers() {
    "$PY" "$ROOT/manage.py" deliver_alerts &
    ALERT_WORKER_PID=$!
    log "alerts' webhook worker started (PID $ALERT_WORKER_PID)"
    "$PY" "$ROOT/manage.py" sign_tree_head --daily &
    HEAD_WORKER_PID=$!
    log "daily tree head worker started (PID $HEAD_WORKER_PID)"
    trap 'kill -TERM "$ALERT_WORKER_PID" "$HEAD_WORKER_PID" 2>/dev/null || true; wait "$ALERT_WORKER_PID" "$HEAD_WORKER_PID" 2>/dev/null || true' EXIT
}

cmd_run() {
    local serve="${SERVE:-runserver}"
    [ "${1:-}" = "--prod" ] && serve=gunicorn
    prepare run
    manage migrate --noinput
    manage load_demo
    manage findings_refresh  # the register of findings as of today: their grades, states and periods
    manage ensure_demo_users  # with the demo's published signing keys
    # The demo's records join the ledger signed with those keys, and the tracker signs the first tree head.
    manage build_ledger --sign-with "$ROOT/fixtures/demo_keys" --tree-head
    print_urls
    # The local demo's webhooks may point at a receiver on this machine.
    export ALERT_WEBHOOK_ALLOW_PRIVATE="${ALERT_WEBHOOK_ALLOW_PRIVATE:-true}"
    start_workers
    if [ "$serve" = gunicorn ]; then
        (serve_gunicorn)  # in a subshell: this shell stays, to stop the worker after it
    else
        "$PY" manage.py runserver "127.0.0.1:$WEB_PORT"
    fi
}

cmd_serve() {
    prepare run
    export DEBUG=false
    export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
    ensure_secret_key
    # --database default adds the checks that read the database: no demo account may remain.
    manage check --deploy --database default --fail-level WARNING
    manage migrate --noinput
    serve_gunicorn
}

cmd_test() {
    prepare test
    # For the browser tests: Debian's chromium (Playwright's own download is not used).
    if command -v chromium >/dev/null 2>&1; then
        export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"
    fi
    # pytest-xdist workers, each with its own test database: one more than the cores, since the browser tests,
    # the commands run as subprocesses and PostgreSQL keep a worker waiting. TEST_WORKERS=0 runs in one process.
    exec "$PY" -m pytest -n "${TEST_WORKERS:-$(($(nproc) + 1))}" "$@"
}

cmd_bench() {
    prepare bench
    # Benchmarks fill and empty whole tables (TRUNCATE, ANALYZE, CREATE DATABASE): the owner's work.
    if [ -n "$PGROOT" ]; then
        export DATABASE_URL="postgres://$DB_OWNER@$DB_HOST:$DB_PORT/$DB_NAME"
    fi
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
        messages) cmd_messages ;;
        db)    system_packages db; ensure_database
               log "database: $DATABASE_URL (owner: ${DATABASE_OWNER:-the same role})${PGLOG:+, log: $PGLOG}" ;;
        stop)  stop_cluster ;;
        *)     sed -n '2,38p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
}

main "$@"
