#!/usr/bin/env bash
# Isolation matrix over two READY customers A and B of the running platform:
#   network   A's app and worker cannot open a TCP connection to any of B's containers,
#             by name or by address (and, as a control, do reach A's own database);
#   database  A's roles cannot log in to B's database, and B's to A's;
#   redis     A's password does not open B's Redis;
#   rls       inside A's database, the app role sees only the organization of its context,
#             nothing without one, and cannot write into another organization.
# Every attempt that should fail and does not counts as reachable; the last line reads
# `isolation: reachable = R of N` and the exit status is non-zero unless R is 0.
#
#   deploy/proof/isolation.sh A B
set -euo pipefail
cd "$(dirname "$0")/../.."

A="${1:?usage: isolation.sh CUSTOMER_A CUSTOMER_B}"
B="${2:?usage: isolation.sh CUSTOMER_A CUSTOMER_B}"
TCP_TIMEOUT=4
attempts=0
reachable=0
control_failures=0

env_value() { sed -n "s/^$2=//p" "customers/$1/.env"; }
host_port() { env_value "$1" "$2"; }
address_of() {
  docker inspect -f "{{(index .NetworkSettings.Networks \"network-$1\").IPAddress}}" "$2"
}

# blocked WHAT COMMAND...: the command must fail; it succeeding is a breach.
blocked() {
  local what="$1"
  shift
  attempts=$((attempts + 1))
  if "$@" >/dev/null 2>&1; then
    reachable=$((reachable + 1))
    printf 'REACHABLE  %s\n' "$what"
  fi
}

# allowed WHAT COMMAND...: a control that must succeed, or the matrix proves nothing.
allowed() {
  local what="$1"
  shift
  if ! "$@" >/dev/null 2>&1; then
    control_failures=$((control_failures + 1))
    printf 'CONTROL FAILED  %s\n' "$what"
  fi
}

# tcp FROM_CONTAINER HOST PORT: opens a TCP connection from inside a container (bash's
# /dev/tcp; the tenant image has no nc). The host's timeout bounds a silently dropped SYN.
tcp() {
  timeout "$TCP_TIMEOUT" docker exec "$1" bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null
}

psql_as() {
  local password="$1" port="$2" user="$3" database="$4" sql="$5"
  PGPASSWORD="$password" PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -p "$port" -U "$user" -d "$database" \
    -v ON_ERROR_STOP=1 -qtAc "$sql"
}

for id in "$A" "$B"; do
  [[ -r "customers/$id/.env" ]] || { echo "no customers/$id/.env: is $id provisioned?" >&2; exit 2; }
done

# --- network ------------------------------------------------------------------------------
declare -A PORT_IN_CONTAINER=([db]=5432 [redis]=6379 [app]=3000 [worker]=3000)
allowed "app-$A reaches its own db-$A:5432" tcp "app-$A" "db-$A" 5432
for from in app worker; do
  for to in db redis app worker; do
    port="${PORT_IN_CONTAINER[$to]}"
    blocked "$from-$A -> $to-$B:$port by name" tcp "$from-$A" "$to-$B" "$port"
    blocked "$from-$A -> $to-$B:$port by address" tcp "$from-$A" "$(address_of "$B" "$to-$B")" "$port"
  done
done

# --- database -----------------------------------------------------------------------------
declare -A OWNER_PASSWORD APP_PASSWORD DB_PORT OWNER APP_ROLE DATABASE REDIS_PASSWORD REDIS_PORT
for id in "$A" "$B"; do
  OWNER_PASSWORD[$id]="$(env_value "$id" DB_PASSWORD)"
  APP_PASSWORD[$id]="$(env_value "$id" DB_APP_PASSWORD)"
  OWNER[$id]="$(env_value "$id" DB_USER)"
  APP_ROLE[$id]="$(env_value "$id" DB_APP_USER)"
  DATABASE[$id]="$(env_value "$id" DB_NAME)"
  DB_PORT[$id]="$(host_port "$id" DB_HOST_PORT)"
  REDIS_PASSWORD[$id]="$(env_value "$id" REDIS_PASSWORD)"
  REDIS_PORT[$id]="$(host_port "$id" REDIS_HOST_PORT)"
done
allowed "$A's owner logs in to its own database" \
  psql_as "${OWNER_PASSWORD[$A]}" "${DB_PORT[$A]}" "${OWNER[$A]}" "${DATABASE[$A]}" "SELECT 1"
for pair in "$A $B" "$B $A"; do
  read -r from to <<<"$pair"
  for role in owner app; do
    if [[ $role == owner ]]; then user="${OWNER[$from]}" password="${OWNER_PASSWORD[$from]}"; else user="${APP_ROLE[$from]}" password="${APP_PASSWORD[$from]}"; fi
    blocked "$from's $role role logs in to $to's database (as itself)" \
      psql_as "$password" "${DB_PORT[$to]}" "$user" "${DATABASE[$to]}" "SELECT 1"
    blocked "$from's $role password opens $to's $role role" \
      psql_as "$password" "${DB_PORT[$to]}" "$([[ $role == owner ]] && echo "${OWNER[$to]}" || echo "${APP_ROLE[$to]}")" "${DATABASE[$to]}" "SELECT 1"
  done
done

# --- redis --------------------------------------------------------------------------------
redis_ping() { REDISCLI_AUTH="$1" timeout 5 redis-cli -h 127.0.0.1 -p "$2" --no-auth-warning PING | grep -qx PONG; }
allowed "$A's Redis answers its own password" redis_ping "${REDIS_PASSWORD[$A]}" "${REDIS_PORT[$A]}"
blocked "$A's Redis password opens $B's Redis" redis_ping "${REDIS_PASSWORD[$A]}" "${REDIS_PORT[$B]}"
blocked "$B's Redis password opens $A's Redis" redis_ping "${REDIS_PASSWORD[$B]}" "${REDIS_PORT[$A]}"
blocked "$B's Redis without a password" redis_ping "" "${REDIS_PORT[$B]}"

# --- row-level security inside A ----------------------------------------------------------
owner_sql() { psql_as "${OWNER_PASSWORD[$A]}" "${DB_PORT[$A]}" "${OWNER[$A]}" "${DATABASE[$A]}" "$1"; }
# app_sql ORG SQL: SQL as A's app role, in ORG's context when ORG is not empty (a session
# setting: each call is a connection of its own; the SET prints nothing under -q).
app_sql() {
  local context=""
  [[ -z "$1" ]] || context="SET app.current_org = '$1'; "
  psql_as "${APP_PASSWORD[$A]}" "${DB_PORT[$A]}" "${APP_ROLE[$A]}" "${DATABASE[$A]}" "$context$2"
}
app_sees() { [[ -n "$(app_sql "$1" "$2")" ]]; }
app_counts() { [[ "$(app_sql "$1" "$2")" == "$3" ]]; }

owner_sql "INSERT INTO organizations (name, slug) VALUES ('Isolation Proof', 'isolation-proof')
           ON CONFLICT (slug) DO NOTHING" >/dev/null
ORG1="$(owner_sql "SELECT id FROM organizations WHERE slug = 'customer-default'")"
ORG2="$(owner_sql "SELECT id FROM organizations WHERE slug = 'isolation-proof'")"
app_sql "$ORG2" "INSERT INTO contacts (name) VALUES ('proof contact')" >/dev/null

allowed "the app role sees exactly its own organization" \
  app_counts "$ORG1" "SELECT count(*) FROM organizations" 1
allowed "the app role sees its own organization's contacts" \
  app_sees "$ORG2" "SELECT 1 FROM contacts"
blocked "the app role sees another organization's row" \
  app_sees "$ORG1" "SELECT 1 FROM organizations WHERE id = '$ORG2'"
blocked "the app role sees another organization's contacts" \
  app_sees "$ORG1" "SELECT 1 FROM contacts WHERE organization_id = '$ORG2'"
blocked "the app role sees any row without an organization context" \
  app_sees "" "SELECT 1 FROM organizations UNION ALL SELECT 1 FROM contacts"
blocked "the app role inserts a contact into another organization" \
  app_sql "$ORG1" "INSERT INTO contacts (organization_id, name) VALUES ('$ORG2', 'intruder')"
blocked "the app role moves a contact into another organization" \
  app_sees "$ORG2" "UPDATE contacts SET organization_id = '$ORG1' RETURNING id"
blocked "the app role creates an organization" \
  app_sql "$ORG1" "INSERT INTO organizations (name, slug) VALUES ('x', 'x-org')"

printf 'isolation: reachable = %d of %d (controls failed: %d)\n' "$reachable" "$attempts" "$control_failures"
((reachable == 0 && control_failures == 0))
