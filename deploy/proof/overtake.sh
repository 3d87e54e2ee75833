#!/usr/bin/env bash
# Deprovision during provisioning, on the running platform: one customer per moment of its
# provisioning (just accepted, ALLOCATED, CONTAINERS_STARTED, MIGRATED) is deprovisioned with
# purge as soon as it reaches that moment, while the provisioning is still on its way. Each must
# end DEPROVISIONED, and once every consumer group has caught up with the bus (no lag), nothing of
# it may be left: no container, network or volume, no .env, no nginx route, and no later event
# that moves it out of DEPROVISIONED. The last line reads
# `overtake: left behind = L of N` and the exit status is non-zero unless L is 0.
#
#   deploy/proof/overtake.sh RUN      customer ids are e2e-over-<moment>-RUN
set -euo pipefail
cd "$(dirname "$0")/../.."

RUN="${1:?usage: overtake.sh RUN-SUFFIX}"
CLI=deploy/tenantplane
KAFKA=tenantplane-kafka
MOMENTS=(accepted ALLOCATED CONTAINERS_STARTED MIGRATED)
# The lifecycle order, to tell whether a customer is at or past a moment.
ORDER=(REQUESTED ALLOCATED CONTAINERS_STARTED MIGRATED ROUTED READY)
DEPROVISION_LIMIT=300
QUIET_LIMIT=180
checks=0
left=0
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

id_for() { printf 'e2e-over-%s-%s\n' "$(tr 'A-Z_' 'a-z-' <<<"$1")" "$RUN"; }
status_of() { $CLI status "$1" --json 2>/dev/null | jq -r .status 2>/dev/null || true; }

rank_of() {
  local i
  for i in "${!ORDER[@]}"; do
    [[ "${ORDER[$i]}" == "$1" ]] && printf '%d\n' "$i" && return 0
  done
  printf '%d\n' -1
}

# Waits (up to 240 s) until the customer is at MOMENT (a status) or past it; prints the status seen.
await_moment() {
  local id="$1" moment="$2" status waited=0
  while ((waited < 480)); do
    status="$(status_of "$id")"
    if (($(rank_of "$status") >= $(rank_of "$moment"))) ||
      [[ "$status" == FAILED ]]; then
      printf '%s\n' "$status"
      return 0
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  printf 'timeout\n'
}

# Sum of the lag of every consumer group; empty when Kafka cannot tell.
total_lag() {
  docker exec "$KAFKA" kafka-consumer-groups --bootstrap-server localhost:29092 \
    --describe --all-groups 2>/dev/null |
    awk '$1 != "GROUP" && NF >= 6 && $6 ~ /^[0-9]+$/ { sum += $6; seen = 1 } END { if (seen) print sum }'
}

# Every group caught up twice in a row, 5 s apart: the late events have all been handled.
await_quiet() {
  local waited=0 lag quiet=0
  while ((waited < QUIET_LIMIT)); do
    lag="$(total_lag)"
    if [[ "$lag" == 0 ]]; then
      quiet=$((quiet + 1))
      ((quiet >= 2)) && return 0
    else
      quiet=0
    fi
    sleep 5
    waited=$((waited + 5))
  done
  return 1
}

# expect_none WHAT COMMAND...: the command must print nothing; anything it prints is left behind.
expect_none() {
  local what="$1" out
  shift
  checks=$((checks + 1))
  out="$("$@" 2>/dev/null || true)"
  if [[ -n "$out" ]]; then
    left=$((left + 1))
    printf 'LEFT  %s: %s\n' "$what" "$(tr '\n' ' ' <<<"$out" | head -c 300)"
  fi
}

ids=()
for moment in "${MOMENTS[@]}"; do
  id="$(id_for "$moment")"
  ids+=("$id")
  $CLI provision --id "$id" --name "Overtaken at $moment" >"$WORK/$id.provision" 2>&1 &
  if [[ "$moment" == accepted ]]; then
    # As early as possible: the deprovision is refused (404) until the request is accepted.
    tries=0
    until $CLI deprovision "$id" --purge --no-wait >"$WORK/$id.deprovision" 2>&1 || ((++tries > 600)); do
      sleep 0.05
    done
    seen="$(status_of "$id") right after"
  else
    seen="$(await_moment "$id" "$moment")"
    $CLI deprovision "$id" --purge --no-wait >"$WORK/$id.deprovision" 2>&1 ||
      printf 'deprovision of %s refused: %s\n' "$id" "$(cat "$WORK/$id.deprovision")"
  fi
  printf 'overtake: %s deprovisioned at %s (wanted %s)\n' "$id" "$seen" "$moment"
done

for id in "${ids[@]}"; do
  waited=0
  until [[ "$(status_of "$id")" == DEPROVISIONED ]] || ((waited >= DEPROVISION_LIMIT)); do
    sleep 2
    waited=$((waited + 2))
  done
done
wait || true
await_quiet || printf 'overtake: consumer groups still lagging after %ss\n' "$QUIET_LIMIT"

for id in "${ids[@]}"; do
  expect_none "$id status" bash -c "[[ \$($CLI status $id --json | jq -r .status) == DEPROVISIONED ]] || $CLI status $id --json | jq -c '{status, lastError}'"
  expect_none "$id containers" docker ps -aq --filter "label=tenantplane.customer=$id"
  expect_none "$id networks" docker network ls -q --filter "label=tenantplane.customer=$id"
  expect_none "$id volumes" docker volume ls -q --filter "label=tenantplane.customer=$id"
  expect_none "$id .env" bash -c "ls customers/$id/.env"
  expect_none "$id in nginx's configuration" docker exec tenantplane-nginx grep -rl -e "$id" /etc/nginx/conf.d/live/
  expect_none "$id answering through nginx" \
    curl -fsS --max-time 5 -H "Host: $id.localhost" http://127.0.0.1:8080/api/health
done
printf 'overtake: left behind = %d of %d\n' "$left" "$checks"
((left == 0))
