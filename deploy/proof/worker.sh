#!/usr/bin/env bash
# The worker of one READY customer, through its real stack: jobs submitted to app-<id>'s API are
# run by worker-<id> and their results are in the customer's database under Row-Level Security;
# the health JSON reports the worker and the queue, and so does the customer's status; a worker
# killed in the middle of a job is found missing by the health-monitor, restarted, and the job is
# completed once; a job that fails on purpose lands in the failed set with its error, and a retry
# through the API runs it again to done. Each failing check prints what it saw. The last line
# reads `worker: failed = F of N` and the exit status is non-zero unless F is 0.
#
#   deploy/proof/worker.sh CUSTOMER_ID
set -euo pipefail
cd "$(dirname "$0")/../.."

ID="${1:?usage: worker.sh CUSTOMER_ID}"
CLI=deploy/tenantplane
# Heartbeat expiry (15 s) + failing rounds before a restart (3 x 5 s) + the restart + the job.
RESTART_LIMIT=180
WORK="$(mktemp -d)"
chmod 0700 "$WORK"
trap 'rm -rf "$WORK"' EXIT

# shellcheck source=deploy/lib/tenant-api.sh
source deploy/lib/tenant-api.sh

# shellcheck source=deploy/lib/proof-checks.sh
source deploy/lib/proof-checks.sh

# poll LIMIT_SECONDS COMMAND...: until the command succeeds; the last output stays for check.
poll() {
  local limit="$1" waited=0
  shift
  until "$@"; do
    ((waited < limit)) || return 1
    sleep 1
    waited=$((waited + 1))
  done
}

[[ -r "customers/$ID/.env" ]] || { echo "no customers/$ID/.env: is $ID provisioned?" >&2; exit 2; }
APP_PORT="$($CLI status "$ID" --json | jq -r .ports.app)"
APP="http://127.0.0.1:$APP_PORT"
ORG="$(tp_tenant_org "$ID")"
tp_tenant_auth_header "$ID" "$ORG" "$WORK/auth"

api() { curl -sS --max-time 10 -H @"$WORK/auth" -H 'Content-Type: application/json' "$@"; }
submit() { api -X POST -d "$1" "$APP/api/jobs" | jq -er .id; }
job() { api "$APP/api/jobs/$1"; }
job_is() { job "$1" | tee /dev/stderr | jq -e --arg s "$2" '.status == $s' >/dev/null; }

# As the app role, the way the app reads: only rows of the organization set for the transaction.
as_app() { tp_tenant_psql "$ID" app "$@"; }
status_in_organization() {
  as_app -c BEGIN -c "SELECT set_config('app.current_org', '$ORG', true)" \
    -c "SELECT status FROM jobs WHERE id = '$1'" -c COMMIT | tee /dev/stderr | grep -qx "$2"
}
no_job_without_organization() {
  [[ "$(as_app -c 'SELECT count(*) FROM jobs' | tee /dev/stderr)" == 0 ]]
}
# On failure it shows every line the worker logged about the job, and its starts and stops. Polled:
# the row says done just before the worker logs it, and the engine copies the log a moment later.
logged_done_once() {
  docker logs "worker-$ID" 2>&1 | grep -E "job=$1 |step=worker " || true
  [[ "$(docker logs "worker-$ID" 2>&1 | grep -c "job=$1 .*outcome=done")" == 1 ]]
}

# --- a job through the stack --------------------------------------------------------------------
api -X POST -d '{"title":"Worker proof deal","amount":"1234.50"}' "$APP/api/deals" >/dev/null
summary="$(submit '{"kind":"deal-summary"}')"
check "a deal-summary job submitted to app-$ID is done" poll 60 job_is "$summary" "done"
check "worker-$ID ran it (its log has the job done once)" poll 15 logged_done_once "$summary"
check "its result counts the deal" bash -o pipefail -c \
  "curl -sS -H @$WORK/auth $APP/api/jobs/$summary | jq -e '.result.lead.deals >= 1'"
check "the app role reads the job's row as done inside its organization" \
  status_in_organization "$summary" "done"
check "without an organization the app role sees no job at all" no_job_without_organization
check "health reports the worker alive and the queue's counts" bash -o pipefail -c \
  "curl -sS $APP/api/health | tee /dev/stderr | jq -e '.worker.status == \"alive\" and (.queue.waiting | type) == \"number\" and (.queue.failed | type) == \"number\"'"
check "the customer's status shows its queue" poll 30 bash -o pipefail -c \
  "$CLI status $ID --json | jq -e '.queue.observedAt != null and (.queue.running | type) == \"number\"'"

# --- a worker killed in the middle of a job -----------------------------------------------------
long="$(submit '{"kind":"diagnostic","millis":8000}')"
check "the long job is running" poll 30 bash -o pipefail -c \
  "curl -sS $APP/api/health | jq -e '.queue.running == 1'"
restarts_before="$($CLI status "$ID" --json | jq '[.timeline[] | select(.type == "tenantplane.container.restarted.v1")] | length')"
docker kill "worker-$ID" >/dev/null
check "health reports the killed worker missing" poll 30 bash -o pipefail -c \
  "curl -sS $APP/api/health | jq -e '.worker.status == \"missing\"'"
check "the health-monitor has worker-$ID restarted" poll "$RESTART_LIMIT" bash -o pipefail -c \
  "$CLI status $ID --json | jq -e '[.timeline[] | select(.type == \"tenantplane.container.restarted.v1\")] | length > $restarts_before'"
check "the job held by the killed worker is done after the restart" poll 90 job_is "$long" "done"
check "and done once" poll 15 logged_done_once "$long"
check "the customer is reported healthy again" poll 90 bash -o pipefail -c \
  "$CLI status $ID --json | jq -e '.health.status == \"HEALTHY\"'"

# --- a job that fails on purpose, then a retry --------------------------------------------------
failing="$(submit '{"kind":"diagnostic","failRuns":2}')"
check "a job failing every attempt ends in the failed set with its error" poll 60 bash -o pipefail -c \
  "curl -sS -H @$WORK/auth $APP/api/jobs/$failing | tee /dev/stderr | jq -e '.status == \"failed\" and (.error | contains(\"fails on purpose\"))'"
check "the failed list names it, and health counts it" bash -o pipefail -c \
  "curl -sS -H @$WORK/auth '$APP/api/jobs?status=failed' | jq -e 'map(.id) | index(\"$failing\")' &&
   curl -sS $APP/api/health | jq -e '.queue.failed >= 1'"
check "a retry through the API is accepted" bash -o pipefail -c \
  "[[ \$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H @$WORK/auth $APP/api/jobs/$failing/retry) == 202 ]]"
check "the retried job is done on its third run" poll 60 bash -o pipefail -c \
  "curl -sS -H @$WORK/auth $APP/api/jobs/$failing | tee /dev/stderr | jq -e '.status == \"done\" and .result.run == 3'"
check "a second retry of a done job is refused (409)" bash -o pipefail -c \
  "[[ \$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H @$WORK/auth $APP/api/jobs/$failing/retry) == 409 ]]"

printf 'worker: failed = %d of %d\n' "$failed" "$checks"
((failed == 0))
