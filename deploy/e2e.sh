#!/usr/bin/env bash
# End-to-end check of the running product, as an operator would do it: the platform up, two
# customers provisioned to READY through the REST API, the seed guide's verifications for both,
# one deprovisioned with purge while the other keeps answering, and nothing of the first left.
set -euo pipefail
cd "$(dirname "$0")/.."

CLI=deploy/tenantplane
CUSTOMERS=(e2e-alpha e2e-beta)
failures=0

check() {
  local what="$1"
  shift
  if "$@" >/dev/null 2>&1; then
    printf 'ok    %s\n' "$what"
  else
    printf 'FAIL  %s\n' "$what"
    failures=$((failures + 1))
  fi
}

env_value() { sed -n "s/^$2=//p" "customers/$1/.env"; }

# An earlier interrupted run may have left its customers: take them down first.
remove_leftovers() {
  local id
  for id in "${CUSTOMERS[@]}"; do
    if $CLI status "$id" >/dev/null 2>&1; then
      $CLI deprovision "$id" --purge >/dev/null 2>&1 || true
      await_status "$id" DEPROVISIONED 120 || true
    fi
  done
}

await_status() {
  local id="$1" want="$2" limit="$3" waited=0 status
  while ((waited < limit)); do
    status="$($CLI status "$id" 2>/dev/null | jq -r .status)" || status=""
    [[ "$status" == "$want" ]] && return 0
    sleep 2
    waited=$((waited + 2))
  done
  return 1
}

verify_stack() {
  local id="$1" app db owner database
  app="$($CLI status "$id" | jq -r .ports.app)"
  db="$($CLI status "$id" | jq -r .ports.database)"
  owner="$($CLI status "$id" | jq -r .names.ownerRole)"
  database="$($CLI status "$id" | jq -r .names.database)"
  check "$id: app answers the health JSON on 127.0.0.1:$app" \
    bash -c "curl -fsS http://127.0.0.1:$app/api/health | jq -e '.status == \"healthy\" and .customer == \"$id\"'"
  check "$id: the owner from .env sees the Default Organization" \
    bash -c "PGPASSWORD='$(env_value "$id" DB_OWNER_PASSWORD)' psql -h 127.0.0.1 -p $db -U $owner -d $database -tAc \"SELECT name FROM organizations WHERE slug = 'customer-default'\" | grep -qx 'Default Organization'"
  check "$id: .env is readable by its owner only" bash -c "[[ \$(stat -c %a customers/$id/.env) == 600 ]]"
  check "$id: docker-compose ps lists four containers up" \
    bash -c "cd customers/$id && [[ \$(docker-compose ps | grep -c ' Up') == 4 ]]"
  check "$id: nginx routes its subdomain" \
    bash -c "curl -fsS -H 'Host: $id.localhost' http://127.0.0.1:8080/api/health | jq -e '.customer == \"$id\"'"
  check "$id: the timeline lists every step with timings" \
    bash -c "$CLI status $id | jq -e '[.timeline[].type] as \$t | all(\"tenantplane.customer.requested.v1\",\"tenantplane.resources.allocated.v1\",\"tenantplane.containers.started.v1\",\"tenantplane.database.migrated.v1\",\"tenantplane.routes.published.v1\",\"tenantplane.customer.ready.v1\"; . as \$x | \$t | index(\$x))'"
}

started=$(date +%s)
$CLI up
remove_leftovers

for id in "${CUSTOMERS[@]}"; do
  t0=$(date +%s)
  check "provision $id to READY" $CLI provision --id "$id" --name "E2E ${id#e2e-}"
  printf '      (%ss)\n' $(($(date +%s) - t0))
done
for id in "${CUSTOMERS[@]}"; do
  verify_stack "$id"
done

gone="${CUSTOMERS[0]}"
kept="${CUSTOMERS[1]}"
check "deprovision $gone with purge" $CLI deprovision "$gone" --purge
check "$gone reaches DEPROVISIONED" await_status "$gone" DEPROVISIONED 180
check "$gone: no container, network or volume left" \
  bash -c "[[ -z \$(docker ps -aq --filter label=tenantplane.customer=$gone)\$(docker network ls -q --filter label=tenantplane.customer=$gone)\$(docker volume ls -q --filter label=tenantplane.customer=$gone) ]]"
check "$gone: a backup was written before its data went" bash -c "ls customers/$gone/backups/*.sql"
check "$gone: its route is gone" \
  bash -c "! curl -fsS -H 'Host: $gone.localhost' http://127.0.0.1:8080/api/health"
check "$kept still answers" \
  bash -c "curl -fsS -H 'Host: $kept.localhost' http://127.0.0.1:8080/api/health | jq -e '.status == \"healthy\"'"

$CLI deprovision "$kept" --purge >/dev/null
await_status "$kept" DEPROVISIONED 180 || true

printf 'e2e: %d failed checks, %ss\n' "$failures" $(($(date +%s) - started))
((failures == 0))
