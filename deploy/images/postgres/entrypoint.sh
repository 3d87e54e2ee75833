#!/bin/bash
# What a start does depends on what PGDATA holds:
#  - The image's template (TEMPLATE_MARKER present): a data directory initialised when the
#    image was built, which Docker copied into the container's new, empty volume. The first
#    start personalises it, without initdb: a single-user backend, fed constant SQL on stdin
#    and the settings as data through a pipe, renames the bootstrap superuser to POSTGRES_USER,
#    sets its password and renames the template's database to POSTGRES_DB. Only when
#    /docker-entrypoint-initdb.d holds scripts does a temporary server (unix socket only) run
#    them. The data is flushed to disk, the marker removed, then the real server starts.
#  - Nothing (a bind mount, a tmpfs, a volume mounted without the copy), or the template while
#    POSTGRES_INITDB_ARGS is set (it was made without them): initdb, then a temporary server
#    reachable only on the unix socket creates POSTGRES_DB and runs /docker-entrypoint-initdb.d,
#    then it stops and the real server takes over.
#  - A personalised data directory (a restart, an existing volume): the server starts.
# Either way clients can only reach the real server over TCP, once it is ready.
set -Eeuo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

# In PGDATA while it is the image's template, not yet personalised.
readonly TEMPLATE_MARKER=tenantplane-template
# The template's database, renamed to POSTGRES_DB on the first start.
readonly TEMPLATE_DATABASE=tenantplane_template
readonly INIT_SCRIPTS_DIR=/docker-entrypoint-initdb.d

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

read_settings() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  [[ -n "$POSTGRES_PASSWORD" ]] || die "POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) must be set"
  [[ "$POSTGRES_PASSWORD" != *$'\n'* ]] || die "POSTGRES_PASSWORD must be a single line"
  [[ -w "$PGDATA" ]] || die "$PGDATA is not writable by uid $(id -u)"
}

# initdb with the image's settings, then its configuration. Extra initdb options follow.
init_data_dir() {
  initdb --encoding=UTF8 --locale=C.UTF-8 "$@"

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
}

temp_server_start() {
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w -t 60 start
}

temp_server_stop() {
  pg_ctl -D "$PGDATA" -m fast -w stop
}

# The scripts of INIT_SCRIPTS_DIR, in order, against a running temporary server.
run_init_scripts() {
  local psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$POSTGRES_USER")
  local f
  for f in "$@"; do
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
}

# At image build time, into the image's empty PGDATA: the template, owned by the bootstrap
# superuser "postgres" (no password), with the database that becomes POSTGRES_DB.
build_template() {
  [[ -z "$(ls -A "$PGDATA")" ]] || die "$PGDATA is not empty"
  # Trust only until pg_hba.conf is replaced, right after.
  init_data_dir --username=postgres --auth=trust --no-instructions
  postgres --single -D "$PGDATA" -c exit_on_error=on -c log_checkpoints=off postgres >/dev/null <<EOF
CREATE DATABASE $TEMPLATE_DATABASE
EOF
  printf '%s\n' "This data directory is the image's template. The entrypoint personalises it on the" \
    "first start (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB), then removes this file." \
    >"$PGDATA/$TEMPLATE_MARKER"
}

# One field of COPY's text format: backslash, tab, newline and carriage return escaped (nothing
# else is special there).
copy_text() {
  local v="${1//\\/\\\\}"
  v="${v//$'\t'/\\t}"
  v="${v//$'\n'/\\n}"
  printf '%s' "${v//$'\r'/\\r}"
}

personalise_template() {
  read_settings
  # The settings reach the backend as data: a COPY row read from the pipe on descriptor 3, so
  # the password is on no command line, the SQL is constant and format() quotes every name and
  # literal. Terse errors: a failing statement's context would quote it. The DO block is one
  # transaction; run again (after a first start that failed), it finishes the job. A
  # single-user backend runs as the bootstrap superuser, and the session user cannot be
  # renamed: a transient superuser renames it. The template's database is TEMPLATE_DATABASE.
  {
    cat <<'EOF'
CREATE TEMPORARY TABLE settings (role_name text, password text, database_name text);

COPY settings FROM '/dev/fd/3';

DO $personalise$
DECLARE
  s settings;
  bootstrap name;
  transient text := 'entrypoint_' || md5(random()::text);
BEGIN
  SELECT * INTO STRICT s FROM settings;
  SELECT rolname INTO STRICT bootstrap FROM pg_authid WHERE oid = 10;
  IF bootstrap <> s.role_name THEN
    EXECUTE format('CREATE ROLE %I SUPERUSER', transient);
    EXECUTE format('SET SESSION AUTHORIZATION %I', transient);
    EXECUTE format('ALTER ROLE %I RENAME TO %I', bootstrap, s.role_name);
    EXECUTE format('SET SESSION AUTHORIZATION %I', s.role_name);
    EXECUTE format('DROP ROLE %I', transient);
  END IF;
  EXECUTE format('ALTER ROLE %I PASSWORD %L', s.role_name, s.password);
  IF NOT EXISTS (SELECT FROM pg_database WHERE datname = s.database_name) THEN
    EXECUTE format('ALTER DATABASE tenantplane_template RENAME TO %I', s.database_name);
  END IF;
END
$personalise$;

EOF
    # POSTGRES_DB named a database that was there already (postgres, template1).
    if [[ "$POSTGRES_DB" != "$TEMPLATE_DATABASE" ]]; then
      printf 'DROP DATABASE IF EXISTS %s;\n' "$TEMPLATE_DATABASE"
    fi
  } | postgres --single -j -D "$PGDATA" \
    -c exit_on_error=on -c log_error_verbosity=terse -c log_checkpoints=off postgres \
    >/dev/null \
    3< <(
      copy_text "$POSTGRES_USER"
      printf '\t'
      copy_text "$POSTGRES_PASSWORD"
      printf '\t'
      copy_text "$POSTGRES_DB"
      printf '\n'
    )

  local scripts=()
  shopt -s nullglob
  scripts=("$INIT_SCRIPTS_DIR"/*)
  shopt -u nullglob
  if ((${#scripts[@]} > 0)); then
    temp_server_start
    run_init_scripts "${scripts[@]}"
    temp_server_stop
  fi
  # Docker's copy of the template reached the page cache only. One flush of the file system
  # (far cheaper than initdb's fsync of every file), then the marker goes, durably.
  sync -f "$PGDATA"
  rm "$PGDATA/$TEMPLATE_MARKER"
  sync "$PGDATA"
  log "PostgreSQL template personalised; ready for start up."
}

init_cluster() {
  read_settings

  local extra_args=()
  read -r -a extra_args <<<"${POSTGRES_INITDB_ARGS:-}"
  # The password travels through a pipe, never through a command line.
  init_data_dir --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local=trust --auth-host=scram-sha-256 "${extra_args[@]}"

  temp_server_start

  if [[ "$POSTGRES_DB" != postgres ]]; then
    psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$POSTGRES_USER" \
      --dbname postgres -v db="$POSTGRES_DB" -v owner="$POSTGRES_USER" <<'EOF'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
EOF
  fi

  local scripts=()
  shopt -s nullglob
  scripts=("$INIT_SCRIPTS_DIR"/*)
  shopt -u nullglob
  run_init_scripts "${scripts[@]}"

  temp_server_stop
  log "PostgreSQL init process complete; ready for start up."
}

if [[ "${1:-}" == build-template && "$#" == 1 ]]; then
  build_template
  exit 0
fi

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
  if [[ -e "$PGDATA/$TEMPLATE_MARKER" && -n "${POSTGRES_INITDB_ARGS:-}" ]]; then
    log "POSTGRES_INITDB_ARGS is set: replacing the image's template with a new initdb"
    find "$PGDATA" -mindepth 1 -delete
  fi
  if [[ -e "$PGDATA/$TEMPLATE_MARKER" ]]; then
    personalise_template
  elif [[ ! -s "$PGDATA/PG_VERSION" ]]; then
    init_cluster
  else
    log "PostgreSQL data found in $PGDATA; skipping initialisation"
  fi
  unset POSTGRES_PASSWORD
fi

exec "$@"
