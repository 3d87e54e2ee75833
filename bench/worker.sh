#!/usr/bin/env bash
# Jobs per second one worker completes, on the running platform: a customer is provisioned
# (bench-worker-<run>), its worker is paused while TENANTPLANE_BENCH_JOBS jobs (default 200) are
# submitted through its app's API, then unpaused; the clock runs from the unpause until every
# job's row says done. Once for deal-summary jobs (a summary query and an update per job) and once
# for diagnostic jobs of 0 ms (the queue's own cost and the row update). The worker is paused for
# the submissions only, well within its heartbeat's 15 s, so the health-monitor does not step in.
# Prints the figures and writes them, with date and commit, to BENCHMARKS.md (its own section);
# the customer is deprovisioned with purge after.
#
#   bash deploy/tenantplane up && bash bench/worker.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${TENANTPLANE_BENCH_JOBS:=200}"
CLI=deploy/tenantplane
ID="bench-worker-$(date +%s)"
WORK="$(mktemp -d)"
chmod 0700 "$WORK"
# shellcheck source=deploy/lib/tenant-api.sh
source deploy/lib/tenant-api.sh
# shellcheck source=bench/lib/section.sh
source bench/lib/section.sh

cleanup() {
  docker unpause "worker-$ID" >/dev/null 2>&1 || true
  $CLI deprovision "$ID" --purge >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

now_ms() { printf '%s\n' "$(($(date +%s%N) / 1000000))"; }

$CLI provision --id "$ID" --name "Worker benchmark" >/dev/null
APP="http://127.0.0.1:$($CLI status "$ID" --json | jq -r .ports.app)"
ORG="$(tp_tenant_org "$ID")"
tp_tenant_auth_header "$ID" "$ORG" "$WORK/auth"
done_count() {
  tp_tenant_psql "$ID" owner -c "SELECT count(*) FROM jobs WHERE kind = '$1' AND status = 'done'"
}
curl -fsS -H @"$WORK/auth" -H 'Content-Type: application/json' \
  -d '{"title":"Benchmark deal","amount":"10.00"}' "$APP/api/deals" >/dev/null

# run KIND BODY: submits the jobs with the worker paused, then times the drain; prints
# "submitted_ms drain_ms jobs_per_second".
run() {
  local kind="$1" body="$2" submit_started submitted drain_started drained
  docker pause "worker-$ID" >/dev/null
  submit_started="$(now_ms)"
  seq "$TENANTPLANE_BENCH_JOBS" | xargs -P 4 -I{} curl -fsS -o /dev/null -H @"$WORK/auth" \
    -H 'Content-Type: application/json' -d "$body" "$APP/api/jobs"
  submitted="$(($(now_ms) - submit_started))"
  drain_started="$(now_ms)"
  docker unpause "worker-$ID" >/dev/null
  local deadline=$((drain_started + 300000))
  until (($(done_count "$kind") >= TENANTPLANE_BENCH_JOBS)); do
    (($(now_ms) < deadline)) || { echo "bench: $kind jobs not done within 300 s" >&2; exit 1; }
    sleep 0.1
  done
  drained="$(($(now_ms) - drain_started))"
  printf '%s %s %s\n' "$submitted" "$drained" \
    "$(awk -v n="$TENANTPLANE_BENCH_JOBS" -v ms="$drained" 'BEGIN { printf "%.1f", n * 1000 / ms }')"
}

read -r summary_submit summary_drain summary_rate < <(run deal-summary '{"kind":"deal-summary"}')
read -r diag_submit diag_drain diag_rate < <(run diagnostic '{"kind":"diagnostic","millis":0}')

{
  printf '## One worker: jobs per second (`bash bench/worker.sh`)\n\n'
  printf 'Run %s, commit %s; %d jobs of each kind queued with the worker paused, then drained by `worker-<id>` (512 MiB, 0.5 CPU) on this machine (%s cores); the clock runs from the unpause until every row says done.\n\n' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!BENCHMARKS.md' || printf ' (with uncommitted changes)')" \
    "$TENANTPLANE_BENCH_JOBS" "$(nproc)"
  printf '| kind | submitted through the API (ms, 4 clients) | drained (ms) | jobs per second |\n|---|---|---|---|\n'
  printf '| deal-summary | %s | %s | %s |\n' "$summary_submit" "$summary_drain" "$summary_rate"
  printf '| diagnostic, 0 ms | %s | %s | %s |\n' "$diag_submit" "$diag_drain" "$diag_rate"
} >"$WORK/section"
tp_bench_section worker "$WORK/section"
cat "$WORK/section"
