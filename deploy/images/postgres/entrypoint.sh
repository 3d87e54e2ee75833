#!/bin/bash
# On the first start (empty PGDATA): initdb, a temporary server reachable only on the
# unix socket creates POSTGRES_DB and runs /docker-entrypoint-initdb.d, then it stops
# and the real server takes over. Clients (and Testcontainers, which waits for the
# "ready to accept connections" line twice) can only connect to the real one.
set -Eeuo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

log() { printf 'entrypoint: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# VAR, or VAR_FILE naming a file that holds the value (a mounted secret).
file_env() {
  local var="$1" default="${2:-}" file_var="${1}_FILE" value
  if [[ -n "${!var:-}" && -n "${!file_var:-}" ]]; then
    die "both $var and $file_var are set"
  fi
  value="$default"
  if [[ -n "${!var:-}" ]]; then
    value="${!var}"
  elif [[ -n "${!file_var:-}" ]]; then
    value="$(<"${!file_var}")"
  fi
  export "$var=$value"
  unset "$file_var"
}

init_cluster() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  [[ -n "$POSTGRES_PASSWORD" ]] || die "POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) must be set"
  [[ "$POSTGRES_PASSWORD" != *$'\n'* ]] || die "POSTGRES_PASSWORD must be a single line"
  [[ -w "$PGDATA" ]] || die "$PGDATA is not writable by uid $(id -u)"

  local extra_args=()
  read -r -a extra_args <<<"${POSTGRES_INITDB_ARGS:-}"
  # The password travels through a pipe, never through a command line.
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 "${extra_args[@]}"

  cat >>"$PGDATA/postgresql.conf" <<'EOF'

# tenantplane image
listen_addresses = '*'
port = 5432
password_encryption = scram-sha-256
EOF
  cat >"$PGDATA/pg_hba.conf" <<'EOF'
# TYPE  DATABASE     USER  ADDRESS  METHOD
local   all          all            trust
local   replication  all            trust
host    all          all   all      scram-sha-256
host    replication  all   all      scram-sha-256
EOF

  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w -t 60 start

  local psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$POSTGRES_USER")
  if [[ "$POSTGRES_DB" != postgres ]]; then
    "${psql[@]}" --dbname postgres -v db="$POSTGRES_DB" -v owner="$POSTGRES_USER" <<'EOF'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
EOF
  fi

  local f
  shopt -s nullglob
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql)
        log "running $f"
        "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f"
        ;;
      *.sql.gz)
        log "running $f"
        gzip -dc "$f" | "${psql[@]}" --dbname "$POSTGRES_DB"
        ;;
      *.sh)
        log "running $f"
        if [[ -x "$f" ]]; then
          "$f"
        else
          # shellcheck disable=SC1090
          source "$f"
        fi
        ;;
      *) log "ignoring $f" ;;
    esac
  done
  shopt -u nullglob

  pg_ctl -D "$PGDATA" -m fast -w stop
  log "PostgreSQL init process complete; ready for start up."
}

if [[ "${1:-}" == -* ]]; then
  set -- postgres "$@"
fi

if [[ "${1:-}" == postgres ]]; then
  if [[ "$(id -u)" == 0 ]]; then
    # Run as root (e.g. with a bind-mounted data folder): hand the data to postgres
    # and continue as that user.
    mkdir -p "$PGDATA"
    find "$PGDATA" \! -user postgres -exec chown postgres:postgres {} +
    chmod 0700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
  fi
  if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
    init_cluster
  else
    log "PostgreSQL data found in $PGDATA; skipping initialisation"
  fi
  unset POSTGRES_PASSWORD
fi

exec "$@"
