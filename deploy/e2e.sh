#!/usr/bin/env bash
# End-to-end check of the running product, as an operator would do it: the platform up, two
# customers provisioned to READY through the REST API, the seed guide's verifications for both,
# one deprovisioned with purge while the other keeps answering, and nothing of the first left.
set -euo pipefail
cd "$(dirname "$0")/.."

CLI=deploy/tenantplane
# Each run has its own ids, so a run never meets an earlier run's customers.
RUN="$(date +%H%M%S)"
CUSTOMERS=("e2e-alpha-$RUN" "e2e-beta-$RUN")
# Provisioned after the first is gone, on its app port, through a failure and a retry.
RETRIED="e2e-gamma-$RUN"
failures=0
# Secrets copied from the customers' .env files (for the secret scan at the end), and what the
# API and CLI printed meanwhile; both readable by their owner only, both removed on exit.
PROOF_DIR="$(mktemp -d)"
chmod 0700 "$PROOF_DIR"
trap 'rm -rf "$PROOF_DIR"' EXIT
SECRETS="$PROOF_DIR/secrets"
CAPTURED="$PROOF_DIR/captured-output"

# check WHAT COMMAND...: one line per check; a failed one also shows the last lines its command
# printed, so a failure in a log says more than its name.
check() {
  local what="$1" began=$SECONDS
  shift
  if "$@" >"$PROOF_DIR/check.out" 2>&1; then
    printf 'ok    %s (%ds)\n' "$what" $((SECONDS - began))
  else
    printf 'FAIL  %s (%ds)\n' "$what" $((SECONDS - began))
    sed 's/^/      | /' "$PROOF_DIR/check.out" | tail -n 20
    failures=$((failures + 1))
  fi
}

# prometheus_until PATH FILTER [PATH FILTER]...: every jq FILTER holds on the answer of
# Prometheus at its PATH, within 90 s (targets are scraped every 5 s).
prometheus_until() {
  local waited=0 args ok
  while :; do
    args=("$@")
    ok=1
    while ((${#args[@]} >= 2)); do
      curl -fsS "http://127.0.0.1:${TENANTPLANE_PROMETHEUS_PORT:-9090}${args[0]}" | jq -e "${args[1]}" >/dev/null 2>&1 || ok=0
      args=("${args[@]:2}")
    done
    ((ok == 1)) && return 0
    ((waited >= 90)) && return 1
    sleep 2
    waited=$((waited + 2))
  done
}

env_value() { sed -n "s/^$2=//p" "customers/$1/.env"; }

# An earlier interrupted run may have left customers (and a squatting container): take
# them down first.
remove_leftovers() {
  local id
  docker ps -aq --filter label=tenantplane.test=true --filter name='^db-e2e-' | xargs -r docker rm -f >/dev/null
  for id in $($CLI list --json 2>/dev/null | jq -r '.[] | select((.id | startswith("e2e-")) and .status != "DEPROVISIONED" and .status != "DEPROVISIONING") | .id'); do
    $CLI deprovision "$id" --purge --no-wait >/dev/null 2>&1 || true
    await_status "$id" DEPROVISIONED 180 || true
  done
}

await_status() {
  local id="$1" want="$2" limit="$3" waited=0 status
  while ((waited < limit)); do
    status="$($CLI status "$id" --json 2>/dev/null | jq -r .status)" || status=""
    [[ "$status" == "$want" ]] && return 0
    sleep 2
    waited=$((waited + 2))
  done
  return 1
}

# one_provisioning_trace ID: within 30 s (spans reach the logs a second after they end), one of
# the customer's traces is a chain from the API request through every provisioning step to READY:
# each span's parent is a span (an attempt) of the step before it, whatever service ran it.
one_provisioning_trace() {
  local waited=0
  until $CLI trace "$1" --json | jq -e '
      any(.[]; .spans as $spans
        | ["POST /api/v1/customers", "provisioner.allocate", "provisioner.start", "migrator.migrate",
           "nginx-configurer.publish", "health-monitor.watch", "health-monitor.ready"] as $chain
        | all(range(1; $chain | length) as $i
            | [$spans[] | select(.name == $chain[$i - 1]) | .span] as $before
            | [$spans[] | select(.name == $chain[$i]) | .parent]
            | length > 0 and all(.[]; . as $parent | $before | index($parent) != null); .))' \
      >/dev/null; do
    ((waited >= 30)) && return 1
    sleep 1
    waited=$((waited + 1))
  done
}

verify_stack() {
  local id="$1" app db owner database
  app="$($CLI status "$id" --json | jq -r .ports.app)"
  db="$($CLI status "$id" --json | jq -r .ports.database)"
  owner="$($CLI status "$id" --json | jq -r .names.ownerRole)"
  database="$($CLI status "$id" --json | jq -r .names.database)"
  check "$id: app answers the health JSON on 127.0.0.1:$app" \
    bash -o pipefail -c "curl -fsS http://127.0.0.1:$app/api/health | jq -e '.status == \"healthy\" and .customer == \"$id\"'"
  check "$id: the owner from .env sees the Default Organization" \
    bash -o pipefail -c "PGPASSWORD='$(env_value "$id" DB_PASSWORD)' psql -h 127.0.0.1 -p $db -U $owner -d $database -tAc \"SELECT name FROM organizations WHERE slug = 'customer-default'\" | grep -qx 'Default Organization'"
  check "$id: .env is readable by its owner only" bash -o pipefail -c "[[ \$(stat -c %a customers/$id/.env) == 600 ]]"
  check "$id: the containers' secret files are read-only, for their owner and group only" \
    bash -o pipefail -c "[[ \$(stat -c %a customers/$id/secrets) == 700 && \$(stat -c %a customers/$id/secrets/* | sort -u) == 440 ]]"
  check "$id: docker-compose ps lists four containers up" \
    bash -o pipefail -c "cd customers/$id && [[ \$(docker-compose ps | grep -c ' Up') == 4 ]]"
  # The manifest's and the seed guide's other commands, as printed.
  check "$id: docker-compose logs -f follows every container" \
    bash -o pipefail -c "cd customers/$id && { timeout 5 docker-compose logs -f --no-color --tail 5 || (( \$? == 124 )); } >$PROOF_DIR/logs-$id &&
      for c in app db redis worker; do grep -Eq \"^\$c-$id +[|]\" $PROOF_DIR/logs-$id || exit 1; done"
  check "$id: docker-compose logs app-$id shows the app's log" \
    bash -o pipefail -c "cd customers/$id && docker-compose logs --no-color --tail 20 app-$id >$PROOF_DIR/app-logs-$id && grep -Eq '^app-$id +[|]' $PROOF_DIR/app-logs-$id"
  check "$id: docker-compose exec db-$id pg_isready" \
    bash -o pipefail -c "cd customers/$id && docker-compose exec -T db-$id pg_isready >$PROOF_DIR/isready-$id && grep -q 'accepting connections' $PROOF_DIR/isready-$id"
  check "$id: docker-compose up -d recreates nothing" \
    bash -o pipefail -c "ids=\$(docker ps -q --filter label=tenantplane.customer=$id | sort); cd customers/$id &&
      docker-compose up -d >$PROOF_DIR/up-$id 2>&1 && grep -q 'is up-to-date' $PROOF_DIR/up-$id && ! grep -q Recreating $PROOF_DIR/up-$id &&
      [[ \$(docker ps -q --filter label=tenantplane.customer=$id | sort) == \"\$ids\" ]]"
  check "$id: nginx routes its subdomain" \
    bash -o pipefail -c "curl -fsS -H 'Host: $id.localhost' http://127.0.0.1:8080/api/health | jq -e '.customer == \"$id\"'"
  check "$id: the timeline lists every step with timings" \
    bash -o pipefail -c "$CLI status $id --json | jq -e '[.timeline[].type] as \$t | all(\"tenantplane.customer.requested.v1\",\"tenantplane.resources.allocated.v1\",\"tenantplane.containers.started.v1\",\"tenantplane.database.migrated.v1\",\"tenantplane.routes.published.v1\",\"tenantplane.customer.ready.v1\"; . as \$x | \$t | index(\$x))'"
}

started=$(date +%s)
# Two instances of every service share the work: still exactly four containers per customer and
# one event per step below (the chaos run after this one keeps the same platform).
$CLI up --scale provisioner=2 --scale migrator=2 --scale nginx-configurer=2 \
  --scale health-monitor=2 --scale api-gateway=2 --prometheus
remove_leftovers
# The platform's own passwords join the customers' in the secret scan at the end.
grep -E '^TENANTPLANE_[A-Z_]*PASSWORD=' .tenantplane/platform.env >>"$SECRETS"

check "the five services run as ten containers (two of each), none as root" \
  bash -o pipefail -c "[[ \$(docker ps --filter label=tenantplane.service --format '{{.Names}}' | wc -l) == 10 ]] &&
    ! docker ps -q --filter label=tenantplane.service | xargs docker inspect -f '{{.Config.User}}' | grep -qE '^(|0|root)(:|\$)'"

# The API's description states each parameter's rules and passes Redocly's lint.
check "the gateway's OpenAPI document passes the lint (deploy/tests/openapi-lint.sh)" \
  bash -o pipefail -c "bash deploy/tests/openapi-lint.sh >$PROOF_DIR/openapi-lint.out 2>&1"
grep -E '^(error|warning) |validated|Validation failed|valid\.' "$PROOF_DIR/openapi-lint.out" || true

for id in "${CUSTOMERS[@]}"; do
  t0=$(date +%s)
  check "provision $id to READY" \
    bash -o pipefail -c "$CLI provision --id $id --name 'E2E ${id#e2e-}' >$PROOF_DIR/$id.provision 2>&1"
  # The block comes from the gateway; the manifest file from the provisioner: one template.
  check "$id: provision printed the seed's success block, the same as CUSTOMER_MANIFEST.md" \
    bash -o pipefail -c "grep -qx 'Customer Provisioned Successfully!' $PROOF_DIR/$id.provision &&
      block() { sed -n '/^Customer Information:/,/SSH to database:/p' \"\$1\"; } &&
      [[ -n \$(block customers/$id/CUSTOMER_MANIFEST.md) ]] &&
      diff <(block $PROOF_DIR/$id.provision) <(block customers/$id/CUSTOMER_MANIFEST.md)"
  printf '      (%ss)\n' $(($(date +%s) - t0))
done
check "${CUSTOMERS[0]}: its provisioning is one trace, from the API request through every step to READY" \
  one_provisioning_trace "${CUSTOMERS[0]}"
for id in "${CUSTOMERS[@]}"; do
  verify_stack "$id"
  cat "customers/$id/.env" >>"$SECRETS"
  { $CLI status "$id" --json; $CLI events "$id"; } >>"$CAPTURED" 2>&1 || true
done
$CLI list >>"$CAPTURED" 2>&1 || true
check "isolation matrix between ${CUSTOMERS[0]} and ${CUSTOMERS[1]}" \
  bash -o pipefail -c "bash deploy/proof/isolation.sh ${CUSTOMERS[*]} >$PROOF_DIR/isolation.out 2>&1"
grep -v '^isolation:' "$PROOF_DIR/isolation.out" || true
tail -n 1 "$PROOF_DIR/isolation.out"

# Prometheus, started by `up --prometheus`, scrapes every service instance and holds the alert
# rules; a READY customer's health reaches it from health-monitor's metrics.
check "Prometheus scrapes all ten service instances and loaded the three alert rules" \
  prometheus_until '/api/v1/targets' \
  '[.data.activeTargets[] | select(.health == "up")] | length == 10' \
  '/api/v1/rules' \
  '[.data.groups[].rules[].name] | sort == ["CustomerUnhealthy", "DeadLettersPresent", "OutboxBacklogGrowing"]'
check "Prometheus reads ${CUSTOMERS[1]} as healthy and its provisioning time" \
  prometheus_until "/api/v1/query?query=max(tenantplane_customer_health%7Bcustomer%3D%22${CUSTOMERS[1]}%22%7D)" \
  '.data.result[0].value[1] == "2"' \
  "/api/v1/query?query=max(tenantplane_customer_provisioning_seconds%7Bcustomer%3D%22${CUSTOMERS[1]}%22%7D)" \
  '(.data.result[0].value[1] | tonumber) > 0'

# Jobs through a real stack: run by its worker, a worker killed mid-job and healed, a failed job
# retried. Its output is shown in full: each failing check says what it saw.
check "the worker of ${CUSTOMERS[1]} runs jobs, is healed when killed, retries failed jobs" \
  bash -o pipefail -c "bash deploy/proof/worker.sh ${CUSTOMERS[1]} >$PROOF_DIR/worker.out 2>&1"
cat "$PROOF_DIR/worker.out"

gone="${CUSTOMERS[0]}"
kept="${CUSTOMERS[1]}"
gone_port="$($CLI status "$gone" --json | jq -r .ports.app)"
# A backup on demand: both files owner-only and encrypted, their checksums (of the files as stored)
# as listed, its archive restored into a scratch database with every row, kept after the purge.
check "$gone: backup writes a checked database archive and Redis snapshot, listed with their SHA-256" \
  bash -o pipefail -c "$CLI backup $gone --json >$PROOF_DIR/backup.json &&
    jq -e '.status == \"COMPLETED\" and .schemaVersion != null and .restoreRehearsal.tables >= 3 and .restoreRehearsal.rows >= 1' $PROOF_DIR/backup.json &&
    for f in database redis; do p=\$(jq -r .\$f.path $PROOF_DIR/backup.json);
      [[ \$(stat -c %a \$p) == 600 && \$(head -c 8 \$p) == TPBACKUP && \$(sha256sum <\$p | cut -d' ' -f1) == \$(jq -r .\$f.sha256 $PROOF_DIR/backup.json) ]] || exit 1; done &&
    $CLI backups $gone --json | jq -e --arg b \"\$(jq -r .id $PROOF_DIR/backup.json)\" '[.[].id] == [\$b]'"
# Restored from that backup: a table made after it is gone, the seed's organisation is there, and
# the customer went through migration and routing back to READY and healthy behind nginx.
check "$gone: restore from that backup drops what came after it and ends READY" \
  bash -o pipefail -c "db=\$($CLI status $gone --json | jq -r .names.database) && owner=\$($CLI status $gone --json | jq -r .names.ownerRole) &&
    docker exec db-$gone psql -q -U \$owner -d \$db -c 'CREATE TABLE made_after_backup (x int)' &&
    $CLI restore $gone \$(jq -r .id $PROOF_DIR/backup.json) >$PROOF_DIR/restore.out 2>&1 &&
    tail -n 1 $PROOF_DIR/restore.out | grep -qx '$gone: READY' &&
    [[ \$(docker exec db-$gone psql -tA -U \$owner -d \$db -c \"SELECT to_regclass('made_after_backup') IS NULL\") == t ]] &&
    (( \$(docker exec db-$gone psql -tA -U \$owner -d \$db -c 'SELECT count(*) FROM organizations') >= 1 )) &&
    curl -fsS -H 'Host: $gone.localhost' http://127.0.0.1:8080/api/health | jq -e '.status == \"healthy\"'"
grep -E 'restore|step=|FAIL|error' "$PROOF_DIR/restore.out" | tail -n 12 || true
# The same restore again, with every provisioner instance killed while it runs: it converges.
check "$gone: a restore interrupted by a crash of every provisioner ends READY with the backup's data" \
  bash -o pipefail -c "bash deploy/proof/restore-crash.sh $gone \$(jq -r .id $PROOF_DIR/backup.json) >$PROOF_DIR/restore-crash.out 2>&1"
cat "$PROOF_DIR/restore-crash.out"
# Deprovisioned without purge it is ARCHIVED: no container, its volumes kept and listed with the
# space they use; purged later, nothing of it is left.
check "deprovision $gone without purge ends ARCHIVED" \
  bash -o pipefail -c "db=\$($CLI status $gone --json | jq -r .names.database) && owner=\$($CLI status $gone --json | jq -r .names.ownerRole) &&
    docker exec db-$gone psql -q -U \$owner -d \$db -c 'CREATE TABLE kept_through_archive (x int); INSERT INTO kept_through_archive VALUES (42)' &&
    $CLI deprovision $gone | tail -n 1 | grep -qx '$gone: ARCHIVED'"
check "$gone: archived, no container runs, its two volumes are kept and listed with their size" \
  bash -o pipefail -c "[[ -z \$(docker ps -aq --filter label=tenantplane.customer=$gone) ]] &&
    (( \$(docker volume ls -q --filter label=tenantplane.customer=$gone | wc -l) == 2 )) &&
    $CLI list --json | jq -e --arg id $gone '.[] | select(.id == \$id) | .status == \"ARCHIVED\"
      and (.archive.volumes | length) == 2 and .archive.bytes > 1000000' &&
    $CLI list | grep -E '^$gone +ARCHIVED .* 2 volumes, [0-9]+ bytes'"
check "$gone: a second deprovision without purge is refused" \
  bash -o pipefail -c "! $CLI deprovision $gone --no-wait"
# Brought back, it runs again on what it kept: the same ports, credentials and data (the row
# written before the archive), as the id's second generation; then archived again.
check "$gone: unarchive brings it back to READY on its kept data, ports and credentials" \
  bash -o pipefail -c "password=\$(sed -n 's/^DB_PASSWORD=//p' customers/$gone/.env) &&
    $CLI unarchive $gone | tail -n 1 | grep -qx '$gone: READY' &&
    $CLI status $gone --json | jq -e '.generation == 2 and .ports.app == $gone_port and .archive == null' &&
    [[ -n \"\$password\" && \$(sed -n 's/^DB_PASSWORD=//p' customers/$gone/.env) == \"\$password\" ]] &&
    db=\$($CLI status $gone --json | jq -r .names.database) && owner=\$($CLI status $gone --json | jq -r .names.ownerRole) &&
    [[ \$(docker exec db-$gone psql -tA -U \$owner -d \$db -c 'SELECT x FROM kept_through_archive') == 42 ]] &&
    curl -fsS -H 'Host: $gone.localhost' http://127.0.0.1:8080/api/health | jq -e '.status == \"healthy\"'"
check "deprovision $gone without purge again ends ARCHIVED" \
  bash -o pipefail -c "$CLI deprovision $gone | tail -n 1 | grep -qx '$gone: ARCHIVED'"
check "purge the archived $gone" $CLI deprovision "$gone" --purge
check "$gone reaches DEPROVISIONED" await_status "$gone" DEPROVISIONED 180
check "$gone: purged customers are listed only with --all" \
  bash -o pipefail -c "! $CLI list --json | jq -e --arg id $gone 'any(.[]; .id == \$id)' &&
    $CLI list --all --json | jq -e --arg id $gone 'any(.[]; .id == \$id and .status == \"DEPROVISIONED\" and .archive == null)'"
check "$gone: no container, network or volume left" \
  bash -o pipefail -c "[[ -z \$(docker ps -aq --filter label=tenantplane.customer=$gone)\$(docker network ls -q --filter label=tenantplane.customer=$gone)\$(docker volume ls -q --filter label=tenantplane.customer=$gone) ]]"
check "$gone: a backup was written before its data went" bash -o pipefail -c "ls customers/$gone/backups/*.sql"
check "$gone: that backup is encrypted on disk and opens through the platform (export-backup)" \
  bash -o pipefail -c "f=\$(ls customers/$gone/backups/*.sql | head -n 1) && [[ \$(head -c 8 \$f) == TPBACKUP ]] &&
    ! grep -q 'PostgreSQL database dump' \$f &&
    $CLI export-backup $gone \$(basename \$f) >$PROOF_DIR/export.sql &&
    grep -q 'PostgreSQL database dump complete' $PROOF_DIR/export.sql; rc=\$?; rm -f $PROOF_DIR/export.sql; exit \$rc"
check "$gone: the backup taken on demand is kept" \
  bash -o pipefail -c "[[ -s \$(jq -r .database.path $PROOF_DIR/backup.json) ]]"
# The services forget it as the deprovisioning passes them: poll, since the migrator's and the
# gateway's copies go only when CustomerDeprovisioned reaches them.
check "$gone: no sealed credential of it is left in any service's tables" \
  bash -o pipefail -c "for i in \$(seq 1 60); do
      bash deploy/proof/sealed-left.sh $gone >$PROOF_DIR/sealed-left.out 2>&1 && exit 0; sleep 1; done; exit 1"
grep -v '^sealed-left:' "$PROOF_DIR/sealed-left.out" || true
check "$gone: its route is gone" \
  bash -o pipefail -c "! curl -fsS -H 'Host: $gone.localhost' http://127.0.0.1:8080/api/health"
check "$kept still answers" \
  bash -o pipefail -c "curl -fsS -H 'Host: $kept.localhost' http://127.0.0.1:8080/api/health | jq -e '.status == \"healthy\"'"

# A failure injected at one step: a container squatting on the name of the new customer's
# database. The provisioner does not touch what is not the customer's, so the step fails
# for good; the operator removes the squatter and retries.
docker create --name "db-$RETRIED" --label tenantplane.test=true \
  "${TENANTPLANE_BASE_IMAGE:-tenantplane/base:bookworm}" true >/dev/null
check "$RETRIED: provisioning on $gone's app port $gone_port fails while db-$RETRIED is taken" \
  bash -o pipefail -c "! $CLI provision --id $RETRIED --name 'E2E gamma' --port $gone_port"
check "$RETRIED: FAILED at START_CONTAINERS, naming the squatter" \
  bash -o pipefail -c "$CLI status $RETRIED --json | jq -e '.status == \"FAILED\" and .lastError.step == \"START_CONTAINERS\" and (.lastError.reason | contains(\"db-$RETRIED\"))'"
check "$RETRIED: its dead letter names START_CONTAINERS, and a replay says to retry instead" \
  bash -o pipefail -c "for i in \$(seq 1 30); do
      letter=\$($CLI dead-letters --customer $RETRIED --json | jq -er '[.[] | select(.step == \"START_CONTAINERS\")][0].id') && break; sleep 1; done &&
    ! $CLI dead-letters replay \$letter 2>$PROOF_DIR/replay-$RETRIED && grep -q '/retry' $PROOF_DIR/replay-$RETRIED"
docker rm -v "db-$RETRIED" >/dev/null
check "$RETRIED: retry after the fix" $CLI retry "$RETRIED"
check "$RETRIED reaches READY" await_status "$RETRIED" READY 240
check "$RETRIED: $gone's ports came back to the pool (app port $gone_port)" \
  bash -o pipefail -c "$CLI status $RETRIED --json | jq -e '.ports.app == $gone_port'"
verify_stack "$RETRIED"
[[ ! -r "customers/$RETRIED/.env" ]] || cat "customers/$RETRIED/.env" >>"$SECRETS"
$CLI status "$RETRIED" >>"$CAPTURED" 2>&1 || true

# A purged id can be requested again: a new customer under it (its third generation here), with
# new credentials and none of the old data.
check "$gone: requested again after its purge, a new customer under the id reaches READY" \
  bash -o pipefail -c "$CLI provision --id $gone --name 'E2E gone again' >$PROOF_DIR/$gone.again 2>&1 &&
    $CLI status $gone --json | jq -e '.status == \"READY\" and .generation == 3 and .name == \"E2E gone again\"' &&
    db=\$($CLI status $gone --json | jq -r .names.database) && owner=\$($CLI status $gone --json | jq -r .names.ownerRole) &&
    [[ \$(docker exec db-$gone psql -tA -U \$owner -d \$db -c \"SELECT to_regclass('kept_through_archive') IS NULL\") == t ]]"
verify_stack "$gone"
[[ ! -r "customers/$gone/.env" ]] || cat "customers/$gone/.env" >>"$SECRETS"

# The bad-input corpus, while nothing else changes on the platform: it compares customers,
# Kafka offsets, containers, folders and nginx's configuration before and after.
check "bad input through REST and the CLI is refused and creates nothing" \
  bash -o pipefail -c "bash deploy/proof/bad-input.sh >$PROOF_DIR/bad-input.out 2>&1"
grep -E '^(FAIL|ACCEPTED|bad-input:)' "$PROOF_DIR/bad-input.out" | tail -n 40 || true
cat "$PROOF_DIR/bad-input.out" >>"$CAPTURED"

# Deprovisions that overtake provisionings of the same customers, at four moments.
check "deprovision during provisioning ends DEPROVISIONED with nothing left behind" \
  bash -o pipefail -c "bash deploy/proof/overtake.sh $RUN >$PROOF_DIR/overtake.out 2>&1"
cat "$PROOF_DIR/overtake.out"

# The CLI's own contract (help, exit codes, tables, --json, waiting), on the kept customer; after
# the bad-input corpus, which must see nothing else change meanwhile (suspend and resume do).
check "the CLI follows its contract (deploy/tests/cli.sh)" \
  bash -o pipefail -c "bash deploy/tests/cli.sh $kept $RUN >$PROOF_DIR/cli.out 2>&1"
grep -A8 '^FAIL' "$PROOF_DIR/cli.out" || true
tail -n 1 "$PROOF_DIR/cli.out"

for id in "$kept" "$RETRIED" "$gone"; do
  $CLI deprovision "$id" --purge --no-wait >/dev/null
done
for id in "$kept" "$RETRIED" "$gone"; do
  await_status "$id" DEPROVISIONED 180 || true
done

check "no generated secret in Kafka, service logs or API/CLI output" \
  bash -o pipefail -c "bash deploy/proof/secret-scan.sh $SECRETS $CAPTURED >$PROOF_DIR/scan.out 2>&1"
cat "$PROOF_DIR/scan.out"

printf 'e2e: %d failed checks, %ss\n' "$failures" $(($(date +%s) - started))
((failures == 0))
