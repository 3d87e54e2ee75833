#!/usr/bin/env bash
# Rescale run on the running platform: submits COUNT customers (default 20) and takes WITHDRAW of
# them (default 5) down again while they are still provisioning, while every service is scaled
# to 1 instance, then to 3, then back to the count it had (`tenantplane scale`, the five services
# at once in each round), so that each consumer group rebalances mid-stream, in both directions. Then checks that every customer
# kept is READY with exactly four containers and every one taken down is DEPROVISIONED with
# nothing left (containers, networks, volumes), that no host port is used twice, and, on the
# lifecycle topic itself, that each customer has each of its lifecycle events exactly once (a
# withdrawn customer's provisioning events at most once, as the withdrawal may cut them short).
# Finally takes the kept customers down too.
#
#   deploy/proof/rescale.sh [COUNT [WITHDRAW]]
#
# Only the project's own containers are touched: the scaling starts and stops the service
# containers the platform runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=deploy/lib/lifecycle-events.sh
source deploy/lib/lifecycle-events.sh
# shellcheck source=deploy/lib/services.sh
source deploy/lib/services.sh
# shellcheck source=deploy/lib/proof-api.sh
source deploy/lib/proof-api.sh

COUNT="${1:-20}"
WITHDRAW="${2:-5}"
if ! [[ "$COUNT" =~ ^[0-9]+$ && "$WITHDRAW" =~ ^[0-9]+$ ]] || ((COUNT < 1 || COUNT > 40 || WITHDRAW > COUNT)); then
  echo "COUNT must be 1..40 and WITHDRAW at most COUNT" >&2
  exit 2
fi
CLI=deploy/tenantplane
API="${TENANTPLANE_API:-http://127.0.0.1:8081/api/v1}"
TOKEN_FILE="${TENANTPLANE_TOKEN_FILE:-.tenantplane/gateway/admin-token}"
READY_LIMIT="${TENANTPLANE_RESCALE_READY_LIMIT:-900}"
PREFIX="rescale-$(date +%H%M%S)"
WORK="$(mktemp -d)"
chmod 0700 "$WORK"
trap 'rm -rf "$WORK"' EXIT
STEPS=(tenantplane.customer.requested.v1 tenantplane.resources.allocated.v1
  tenantplane.containers.started.v1 tenantplane.database.migrated.v1
  tenantplane.routes.published.v1 tenantplane.customer.ready.v1)
TEARDOWN=(tenantplane.customer.deprovision-requested.v1 tenantplane.routes.withdrawn.v1
  tenantplane.containers.removed.v1 tenantplane.resources.released.v1
  tenantplane.customer.deprovisioned.v1)

now() { date +%s; }
started=$(now)
log() { printf '[%4ds] %s\n' $(($(now) - started)) "$*"; }
# curl's header configuration, read by `curl -K <(auth)`: the token never shows in `ps`.
auth() { printf 'header = "Authorization: Bearer %s"\n' "$(cat "$TOKEN_FILE")"; }
id_of() { printf '%s-%02d\n' "$PREFIX" "$1"; }
status_of() { curl -fsS --max-time 10 -K <(auth) "$API/customers/$1" 2>/dev/null | jq -r .status; }

# rescale: every service to 1 instance, then to 3, then back to the count it had; within each
# of the three rounds all five services change at once.
rescale() {
  local svc count pids round
  declare -A had=()
  for svc in $(tp_service_names); do
    had[$svc]="$(tp_instance_count "$svc")"
  done
  for round in 1 3 back; do
    pids=()
    for svc in $(tp_service_names); do
      count="$round"
      [[ "$round" != back ]] || count="${had[$svc]}"
      "$CLI" scale "$svc" "$count" >"$WORK/scale-$svc.out" 2>&1 &
      pids+=($!)
    done
    for n in "${!pids[@]}"; do
      wait "${pids[$n]}" || { cat "$WORK"/scale-*.out >&2; log "scaling failed (round $round)"; return 1; }
    done
    log "every service scaled ($round): $(for svc in $(tp_service_names); do printf '%s=%s ' "$svc" "$(tp_instance_count "$svc")"; done)"
  done
}

: >"$WORK/kept"
: >"$WORK/withdrawn"
log "submitting $COUNT customers ($PREFIX-NN), withdrawing $WITHDRAW mid-stream, while every service is rescaled"
rescale &
rescale_pid=$!
# withdraw ID: takes an accepted customer down again (purge: its data is made up).
withdraw() {
  if grep -qx "$1" "$WORK/withdrawn"; then
    tp_accepted 30 DELETE "/customers/$1?purge=true" || true
  fi
}
# Each withdrawal follows its customer's request by about three seconds, while its stack is built.
for n in $(seq 1 "$COUNT"); do
  id="$(id_of "$n")"
  if tp_accepted 30 POST /customers "$id" "{\"id\":\"$id\",\"name\":\"Rescale $n\",\"plan\":\"small\"}"; then
    if ((n <= WITHDRAW)); then echo "$id" >>"$WORK/withdrawn"; else echo "$id" >>"$WORK/kept"; fi
  fi
  ((n <= 3 || n - 3 > WITHDRAW)) || withdraw "$(id_of $((n - 3)))"
  sleep 1
done
for ((n = COUNT - 2; n <= COUNT; n++)); do
  ((n < 1 || n > WITHDRAW)) || withdraw "$(id_of "$n")"
done
rescale_failed=0
wait "$rescale_pid" || { log "rescaling failed (see above)"; rescale_failed=1; }
kept=$(wc -l <"$WORK/kept")
withdrawn=$(wc -l <"$WORK/withdrawn")
log "accepted $((kept + withdrawn)) of $COUNT ($withdrawn of them withdrawn)"

# wait_for FILE STATUS: until every customer of FILE has STATUS or READY_LIMIT passes; prints
# how many have it.
wait_for() {
  local file="$1" wanted="$2" deadline done_count id
  deadline=$(($(now) + READY_LIMIT))
  while :; do
    done_count=0
    while IFS= read -r id; do
      [[ "$(status_of "$id")" == "$wanted" ]] && done_count=$((done_count + 1))
    done <"$file"
    ((done_count == $(wc -l <"$file") || $(now) > deadline)) && break
    sleep 2
  done
  echo "$done_count"
}
ready=$(wait_for "$WORK/kept" READY)
gone=$(wait_for "$WORK/withdrawn" DEPROVISIONED)
log "READY: $ready of $kept; DEPROVISIONED: $gone of $withdrawn"

not_four=0 left=0
while IFS= read -r id; do
  containers=$(docker ps -aq --filter "label=tenantplane.customer=$id" | wc -l)
  ((containers == 4)) || { not_four=$((not_four + 1)); log "$id has $containers containers ($(status_of "$id"))"; }
done <"$WORK/kept"
while IFS= read -r id; do
  things="$(docker ps -aq --filter "label=tenantplane.customer=$id")$(docker network ls -q --filter "label=tenantplane.customer=$id")$(docker volume ls -q --filter "label=tenantplane.customer=$id")"
  [[ -z "$things" ]] || { left=$((left + 1)); log "$id ($(status_of "$id")) left: $(tr '\n' ' ' <<<"$things")"; }
done <"$WORK/withdrawn"
docker ps --filter "label=tenantplane.customer" --format '{{.Ports}}' | tr ',' '\n' |
  sed -n 's/.*127\.0\.0\.1:\([0-9]*\)->.*/\1/p' | sort >"$WORK/ports"
doubled=$(uniq -d <"$WORK/ports" | wc -l)

# On the lifecycle topic: a kept customer's provisioning events exactly once each; a withdrawn
# one's teardown events exactly once each and its provisioning events at most once.
tp_count_lifecycle_events "$PREFIX" "${STEPS[@]}" "${TEARDOWN[@]}" >"$WORK/counts"
wrong="$(awk -v kept="$(tr '\n' ' ' <"$WORK/kept")" -v steps="${STEPS[*]}" '
  BEGIN { n = split(kept, k, " "); for (i = 1; i <= n; i++) keep[k[i]] = 1
          n = split(steps, s, " "); for (i = 1; i <= n; i++) step[s[i]] = 1 }
  ($1 in keep) && ($2 in step) && $3 != 1 { print; next }
  ($1 in keep) && !($2 in step) && $3 != 0 { print; next }
  !($1 in keep) && ($2 in step) && $3 > 1 { print; next }
  !($1 in keep) && !($2 in step) && $3 != 1 { print }' "$WORK/counts")"
not_once=$(grep -c . <<<"$wrong" || true)
[[ -z "$wrong" ]] || head -n 20 <<<"$wrong" | sed 's/^/  /'
counted=$(awk '{print $1}' "$WORK/counts" | sort -u | wc -l)

unscaled=""
for svc in $(tp_service_names); do
  [[ -n "$(docker ps -q --filter "label=$TP_SERVICE_LABEL=$svc")" ]] || unscaled+=" $svc"
done

printf 'rescale: accepted %d of %d, ready %d of %d, deprovisioned %d of %d, not four containers %d, left behind %d, ports used twice %d, customers on the topic %d, events not as expected %d (%ds)\n' \
  $((kept + withdrawn)) "$COUNT" "$ready" "$kept" "$gone" "$withdrawn" "$not_four" "$left" "$doubled" "$counted" "$not_once" $(($(now) - started))
result="$rescale_failed"
((kept + withdrawn == COUNT && ready == kept && gone == withdrawn && not_four == 0 && left == 0 &&
  doubled == 0 && counted == COUNT && not_once == 0)) || result=1
[[ -z "$unscaled" ]] || { log "no instance running of:$unscaled"; result=1; }

# Take the kept customers down too (purge: their data was made up).
while IFS= read -r id; do
  tp_accepted 30 DELETE "/customers/$id?purge=true" || true
done <"$WORK/kept"
gone=$(wait_for "$WORK/kept" DEPROVISIONED)
log "taken down: $gone of $kept"
((gone == kept)) || result=1
exit "$result"
