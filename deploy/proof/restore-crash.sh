#!/usr/bin/env bash
# A restore interrupted by a crash of the provisioner converges. The customer's database is frozen
# (docker pause) as soon as the restore has stopped its app, so the crash lands while the restore
# is running; then every provisioner instance is SIGKILLed, the database let go, and the restarted
# provisioner is redelivered the restore. It must end READY with the backup's data: a table made
# after the backup is gone, the seed's organisation is there, the app answers through nginx.
# The last line reads `restore-crash: failed = F of N`; the exit status is non-zero unless F is 0.
#
#   deploy/proof/restore-crash.sh CUSTOMER_ID BACKUP_ID
set -euo pipefail
cd "$(dirname "$0")/../.."

ID="${1:?usage: restore-crash.sh CUSTOMER_ID BACKUP_ID}"
BACKUP="${2:?usage: restore-crash.sh CUSTOMER_ID BACKUP_ID}"
CLI=deploy/tenantplane
WORK="$(mktemp -d)"
chmod 0700 "$WORK"
# The database is never left frozen, whatever happens.
trap 'docker unpause "db-$ID" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

# shellcheck source=deploy/lib/proof-checks.sh
source deploy/lib/proof-checks.sh

running() { [[ "$(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" == true ]]; }

# Waits up to 60 s for the restore to stop the app, then freezes the database under it.
freeze_database_mid_restore() {
  for _ in $(seq 1 600); do
    if ! running "app-$ID"; then
      docker pause "db-$ID" >/dev/null
      return 0
    fi
    sleep 0.1
  done
  echo "app-$ID was still running 60 s after the restore was accepted"
  return 1
}

# SIGKILLs the main process of every provisioner instance, as a crash would; the engine restarts
# them (restart policy unless-stopped).
kill_provisioners() {
  local container pid killed=0
  for container in $(docker ps --format '{{.Names}}' --filter label=tenantplane.service=provisioner); do
    pid="$(docker inspect -f '{{.State.Pid}}' "$container")"
    if ((pid > 0)) && kill -KILL "$pid" 2>/dev/null; then
      echo "SIGKILL $container (pid $pid)"
      killed=$((killed + 1))
    fi
  done
  ((killed > 0))
}

restored_events() {
  $CLI status "$ID" --json | jq '[.timeline[] | select(.type == "tenantplane.backup.restored.v1")] | length'
}

# restored_events_are N: the customer's timeline holds N BackupRestored events.
restored_events_are() {
  local count
  count="$(restored_events)"
  echo "BackupRestored events: $count, expected $1"
  ((count == $1))
}

psql_owner() {
  docker exec "db-$ID" psql -tA -U "$OWNER" -d "$DATABASE" -c "$1"
}

DATABASE="$($CLI status "$ID" --json | jq -r .names.database)"
OWNER="$($CLI status "$ID" --json | jq -r .names.ownerRole)"

BEFORE="$(restored_events)"
check "a table is made after the backup" psql_owner 'CREATE TABLE made_before_the_crash (x int)'
check "restore of $BACKUP accepted" $CLI restore "$ID" "$BACKUP" --no-wait
check "the database is frozen once the restore stopped the app" freeze_database_mid_restore
check "every provisioner instance is killed mid-restore" kill_provisioners
check "the crash came before the restore finished (no BackupRestored yet)" \
  restored_events_are "$BEFORE"
docker unpause "db-$ID" >/dev/null 2>&1 || true
check "the restore is retried by the restarted provisioner and ends READY" \
  bash -o pipefail -c "for i in \$(seq 1 300); do
      [[ \$($CLI status $ID --json | jq -r .status) == READY ]] && exit 0; sleep 1; done
    $CLI status $ID; exit 1"
check "the table made after the backup is gone" \
  bash -c "[[ \$(docker exec db-$ID psql -tA -U $OWNER -d $DATABASE -c \"SELECT to_regclass('made_before_the_crash') IS NULL\") == t ]]"
check "the backup's organisation is there" \
  bash -c "(( \$(docker exec db-$ID psql -tA -U $OWNER -d $DATABASE -c 'SELECT count(*) FROM organizations') >= 1 ))"
check "the app answers healthy through nginx" \
  bash -o pipefail -c "curl -fsS -H 'Host: $ID.localhost' http://127.0.0.1:8080/api/health | jq -e '.status == \"healthy\"'"
check "the restore finished exactly once (one more BackupRestored)" \
  restored_events_are $((BEFORE + 1))

echo "restore-crash: failed = $failed of $checks"
((failed == 0))
