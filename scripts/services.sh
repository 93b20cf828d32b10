#!/usr/bin/env bash
# PostgreSQL and Redis on loopback for Polydesk's tests and single-machine runs.
#   scripts/services.sh up|down|status
# Installs Debian's packages when missing (apt-get), initialises PostgreSQL as the postgres user under
# $POLYDESK_SERVICES_DIR (default: var/services), starts both servers, and prints the URLs to export.
# Idempotent: `up` on running servers only prints the URLs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${POLYDESK_SERVICES_DIR:-$ROOT/var/services}"
PG_PORT="${POLYDESK_PG_PORT:-54329}"
PG_USER="${POLYDESK_PG_USER:-polydesk}"
PG_PASSWORD="${POLYDESK_PG_PASSWORD:-polydesk}"
PG_DB="${POLYDESK_PG_DB:-polydesk}"
REDIS_PORT="${POLYDESK_REDIS_PORT:-63799}"
PG_DATA="$DIR/postgres"
REDIS_DIR="$DIR/redis"

log() { echo "services: $*" >&2; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

pg_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  [ -n "$bin" ] || return 1
  echo "$bin"
}

install_packages() {
  local missing=()
  pg_bin >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

pg_running() { [ -f "$PG_DATA/postmaster.pid" ] && as_postgres "$(pg_bin)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }
redis_running() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; }

pg_up() {
  local bin; bin="$(pg_bin)"
  mkdir -p "$DIR"
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    log "initialising PostgreSQL in $PG_DATA"
    mkdir -p "$PG_DATA" && chown postgres:postgres "$PG_DATA" && chmod 700 "$PG_DATA"
    # the postgres user must be able to reach the data dir through the project path
    local path="$PG_DATA"; while [ "$path" != "/" ]; do path="$(dirname "$path")"; chmod o+x "$path" 2>/dev/null || true; done
    as_postgres "$bin/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! pg_running; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_postgres "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DATA" start >/dev/null
  fi
  local psql=(as_postgres "$bin/psql" -h "$PG_DATA" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'")" != 1 ]; then
    "${psql[@]}" -c "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'"
  fi
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname='$PG_DB'")" != 1 ]; then
    "${psql[@]}" -c "CREATE DATABASE $PG_DB OWNER $PG_USER"
  fi
}

redis_up() {
  mkdir -p "$REDIS_DIR"
  if ! redis_running; then
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --daemonize yes \
      --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --save "" --appendonly no
    for _ in $(seq 50); do redis_running && break; sleep 0.1; done
    redis_running || { log "Redis did not start, see $REDIS_DIR/redis.log"; exit 1; }
  fi
}

urls() {
  echo "DATABASE_URL=postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
  echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

case "${1:-}" in
  up)
    install_packages
    pg_up
    redis_up
    urls
    ;;
  down)
    if pg_bin >/dev/null && pg_running; then
      log "stopping PostgreSQL"; as_postgres "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    fi
    if redis_running; then log "stopping Redis"; redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave || true; fi
    ;;
  status)
    if pg_bin >/dev/null && pg_running; then echo "postgresql: running on 127.0.0.1:$PG_PORT"; else echo "postgresql: stopped"; fi
    if command -v redis-cli >/dev/null && redis_running; then echo "redis: running on 127.0.0.1:$REDIS_PORT"; else echo "redis: stopped"; fi
    if pg_bin >/dev/null && pg_running && redis_running; then urls; fi
    ;;
  *)
    echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
