#!/usr/bin/env bash
# Local PostgreSQL and RabbitMQ for the real-infrastructure test tier, without Docker or systemd.
#
#   scripts/infra.sh up                 install what is missing, start both, create role/user and databases
#   scripts/infra.sh down               stop both (best effort)
#   scripts/infra.sh status             say whether each is up
#   scripts/infra.sh rabbit-stop-app    rabbitmqctl stop_app (the node stays, the broker is gone)
#   scripts/infra.sh rabbit-start-app   rabbitmqctl start_app, then wait for startup
#   scripts/infra.sh rabbit-kill        kill -9 the broker's beam.smp
#   scripts/infra.sh rabbit-start       start the broker again and wait
#
# `up` does nothing when TEST_DATABASE_URL_BASE and TEST_AMQP_URL are both set (servers given
# from outside). It is idempotent and takes a couple of seconds when everything already runs.
# Environment knobs: PG_DURABLE=1 (keep fsync; default off for throwaway test data), PG_VERSION (default 15, else the newest installed), PG_CLUSTER (main),
# RABBIT_LOG (/tmp/rabbitmq-server.log), RABBIT_TIMEOUT (60 s), RABBIT_MANAGEMENT=1 to enable the
# management plugin (HTTP UI on :15672; about 2.5 s more per broker start, so off by default).
set -euo pipefail

export PATH="$PATH:/usr/sbin:/sbin"
export LC_ALL=C.UTF-8 LANG=C.UTF-8

APP_USER=platform
APP_PASSWORD=platform
DATABASES=(intake review subsidy permits directory)
PG_CLUSTER=${PG_CLUSTER:-main}
RABBIT_LOG=${RABBIT_LOG:-/tmp/rabbitmq-server.log}
RABBIT_MANAGEMENT=${RABBIT_MANAGEMENT:-0}
RABBIT_HOME=/var/lib/rabbitmq
RABBIT_TIMEOUT=${RABBIT_TIMEOUT:-60}
LOCK_FILE=/tmp/platform-infra.lock

if [[ $EUID -eq 0 ]]; then SUDO=(); else SUDO=(sudo -n); fi

log() { printf 'infra: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# One `up`/`down`/... at a time. Daemons started below close fd 9 so they never hold the lock.
take_lock() {
    exec 9>"$LOCK_FILE"
    flock -w 180 9 || die "another scripts/infra.sh is still running (lock $LOCK_FILE)"
}

# ---------------------------------------------------------------- installation

pg_version() {
    if [[ -n ${PG_VERSION:-} ]]; then echo "$PG_VERSION"; return; fi
    if [[ -x /usr/lib/postgresql/15/bin/postgres ]]; then echo 15; return; fi
    local dir newest=0
    for dir in /usr/lib/postgresql/*/bin/postgres; do
        [[ -x $dir ]] || continue
        dir=${dir#/usr/lib/postgresql/}
        dir=${dir%%/*}
        if [[ $dir =~ ^[0-9]+$ ]] && ((dir > newest)); then newest=$dir; fi
    done
    if ((newest)); then echo "$newest"; else echo 15; fi  # none yet: apt installs Debian 12's 15
}

ensure_installed() {
    local missing=()
    [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || missing+=(rabbitmq-server)
    if ! command -v pg_ctlcluster >/dev/null || [[ ! -x /usr/lib/postgresql/$(pg_version)/bin/postgres ]]; then
        missing+=(postgresql)
    fi
    ((${#missing[@]})) || return 0
    log "installing ${missing[*]} (apt-get; log in /tmp/infra-apt.log)"
    export DEBIAN_FRONTEND=noninteractive
    if ! { "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq rabbitmq-server postgresql; } \
        >/tmp/infra-apt.log 2>&1 9>&- </dev/null; then
        tail -n 30 /tmp/infra-apt.log >&2
        die "apt-get install failed"
    fi
}

# ---------------------------------------------------------------- PostgreSQL

as_postgres() { "${SUDO[@]}" runuser -u postgres -- "$@"; }
psql_admin() { as_postgres psql -X -q -At -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"; }

pg_cluster_line() { pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v c="$PG_CLUSTER" '$1 == v && $2 == c'; }

pg_up() {
    local v line
    v=$(pg_version)
    line=$(pg_cluster_line "$v")
    if [[ -z $line ]]; then
        log "creating PostgreSQL $v cluster $PG_CLUSTER"
        "${SUDO[@]}" pg_createcluster --locale C.UTF-8 "$v" "$PG_CLUSTER" >/tmp/infra-pg.log 2>&1 9>&- </dev/null \
            || { cat /tmp/infra-pg.log >&2; die "pg_createcluster failed"; }
        line=$(pg_cluster_line "$v")
    fi
    PG_PORT=$(awk '{print $3}' <<<"$line")
    if [[ $(awk '{print $4}' <<<"$line") != online* ]]; then
        log "starting PostgreSQL $v/$PG_CLUSTER on port $PG_PORT"
        "${SUDO[@]}" install -d -o postgres -g postgres -m 2775 /var/run/postgresql
        "${SUDO[@]}" pg_ctlcluster "$v" "$PG_CLUSTER" start >/tmp/infra-pg.log 2>&1 9>&- </dev/null \
            || { cat /tmp/infra-pg.log >&2; die "pg_ctlcluster start failed"; }
    fi
    local i
    for ((i = 0; i < 60; i++)); do
        pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
        sleep 0.5
    done
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" || die "PostgreSQL is not accepting connections on 127.0.0.1:$PG_PORT"
    [[ $PG_PORT == 5432 ]] || log "warning: PostgreSQL listens on port $PG_PORT, not 5432"

    psql_admin <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$APP_USER') THEN
        CREATE ROLE $APP_USER;
    END IF;
END
\$\$;
ALTER ROLE $APP_USER LOGIN SUPERUSER CREATEDB PASSWORD '$APP_PASSWORD';
SQL
    # Durability: the suite's databases are thrown away after each test, so the cluster skips fsync
    # (CREATE/DROP DATABASE and every commit stop waiting on the disk). PG_DURABLE=1 (make bench,
    # make chaos) puts the defaults back, so that published figures are those of a durable server.
    local setting
    for setting in fsync full_page_writes synchronous_commit; do
        if [[ ${PG_DURABLE:-0} == 1 ]]; then
            psql_admin -c "ALTER SYSTEM RESET $setting"
        else
            psql_admin -c "ALTER SYSTEM SET $setting = off"
        fi
    done
    psql_admin -c "SELECT pg_reload_conf()" >/dev/null
    local existing db
    existing=$(psql_admin -c "SELECT datname FROM pg_database")
    for db in "${DATABASES[@]}"; do
        grep -qx "$db" <<<"$existing" || psql_admin -c "CREATE DATABASE $db OWNER $APP_USER"
    done
}

pg_down() {
    local v line
    v=$(pg_version)
    command -v pg_lsclusters >/dev/null || return 0
    line=$(pg_cluster_line "$v")
    if [[ $(awk '{print $4}' <<<"$line") == online* ]]; then
        log "stopping PostgreSQL $v/$PG_CLUSTER"
        "${SUDO[@]}" pg_ctlcluster "$v" "$PG_CLUSTER" stop -m fast >/dev/null 2>&1 || true
    fi
}

pg_status() {
    local v line port
    v=$(pg_version)
    line=
    if command -v pg_lsclusters >/dev/null; then line=$(pg_cluster_line "$v"); fi
    port=$(awk '{print $3}' <<<"$line")
    if [[ -n $port ]] && pg_isready -q -h 127.0.0.1 -p "$port"; then
        echo "postgresql: up (PostgreSQL $v/$PG_CLUSTER, 127.0.0.1:$port)"
    else
        echo "postgresql: down"
        return 1
    fi
}

# ---------------------------------------------------------------- RabbitMQ

ctl() { "${SUDO[@]}" rabbitmqctl "$@"; }

rabbit_ping() { "${SUDO[@]}" rabbitmq-diagnostics -q ping >/dev/null 2>&1; }

# The node's beam.smp pid from its pid file, if that process is alive and really beam.
rabbit_beam_pid() {
    local file pid
    for file in "$RABBIT_HOME"/mnesia/rabbit@*.pid; do
        [[ -f $file ]] || continue
        pid=$(tr -dc '0-9' <"$file")
        [[ -n $pid && -r /proc/$pid/comm && $(cat "/proc/$pid/comm") == beam.smp ]] || continue
        echo "$pid"
        return 0
    done
    # No usable pid file: the rabbitmq user's beam (exactly one expected on this machine).
    pid=$(pgrep -u rabbitmq -x beam.smp | head -n 1 || true)
    [[ -z $pid ]] || echo "$pid"
}

rabbit_port_open() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

rabbit_sync_cookie() {
    # rabbitmqctl run as root (through the Debian wrapper or directly) must share the node's cookie.
    [[ $EUID -eq 0 && -f $RABBIT_HOME/.erlang.cookie ]] || return 0
    if ! cmp -s "$RABBIT_HOME/.erlang.cookie" "$HOME/.erlang.cookie"; then
        install -m 400 "$RABBIT_HOME/.erlang.cookie" "$HOME/.erlang.cookie"
    fi
}

rabbit_boot_state() { ctl eval 'rabbit_boot_state:get().' 2>/dev/null || true; }

rabbit_launch() {
    if [[ $RABBIT_MANAGEMENT == 1 ]] && ! grep -qs rabbitmq_management /etc/rabbitmq/enabled_plugins; then
        "${SUDO[@]}" rabbitmq-plugins enable --offline rabbitmq_management >/dev/null
    fi
    log "starting RabbitMQ (log: $RABBIT_LOG)"
    "${SUDO[@]}" install -d -o rabbitmq -g rabbitmq /var/log/rabbitmq "$RABBIT_HOME"
    # The Debian wrapper switches to the rabbitmq user (HOME=/var/lib/rabbitmq) when run as root.
    # Own session, no inherited stdio or lock fd: callers capturing our output must not hang.
    ( cd "$RABBIT_HOME" && exec setsid nohup "${SUDO[@]}" rabbitmq-server ) >>"$RABBIT_LOG" 2>&1 </dev/null 9>&- &
    RABBIT_LAUNCHER=$!
    disown
}

rabbit_fail() {
    tail -n 30 "$RABBIT_LOG" >&2 2>/dev/null || true
    die "$* (logs: $RABBIT_LOG, /var/log/rabbitmq/)"
}

# Make the broker serve: launch the node if there is none, start the application if it was
# stopped (stop_app), and wait until it has fully booted. A node still halting from a previous
# `rabbitmqctl stop` is waited out before a new one is launched.
rabbit_start() {
    local state started_app='' deadline=$((SECONDS + RABBIT_TIMEOUT))
    RABBIT_LAUNCHER=
    while :; do
        state=$(rabbit_boot_state)
        case $state in
            ready)
                return 0 ;;
            stopped)
                if [[ -z $RABBIT_LAUNCHER && -z $started_app ]]; then
                    log "RabbitMQ node is up but its application is stopped: start_app"
                    started_app=1
                    ctl start_app >/dev/null 2>&1 || true  # blocks until booted; re-checked above
                fi ;;
            "")  # node unreachable: not launched yet, still registering with epmd, or halting
                if [[ -n $RABBIT_LAUNCHER ]]; then
                    [[ -d /proc/$RABBIT_LAUNCHER ]] || rabbit_fail "RabbitMQ exited during startup"
                elif [[ -z $(rabbit_beam_pid) ]]; then
                    rabbit_launch
                fi ;;
        esac  # anything else: booting
        ((SECONDS < deadline)) || rabbit_fail "RabbitMQ did not become ready within ${RABBIT_TIMEOUT}s"
        sleep 0.5
    done
}

rabbit_up() {
    rabbit_start
    rabbit_sync_cookie
    local perms
    perms=$(ctl list_permissions -q --no-table-headers -p / 2>/dev/null || true)
    if ! grep -Eq "^${APP_USER}[[:space:]]+\.\*[[:space:]]+\.\*[[:space:]]+\.\*[[:space:]]*$" <<<"$perms"; then
        log "creating RabbitMQ user $APP_USER"
        ctl add_user "$APP_USER" "$APP_PASSWORD" >/dev/null 2>&1 || ctl change_password "$APP_USER" "$APP_PASSWORD" >/dev/null
        ctl set_user_tags "$APP_USER" administrator >/dev/null
        ctl set_permissions -p / "$APP_USER" '.*' '.*' '.*' >/dev/null
    fi
}

rabbit_down() {
    command -v rabbitmqctl >/dev/null || return 0
    local pid
    pid=$(rabbit_beam_pid || true)
    [[ -n $pid ]] || return 0
    log "stopping RabbitMQ"
    ctl stop >/dev/null 2>&1 || "${SUDO[@]}" kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 60; i++)); do
        [[ -d /proc/$pid ]] || return 0
        sleep 0.5
    done
    log "RabbitMQ did not stop in 30s; killing beam pid $pid"
    "${SUDO[@]}" kill -KILL "$pid" 2>/dev/null || true
}

rabbit_kill() {
    local pid
    pid=$(rabbit_beam_pid || true)
    [[ -n $pid ]] || die "no RabbitMQ beam.smp process found"
    log "kill -9 RabbitMQ beam.smp pid $pid"
    "${SUDO[@]}" kill -KILL "$pid"
    local i
    for ((i = 0; i < 40; i++)); do
        [[ -d /proc/$pid ]] || return 0
        sleep 0.25
    done
    die "beam.smp pid $pid survived kill -9"
}

rabbit_status() {
    if rabbit_ping && rabbit_port_open; then
        echo "rabbitmq: up (127.0.0.1:5672)"
    elif [[ -n $(rabbit_beam_pid || true) ]]; then
        echo "rabbitmq: node running, broker application not serving"
        return 1
    else
        echo "rabbitmq: down"
        return 1
    fi
}

# ---------------------------------------------------------------- commands

external() { [[ -n ${TEST_DATABASE_URL_BASE:-} && -n ${TEST_AMQP_URL:-} ]]; }

cmd=${1:-}
case $cmd in
    up)
        if external; then
            log "TEST_DATABASE_URL_BASE and TEST_AMQP_URL are set: using those servers, starting nothing"
            exit 0
        fi
        take_lock
        ensure_installed
        pg_up
        rabbit_up
        echo "TEST_DATABASE_URL_BASE=postgresql+asyncpg://$APP_USER:$APP_PASSWORD@127.0.0.1:$PG_PORT"
        echo "TEST_AMQP_URL=amqp://$APP_USER:$APP_PASSWORD@127.0.0.1:5672/"
        ;;
    down)
        take_lock
        rabbit_down
        pg_down
        ;;
    status)
        rc=0
        pg_status || rc=1
        rabbit_status || rc=1
        exit $rc
        ;;
    rabbit-stop-app)
        take_lock
        ctl stop_app >/dev/null
        ;;
    rabbit-start-app)
        take_lock
        ctl start_app >/dev/null
        rabbit_start
        ;;
    rabbit-kill)
        take_lock
        rabbit_kill
        ;;
    rabbit-start)
        take_lock
        rabbit_start
        ;;
    *)
        echo "usage: $0 {up|down|status|rabbit-stop-app|rabbit-start-app|rabbit-kill|rabbit-start}" >&2
        exit 2
        ;;
esac
