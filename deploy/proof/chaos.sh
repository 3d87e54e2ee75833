#!/usr/bin/env bash
# Chaos run on the running platform: submits COUNT customers (default 20) while, one after
# another, every instance of the provisioner, migrator, nginx-configurer, health-monitor and
# api-gateway is SIGKILLed (their restart policy brings them back), the database of the first
# READY customer is frozen for 20 s, every instance of every service is SIGKILLed at once, and the
# Kafka broker and the control-plane PostgreSQL are restarted once each. Then checks that every accepted customer is READY with
# exactly four containers, that no host port is used twice, that no accepted request is
# missing, and that each timeline has each step exactly once; prints the counts, takes the customers
# down and checks that every one of them ends DEPROVISIONED with no container left, and that the
# topics hold each of their lifecycle events (request to READY, deprovision to DEPROVISIONED)
# exactly once.
#
#   deploy/proof/chaos.sh [COUNT]
#
# Only the project's own containers are touched; the processes killed are the main processes
# of the service containers the platform started.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=deploy/lib/lifecycle-events.sh
source deploy/lib/lifecycle-events.sh
# shellcheck source=deploy/lib/proof-api.sh
source deploy/lib/proof-api.sh

COUNT="${1:-20}"
if ! [[ "$COUNT" =~ ^[0-9]+$ ]] || ((COUNT < 1 || COUNT > 40)); then
  echo "COUNT must be 1..40" >&2
  exit 2
fi
API="${TENANTPLANE_API:-http://127.0.0.1:8081/api/v1}"
TOKEN_FILE="${TENANTPLANE_TOKEN_FILE:-.tenantplane/gateway/admin-token}"
READY_LIMIT="${TENANTPLANE_CHAOS_READY_LIMIT:-1200}"
PREFIX="chaos-$(date +%H%M%S)"
WORK="$(mktemp -d)"
chmod 0700 "$WORK"
# A database frozen by the run is let go on any exit, also when the run is interrupted.
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [[ -s "$WORK/paused" ]]; then
    docker unpause "$(cat "$WORK/paused")" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
STEPS=(tenantplane.customer.requested.v1 tenantplane.resources.allocated.v1
  tenantplane.containers.started.v1 tenantplane.database.migrated.v1
  tenantplane.routes.published.v1 tenantplane.customer.ready.v1)
# Each of these is emitted exactly once per customer over its life here (provisioned, then
# deprovisioned): counted on the topics at the end, by distinct event id, as a redelivered or
# re-published record keeps its id while a second emission has a new one.
LIFE=("${STEPS[@]}" tenantplane.customer.deprovision-requested.v1 tenantplane.routes.withdrawn.v1
  tenantplane.containers.removed.v1 tenantplane.resources.released.v1
  tenantplane.customer.deprovisioned.v1)

now() { date +%s; }
started=$(now)
log() { printf '[%4ds] %s\n' $(($(now) - started)) "$*"; }
token() { cat "$TOKEN_FILE"; }
# curl's header configuration, read by `curl -K <(auth)`: the token never shows in `ps`.
auth() { printf 'header = "Authorization: Bearer %s"\n' "$(token)"; }
id_of() { printf '%s-%02d\n' "$PREFIX" "$1"; }

# submit N: POSTs customer N until the gateway answers (it may be down mid-kill).
submit() {
  local id
  id="$(id_of "$1")"
  tp_accepted 90 POST /customers "$id" "{\"id\":\"$id\",\"name\":\"Chaos $1\",\"plan\":\"small\"}" || return 1
  echo "$id" >>"$WORK/accepted"
}

status_of() {
  curl -fsS --max-time 10 -K <(auth) "$API/customers/$1" 2>/dev/null | jq -r .status
}

SERVICES=(provisioner migrator nginx-configurer health-monitor api-gateway)

# kill_service NAME...: SIGKILLs the main process of every instance of each service at once, as
# a crash of all of them would.
kill_service() {
  local service container pid
  for service in "$@"; do
    for container in $(docker ps --format '{{.Names}}' --filter "label=tenantplane.service=$service"); do
      pid="$(docker inspect -f '{{.State.Pid}}' "$container" 2>/dev/null || echo 0)"
      ((pid > 0)) || { log "$container has no process to kill"; continue; }
      if kill -KILL "$pid" 2>/dev/null; then
        log "SIGKILL $container (pid $pid)"
      else
        log "$container (pid $pid) was gone already"
      fi
    done
  done
}

# pause_first_ready_database: freezes the database of the first accepted customer to be READY for
# 20 s (a hung database, not a crash), then lets it go on.
pause_first_ready_database() {
  local id
  for _ in $(seq 1 60); do
    id="$(head -n 1 "$WORK/accepted")"
    if [[ -n "$id" && "$(status_of "$id")" == READY ]]; then
      docker pause "db-$id" >/dev/null
      echo "db-$id" >"$WORK/paused"
      log "paused db-$id"
      sleep 20
      docker unpause "db-$id" >/dev/null
      : >"$WORK/paused"
      log "unpaused db-$id"
      return 0
    fi
    sleep 2
  done
  log "no customer was READY to pause its database"
}

chaos() {
  local service
  for service in "${SERVICES[@]}"; do
    sleep 15
    kill_service "$service"
  done
  pause_first_ready_database
  sleep 10
  kill_service "${SERVICES[@]}"
  sleep 15
  docker restart -t 10 tenantplane-kafka >/dev/null
  log "restarted tenantplane-kafka"
  sleep 20
  docker restart -t 10 tenantplane-postgres >/dev/null
  log "restarted tenantplane-postgres"
}

: >"$WORK/accepted"
log "submitting $COUNT customers ($PREFIX-NN) while killing services"
chaos &
chaos_pid=$!
for n in $(seq 1 "$COUNT"); do
  submit "$n" || true
  sleep 1
done
# A chaos action that failed (the background shell stops at it) fails the run, which still
# checks and cleans up what it made.
chaos_failed=0
wait "$chaos_pid" || { log "a chaos action failed (see above)"; chaos_failed=1; }
accepted=$(wc -l <"$WORK/accepted")
log "accepted $accepted of $COUNT"

# Every accepted customer must get to READY by itself: no operator retry.
deadline=$(($(now) + READY_LIMIT))
while :; do
  ready=0
  while IFS= read -r id; do
    [[ "$(status_of "$id")" == READY ]] && ready=$((ready + 1))
  done <"$WORK/accepted"
  ((ready == accepted || $(now) > deadline)) && break
  sleep 2
done
log "READY: $ready of $accepted"

missing=0 not_four=0 incomplete=0 twice=0
while IFS= read -r id; do
  if ! curl -fsS --max-time 10 -K <(auth) "$API/customers/$id" >"$WORK/view" 2>/dev/null; then
    missing=$((missing + 1))
    log "missing: $id"
    continue
  fi
  containers=$(docker ps -aq --filter "label=tenantplane.customer=$id" | wc -l)
  if ((containers != 4)); then
    not_four=$((not_four + 1))
    log "$id has $containers containers"
  fi
  for step in "${STEPS[@]}"; do
    seen="$(jq --arg s "$step" '[.timeline[] | select(.type == $s)] | length' "$WORK/view")"
    if ((seen == 0)); then
      incomplete=$((incomplete + 1))
      log "$id: no $step in its timeline ($(jq -r .status "$WORK/view"))"
      break
    elif ((seen > 1)); then
      # Redelivered events carry the same id and are shown once: a second one is double work.
      twice=$((twice + 1))
      log "$id: $step $seen times in its timeline"
      break
    fi
  done
done <"$WORK/accepted"
# Host ports published by the chaos customers' containers: each at most once.
docker ps --filter "label=tenantplane.customer" --format '{{.Ports}}' | tr ',' '\n' |
  sed -n 's/.*127\.0\.0\.1:\([0-9]*\)->.*/\1/p' | sort >"$WORK/ports"
doubled=$(uniq -d <"$WORK/ports" | wc -l)

printf 'chaos: submitted %d, accepted %d, ready %d, missing %d, not four containers %d, ports used twice %d, incomplete timelines %d, steps done twice %d (%ds)\n' \
  "$COUNT" "$accepted" "$ready" "$missing" "$not_four" "$doubled" "$incomplete" "$twice" $(($(now) - started))
result="$chaos_failed"
((accepted == COUNT && ready == accepted && missing == 0 && not_four == 0 && doubled == 0 && incomplete == 0 && twice == 0)) || result=1

# Take the chaos customers down again (purge: their data was made up).
while IFS= read -r id; do
  curl -sS -o /dev/null --max-time 10 -X DELETE -K <(auth) "$API/customers/$id?purge=true" || true
done <"$WORK/accepted"
deadline=$(($(now) + 600))
while IFS= read -r id; do
  until [[ "$(status_of "$id")" == DEPROVISIONED ]] || (($(now) > deadline)); do
    sleep 1
  done
done <"$WORK/accepted"
not_gone=0
while IFS= read -r id; do
  status="$(status_of "$id")"
  if [[ "$status" != DEPROVISIONED ]]; then
    not_gone=$((not_gone + 1))
    log "$id is ${status:-unknown}, not DEPROVISIONED: $(curl -fsS --max-time 10 -K <(auth) "$API/customers/$id" 2>/dev/null |
      jq -c '[.timeline[-3:][] | .type]')"
  fi
done <"$WORK/accepted"
left=$(docker ps -aq --filter "label=tenantplane.customer" | xargs -r docker inspect -f '{{index .Config.Labels "tenantplane.customer"}}' | grep -c "^$PREFIX-" || true)
log "deprovisioned: $((accepted - not_gone)) of $accepted; containers left: $left"
((left == 0 && not_gone == 0)) || result=1

# On the topics themselves: every accepted customer's lifecycle events, each exactly once.
tp_count_lifecycle_events "$PREFIX" "${LIFE[@]}" >"$WORK/counts"
counted=$(awk '{print $1}' "$WORK/counts" | sort -u | wc -l)
not_once=$(awk '$3 != 1' "$WORK/counts" | wc -l)
awk '$3 != 1 {print "  " $0}' "$WORK/counts" | head -n 20
log "on the topics: $counted customers, ${#LIFE[@]} lifecycle events each; not exactly once: $not_once"
((counted == accepted && not_once == 0)) || result=1
exit "$result"
