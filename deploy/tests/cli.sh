#!/usr/bin/env bash
# The CLI's contract, on the running platform: every command's --help, the exit codes (0 done,
# 1 failed, 2 usage), tables with a header, --json shapes, waiting and --no-wait, completion,
# the audit trail and fleet migrations, and no token on any command line.
# Usage: deploy/tests/cli.sh READY_CUSTOMER_ID RUN
# It provisions (and purges) two customers of its own, cli-RUN and cli-RUN-b.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

CLI=deploy/tenantplane
READY_ID="${1:?a READY customer id}"
OWN_ID="cli-${2:?a run id}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
failures=0

# expect WHAT RC COMMAND...: runs COMMAND, expects exit code RC; on failure prints its output.
expect() {
  local what="$1" want="$2" rc
  shift 2
  "$@" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  if ((rc == want)); then
    printf 'ok    cli: %s\n' "$what"
  else
    printf 'FAIL  cli: %s (exit %s, wanted %s)\n' "$what" "$rc" "$want"
    sed 's/^/      out: /' "$WORK/out" | tail -n 15
    sed 's/^/      err: /' "$WORK/err" | tail -n 15
    failures=$((failures + 1))
  fi
}

# holds WHAT SHELL-TEST: a condition on what the last command printed ($WORK/out, $WORK/err).
holds() {
  local what="$1"
  if OUT="$WORK/out" ERR="$WORK/err" bash -o pipefail -c "$2" >/dev/null 2>&1; then
    printf 'ok    cli: %s\n' "$what"
  else
    printf 'FAIL  cli: %s\n' "$what"
    sed 's/^/      out: /' "$WORK/out" | tail -n 15
    sed 's/^/      err: /' "$WORK/err" | tail -n 15
    failures=$((failures + 1))
  fi
}

expect "--version prints the version" 0 $CLI --version
holds "--version names tenantplane" 'grep -Eq "^tenantplane [0-9]" "$OUT"'
expect "help lists every command" 0 $CLI help
cp "$WORK/out" "$WORK/help"
for cmd in up scale down tls demo provision status list events audit dead-letters retry suspend resume unarchive deprovision export-backup logs trace migrate-fleet fleet-migrations completion; do
  holds "help lists $cmd" "grep -q '^tenantplane $cmd' $WORK/help"
  expect "$cmd --help" 0 $CLI "$cmd" --help
  holds "$cmd --help starts with its usage" "head -n 1 \"\$OUT\" | grep -q '^tenantplane $cmd'"
done
expect "an unknown command is a usage error" 2 $CLI frobnicate
expect "scale without a count is a usage error" 2 $CLI scale provisioner
expect "scale of no such service is a usage error" 2 $CLI scale frobnicator 2
holds "the scale usage error names the services" 'grep -q "services: provisioner" "$ERR"'
expect "scale to 0 is a usage error" 2 $CLI scale provisioner 0
expect "scale to 10 is a usage error" 2 $CLI scale provisioner 10
expect "an unknown option is a usage error" 2 $CLI list --frobnicate
expect "provision without --name is a usage error" 2 $CLI provision --id "$OWN_ID"
holds "the usage error points to --help" 'grep -q "provision --help" "$ERR"'
expect "status of no customer fails" 1 $CLI status "$OWN_ID-none"
holds "the failure names the missing customer" 'grep -q "no customer" "$ERR"'
expect "list with a bad status fails" 1 $CLI list --status BOGUS

expect "list" 0 $CLI list
holds "list has a header and the READY customer" \
  "head -n 1 \"\$OUT\" | grep -Eq '^ID +STATUS +PLAN +CREATED +HOLDS +NAME' && grep -Eq '^$READY_ID +READY ' \"\$OUT\""
expect "list --json" 0 $CLI list --json
holds "list --json is an array holding the customer" "jq -e 'type == \"array\" and any(.[]; .id == \"$READY_ID\")' \"\$OUT\""
expect "list --status READY --json" 0 $CLI list --status READY --json
holds "list --status READY holds only READY customers" "jq -e 'length > 0 and all(.[]; .status == \"READY\")' \"\$OUT\""
expect "status" 0 $CLI status "$READY_ID"
holds "status shows the status and a timeline table" \
  'grep -Eq "^Status: +READY$" "$OUT" && grep -Eq "^TIME +EVENT +STEP +MS$" "$OUT"'
expect "status --json" 0 $CLI status "$READY_ID" --json
holds "status --json has id, status, ports and timeline" \
  "jq -e '.id == \"$READY_ID\" and .status == \"READY\" and (.ports.app | type) == \"number\" and (.timeline | length) >= 6' \"\$OUT\""
expect "events" 0 $CLI events "$READY_ID"
holds "events is a table with a header" \
  'head -n 1 "$OUT" | grep -Eq "^TIME +EVENT +STEP +MS +REASON" && grep -q tenantplane.customer.ready.v1 "$OUT"'
expect "events --json" 0 $CLI events "$READY_ID" --json
holds "events --json is the timeline" "jq -e 'type == \"array\" and any(.[]; .type == \"tenantplane.customer.ready.v1\")' \"\$OUT\""

# The audit trail: who asked for what, filtered as asked.
expect "audit --customer --json" 0 $CLI audit --customer "$READY_ID" --json
holds "audit --json holds the admin's request of the READY customer, and only that customer" \
  "jq -e 'any(.[]; .action == \"customer-requested\" and .actor == \"admin\") and all(.[]; .customerId == \"$READY_ID\")' \"\$OUT\""
expect "audit --actor --action" 0 $CLI audit --actor admin --action customer-requested
holds "audit is a table with a header, newest first" \
  "head -n 1 \"\$OUT\" | grep -Eq '^AT +ACTOR +ACTION +CUSTOMER +EVENT' && grep -Eq ' customer-requested +$READY_ID ' \"\$OUT\" &&
    tail -n +2 \"\$OUT\" | cut -d' ' -f1 | sort -rc"
expect "audit with a bad --since fails" 1 $CLI audit --since yesterday
holds "the failure names since" 'grep -q "since" "$ERR"'
expect "audit --since without a value is a usage error" 2 $CLI audit --since

# The dead letters: a table, --json, and a replay of none.
expect "dead-letters --json" 0 $CLI dead-letters --json
holds "dead-letters --json is an array" "jq -e 'type == \"array\"' \"\$OUT\""
expect "dead-letters" 0 $CLI dead-letters
holds "dead-letters is a table with a header" \
  "head -n 1 \"\$OUT\" | grep -Eq '^ID +RECEIVED +CUSTOMER +STEP +CONSUMER +REPLAYED +REASON'"
expect "dead-letters replay of no dead letter fails" 1 $CLI dead-letters replay 999999999
holds "the failure says there is no such dead letter" 'grep -q "no dead letter" "$ERR"'
expect "dead-letters replay without an id is a usage error" 2 $CLI dead-letters replay

# A fleet migration waits for every customer's outcome; --no-wait returns the accepted run.
expect "migrate-fleet waits for every customer's outcome" 0 $CLI migrate-fleet --max-concurrency 2
holds "migrate-fleet prints the outcome table: the READY customer is already current, none failed" \
  "grep -Eq '^CUSTOMER +OUTCOME +VERSION +REASON' \"\$OUT\" && grep -Eq '^$READY_ID +ALREADY_CURRENT ' \"\$OUT\" && grep -q ', 0 failed' \"\$OUT\""
expect "fleet-migrations --json" 0 $CLI fleet-migrations --json
holds "the newest fleet run is COMPLETED, requested by admin, none failed" \
  "jq -e '.[0].status == \"COMPLETED\" and .[0].requestedBy == \"admin\" and .[0].maxConcurrency == 2 and .[0].failed == 0' \"\$OUT\""
fleet_run="$(jq -r '.[0].id' "$WORK/out")"
expect "fleet-migrations RUN" 0 $CLI fleet-migrations "$fleet_run"
holds "one run shows its status and each customer's outcome" \
  "grep -Eq '^Status: +COMPLETED' \"\$OUT\" && grep -Eq '^$READY_ID +ALREADY_CURRENT ' \"\$OUT\""
expect "fleet-migrations of no run fails" 1 $CLI fleet-migrations 00000000-0000-4000-8000-000000000000
holds "the failure says there is no such run" 'grep -q "no fleet migration" "$ERR"'
expect "migrate-fleet with a bad --max-concurrency is a usage error" 2 $CLI migrate-fleet --max-concurrency many
expect "migrate-fleet --no-wait --json returns at once" 0 $CLI migrate-fleet --no-wait --json
holds "--no-wait --json is the accepted request" \
  "jq -e '.status == \"FLEET_MIGRATION_REQUESTED\" and (.eventId | length) == 36' \"\$OUT\""
nowait_run="$(jq -r .eventId "$WORK/out")"
expect "the run accepted without waiting completes" 0 \
  bash -c "for i in \$(seq 1 120); do [[ \$($CLI fleet-migrations $nowait_run --json | jq -r .status) == COMPLETED ]] && exit 0; sleep 1; done; exit 1"

# Waiting by default: suspend returns once SUSPENDED, resume once READY again.
expect "suspend waits until SUSPENDED" 0 $CLI suspend "$READY_ID"
holds "suspend printed the suspended event and the status" \
  "grep -q tenantplane.customer.suspended.v1 \"\$OUT\" && tail -n 1 \"\$OUT\" | grep -qx '$READY_ID: SUSPENDED'"
expect "resume --json waits until READY" 0 $CLI resume "$READY_ID" --json
holds "resume --json prints one JSON document with READY" "jq -e '.status == \"READY\"' \"\$OUT\""

# A backup waits until it is written and checked; backups lists it, or shows one.
expect "backup waits until the backup is written and checked" 0 $CLI backup "$READY_ID"
holds "backup printed COMPLETED and both files with size and SHA-256" \
  "grep -Eq '^Status: +COMPLETED' \"\$OUT\" && grep -Eq '^Database: +.*/database.dump \\([0-9]+ bytes, sha256 [0-9a-f]{64}\\)' \"\$OUT\" &&
    grep -Eq '^Redis: +.*/redis.rdb \\([0-9]+ bytes, sha256 [0-9a-f]{64}\\)' \"\$OUT\""
expect "backups --json" 0 $CLI backups "$READY_ID" --json
holds "the newest backup is COMPLETED, requested by admin" \
  "jq -e '.[0].status == \"COMPLETED\" and .[0].requestedBy == \"admin\"' \"\$OUT\""
backup_id="$(jq -r '.[0].id' "$WORK/out")"
expect "backups ID BACKUP" 0 $CLI backups "$READY_ID" "$backup_id"
holds "one backup shows its id and status" "grep -Eq '^Backup: +$backup_id of $READY_ID' \"\$OUT\""
# Backup files are encrypted on disk; export-backup gives their plain content, through the platform.
stored="$(jq -r .database.path <<<"$($CLI backups "$READY_ID" "$backup_id" --json)")"
expect "the stored database archive is encrypted" 0 bash -c "[[ \$(head -c 8 '$stored') == TPBACKUP ]]"
expect "export-backup writes the database archive decrypted" 0 \
  bash -c "$CLI export-backup $READY_ID $backup_id >$WORK/export && [[ \$(head -c 5 $WORK/export) == PGDMP ]]"
expect "export-backup --redis writes the Redis snapshot decrypted" 0 \
  bash -c "$CLI export-backup $READY_ID $backup_id --redis >$WORK/export && [[ \$(head -c 5 $WORK/export) == REDIS ]]"
rm -f "$WORK/export"
expect "export-backup of a backup the customer does not have fails" 1 \
  bash -c "$CLI export-backup $READY_ID 00000000-0000-4000-8000-000000000000 >/dev/null"
expect "export-backup without a backup id is a usage error" 2 bash -c "$CLI export-backup $READY_ID >/dev/null"
expect "backup of no customer fails" 1 $CLI backup "$OWN_ID-none"
expect "backup without an id is a usage error" 2 $CLI backup
expect "backups with a bad backup id fails" 1 $CLI backups "$READY_ID" not-a-backup
holds "the failure names backupId" 'grep -q "backupId" "$ERR"'
expect "restore without a backup id is a usage error" 2 $CLI restore "$READY_ID"
expect "restore from a backup the customer does not have fails" 1 \
  $CLI restore "$READY_ID" 00000000-0000-4000-8000-000000000000
holds "the failure says there is no such backup" 'grep -q "has no backup" "$ERR"'
expect "restore --into without a target is a usage error" 2 $CLI restore "$READY_ID" "$backup_id" --into
expect "restore --into twice is a usage error" 2 \
  $CLI restore "$READY_ID" "$backup_id" --into "$OWN_ID-x" --into "$OWN_ID-y"
expect "restore --into a customer that does not exist fails" 1 \
  $CLI restore "$READY_ID" "$backup_id" --into "$OWN_ID-none"
holds "the failure names the missing target" "grep -q 'no customer $OWN_ID-none' \"\$ERR\""
expect "restore --into a target id no customer can have fails" 1 \
  $CLI restore "$READY_ID" "$backup_id" --into Not-An-Id
holds "the failure names targetId" 'grep -q "targetId" "$ERR"'

# --no-wait returns once the request is accepted; deprovision then waits for the end. The token
# must not show on any command line meanwhile (ps shows every argument to every user).
expect "provision --no-wait returns at once" 0 $CLI provision --id "$OWN_ID" --name "CLI check" --no-wait
holds "provision --no-wait says how to follow" 'grep -q "events '"$OWN_ID"' --follow" "$OUT"'
expect "right after --no-wait, the customer is not READY yet" 0 \
  bash -c "[[ \$($CLI status $OWN_ID --json | jq -r .status) != READY ]]"
$CLI events "$OWN_ID" --follow >"$WORK/follow" 2>&1 &
follower=$!
sleep 1
expect "no process shows the API token on its command line" 0 \
  bash -c "! ps -eo args | grep -F -- \"\$(cat .tenantplane/gateway/admin-token)\" | grep -v grep"
expect "deprovision --purge waits until DEPROVISIONED" 0 $CLI deprovision "$OWN_ID" --purge
holds "deprovision printed the deprovisioned event" 'grep -q tenantplane.customer.deprovisioned.v1 "$OUT"'
wait "$follower" 2>/dev/null || true
expect "the deprovisioned customer is DEPROVISIONED" 0 \
  bash -c "[[ \$($CLI status $OWN_ID --json | jq -r .status) == DEPROVISIONED ]]"

# A provision that waits ends, with a failure, when a deprovision overtakes it.
timeout 300 $CLI provision --id "$OWN_ID-b" --name "CLI check b" >"$WORK/overtaken" 2>&1 &
waiter=$!
expect "deprovision of a customer whose provision waits" 0 \
  bash -c "for i in \$(seq 1 200); do $CLI deprovision $OWN_ID-b --purge --no-wait && exit 0; sleep 0.1; done; exit 1"
wait "$waiter"
rc=$?
cp "$WORK/overtaken" "$WORK/out"
holds "the overtaken provision exits 1 saying it was deprovisioned (exit $rc)" \
  "(( $rc == 1 )) && grep -q 'deprovisioned meanwhile' \"\$OUT\""

expect "completion bash" 0 $CLI completion bash
holds "completion completes command names" \
  'source "$OUT"; COMP_WORDS=(tenantplane li); COMP_CWORD=1; _tenantplane; [[ " ${COMPREPLY[*]} " == *" list "* ]]'
holds "completion completes a command's options" \
  'source "$OUT"; COMP_WORDS=(tenantplane provision --n); COMP_CWORD=2; _tenantplane; [[ " ${COMPREPLY[*]} " == *" --name "* && " ${COMPREPLY[*]} " == *" --no-wait "* ]]'

printf 'cli: %d failed checks\n' "$failures"
((failures == 0))
