#!/usr/bin/env bash
# Measures provisioning on the running platform against the floor, in one run:
#   1. the floor: the stack's four images started with plain `docker run` in parallel until each
#      answers (PostgreSQL login, Redis PING, app and worker health), then the tenant migration
#      applied with psql; once for one stack and once for TENANTPLANE_BENCH_BATCH stacks at once;
#   2. one customer at a time, TENANTPLANE_BENCH_SINGLES runs (default 5);
#   3. TENANTPLANE_BENCH_BATCH customers posted at once (default 10).
# Prints p50/p95 of request -> READY, the all-READY time of the batch, the ratio to the floor, the
# mean of each step, the control-plane hop latency (steps with no Docker work), the host CPU used
# per customer (floor and platform) and the idle memory of one customer, and writes exactly those figures, with date and commit, to its section of BENCHMARKS.md.
# Customers are named bench-<run>-<n> (each run its own ids) and deprovisioned with purge after.
#
#   bash deploy/tenantplane up && bash bench/provision.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${TENANTPLANE_BENCH_SINGLES:=5}"
: "${TENANTPLANE_BENCH_BATCH:=10}"
CLI=deploy/tenantplane
# shellcheck source=bench/lib/section.sh
source bench/lib/section.sh
RUN="$(date +%s)"
LABEL="tenantplane.bench=$RUN"
work="$(mktemp -d)"
results="$work/results.jsonl"
: >"$results"

now_ms() { printf '%s\n' "$(($(date +%s%N) / 1000000))"; }

# --- the floor ----------------------------------------------------------------------------------
# shellcheck source=deploy/lib/images.sh
source deploy/lib/images.sh
: "${TENANTPLANE_VERSION:=0.1.0-SNAPSHOT}"

floor_cleanup() {
  local ids
  ids="$(docker ps -aq --filter "label=$LABEL")"
  # shellcheck disable=SC2086
  [[ -z "$ids" ]] || docker rm -f -v $ids >/dev/null
  ids="$(docker network ls -q --filter "label=$LABEL")"
  # shellcheck disable=SC2086
  [[ -z "$ids" ]] || docker network rm $ids >/dev/null
}

# Prints N free TCP ports on 127.0.0.1 from the kernel, all held until the last is chosen, so
# that stacks started at the same time never get the same port.
free_ports() {
  python3 -c 'import socket, sys
held = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); held.append(s)
print(" ".join(str(s.getsockname()[1]) for s in held))' "$1"
}

# Waits (bounded) until "$@" succeeds; prints the milliseconds since $1.
wait_until() {
  local since="$1" deadline=$(($(now_ms) + 240000))
  shift
  until "$@" >/dev/null 2>&1; do
    (($(now_ms) < deadline)) || {
      printf 'timeout\n'
      return 0
    }
    sleep 0.02
  done
  printf '%s\n' "$(($(now_ms) - since))"
}

# Host CPU time (user + system + softirq, all cores) used so far, in centiseconds.
cpu_cs() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }

# One floor stack, number $1, on ports $2..$5 (db redis app worker), timed from $6: writes
# "db redis migration app worker total" (ms) to $work/floor-$1.
floor_stack() {
  local n="$1" db_port="$2" redis_port="$3" app_port="$4" worker_port="$5" started="$6"
  local id="bench-floor-$RUN-$n" net pw redis_pw db redis migrate app worker total
  local database="saas_bench_floor_$n" owner="customer_bench_floor_$n"
  net="$id"
  pw="$(head -c 18 /dev/urandom | base64 | tr -d '+/=')"
  redis_pw="$(head -c 18 /dev/urandom | base64 | tr -d '+/=')"
  docker network create --label "$LABEL" "$net" >/dev/null
  local app_env=(-e CUSTOMER_ID="$id" -e CUSTOMER_NAME="Bench floor" -e NODE_ENV=production
    -e TENANT_HTTP_HOST=0.0.0.0 -e PORT=3000 -e DB_HOST="db-$id" -e DB_PORT=5432
    -e DB_NAME="$database" -e DB_USER="$owner" -e REDIS_HOST="redis-$id"
    -e REDIS_PORT=6379 -e JWT_SECRET=floor-only-not-a-secret -e ENCRYPTION_KEY=floor-only-not-a-secret)
  # A throw-away stack on a private network, removed at once: the passwords reach `docker run`
  # through its environment (`-e NAME` without a value), not its command line.
  export POSTGRES_PASSWORD="$pw" DB_PASSWORD="$pw" REDIS_PASSWORD="$redis_pw"
  docker run -d --label "$LABEL" --network "$net" --name "db-$id" \
    -p "127.0.0.1:$db_port:5432" -e POSTGRES_USER="$owner" -e POSTGRES_PASSWORD \
    -e POSTGRES_DB="$database" "$TENANTPLANE_POSTGRES_IMAGE" >/dev/null &
  docker run -d --label "$LABEL" --network "$net" --name "redis-$id" \
    -p "127.0.0.1:$redis_port:6379" -e REDIS_PASSWORD "$TENANTPLANE_REDIS_IMAGE" >/dev/null &
  docker run -d --label "$LABEL" --network "$net" --name "app-$id" -p "127.0.0.1:$app_port:3000" \
    "${app_env[@]}" -e TENANT_ROLE=app -e DB_PASSWORD -e REDIS_PASSWORD \
    "tenantplane/tenant-app:$TENANTPLANE_VERSION" >/dev/null &
  docker run -d --label "$LABEL" --network "$net" --name "worker-$id" -p "127.0.0.1:$worker_port:3000" \
    "${app_env[@]}" -e TENANT_ROLE=worker -e DB_PASSWORD -e REDIS_PASSWORD \
    "tenantplane/tenant-app:$TENANTPLANE_VERSION" >/dev/null &
  wait
  unset POSTGRES_PASSWORD DB_PASSWORD REDIS_PASSWORD
  db="$(wait_until "$started" env PGPASSWORD="$pw" PGCONNECT_TIMEOUT=1 psql -h 127.0.0.1 -p "$db_port" \
    -U "$owner" -d "$database" -tAc 'SELECT 1')"
  redis="$(wait_until "$started" sh -c "REDISCLI_AUTH='$redis_pw' redis-cli -h 127.0.0.1 -p $redis_port ping | grep -q PONG")"
  local migrate_started
  migrate_started="$(now_ms)"
  # The migrator's Flyway placeholders, filled in as it fills them for this customer.
  sed -e "s/\${database}/$database/g" -e "s/\${app_role}/app_bench_floor_$n/g" \
    migrator/src/main/resources/tenant-db/V*.sql |
    PGPASSWORD="$pw" psql -q -h 127.0.0.1 -p "$db_port" -U "$owner" -d "$database" \
      -v ON_ERROR_STOP=1 >/dev/null
  migrate="$(($(now_ms) - migrate_started))"
  app="$(wait_until "$started" curl -fsS -m 1 "http://127.0.0.1:$app_port/api/health")"
  worker="$(wait_until "$started" curl -fsS -m 1 "http://127.0.0.1:$worker_port/api/health")"
  total="$(($(now_ms) - started))"
  printf '%s %s %s %s %s %s\n' "$db" "$redis" "$migrate" "$app" "$worker" "$total" >"$work/floor-$n"
}

# Starts $1 floor stacks at once; sets floor_wall (ms until every one answered and was migrated),
# floor_cpu (host CPU seconds used meanwhile, all cores) and, from stack 1, floor_db, floor_redis,
# floor_migrate, floor_app, floor_worker and floor_total.
measure_floor() {
  local size="$1" n ports started cpu_before
  read -r -a ports <<<"$(free_ports $((size * 4)))"
  started="$(now_ms)"
  cpu_before="$(cpu_cs)"
  for ((n = 1; n <= size; n++)); do
    floor_stack "$n" "${ports[@]:$(((n - 1) * 4)):4}" "$started" &
  done
  wait
  floor_wall="$(($(now_ms) - started))"
  floor_cpu="$((($(cpu_cs) - cpu_before) / 100))"
  read -r floor_db floor_redis floor_migrate floor_app floor_worker floor_total <"$work/floor-1"
  floor_cleanup
}

# --- the platform -------------------------------------------------------------------------------
await_final() {
  local id="$1" status deadline=$(($(date +%s) + 600))
  while (($(date +%s) < deadline)); do
    status="$($CLI status "$id" --json | jq -r .status)"
    case "$status" in READY | FAILED) printf '%s\n' "$status"; return 0 ;; esac
    sleep 0.2
  done
  printf 'TIMEOUT\n'
}

# Milliseconds from the request to READY, and each step's duration, from the gateway's timeline.
record() {
  $CLI status "$1" --json | jq -c --arg batch "$2" '{id, batch: $batch, ready_ms: ([.timeline[] | .durationMillis] | add),
    steps: [.timeline[1:][] | {type, ms: .durationMillis}]}' >>"$results"
}

# Posts $1 customers at once; prints the milliseconds until the last one was READY.
run_batch() {
  local size="$1" first="$2" batch="$3" i ids=() started failed=0
  started="$(now_ms)"
  for ((i = first; i < first + size; i++)); do
    ids+=("bench-$RUN-$i")
    $CLI provision --id "bench-$RUN-$i" --name "Bench $i" >/dev/null 2>&1 &
  done
  wait || true
  for id in "${ids[@]}"; do
    if [[ "$(await_final "$id")" == READY ]]; then
      record "$id" "$batch"
    else
      failed=$((failed + 1))
      printf 'bench: %s did not become READY\n' "$id" >&2
    fi
  done
  printf '%s %s\n' "$(($(now_ms) - started))" "$failed"
}

cleanup() {
  local id ids
  ids="$($CLI list --json | jq -r '.[] | select((.id | startswith("bench-")) and .status != "DEPROVISIONED") | .id')"
  for id in $ids; do
    $CLI deprovision "$id" --purge --no-wait >/dev/null 2>&1 || true
  done
  for id in $ids; do
    local deadline=$(($(date +%s) + 180))
    until [[ "$($CLI status "$id" --json | jq -r .status)" == DEPROVISIONED ]] || (($(date +%s) >= deadline)); do
      sleep 1
    done
  done
}

finish() {
  floor_cleanup
  rm -rf "$work"
}
trap finish EXIT

cleanup
measure_floor "$TENANTPLANE_BENCH_BATCH"
batch_floor_ms="$floor_wall" batch_floor_cpu="$floor_cpu"
printf 'floor of %d at once: all answered after %s ms, %s CPU s\n' \
  "$TENANTPLANE_BENCH_BATCH" "$batch_floor_ms" "$batch_floor_cpu"
measure_floor 1
printf 'floor: db %s ms, redis %s ms, migration %s ms, app %s ms, worker %s ms\n' \
  "$floor_db" "$floor_redis" "$floor_migrate" "$floor_app" "$floor_worker"

for ((n = 1; n <= TENANTPLANE_BENCH_SINGLES; n++)); do
  read -r ms failed < <(run_batch 1 "$n" single)
  printf 'single %d: %s ms%s\n' "$n" "$ms" "$( ((failed == 0)) || printf ' (failed)')"
  if ((n == 1)); then
    # One idle customer's memory, once its JVMs have settled.
    sleep 20
    idle_rss="$(docker stats --no-stream --format '{{.Name}} {{.MemUsage}}' |
      awk -v id="bench-$RUN-1" '$1 ~ ("-" id "$") {print}')"
  fi
done
# How many instances of each service ran, for the report's header.
instances="$(docker ps --filter label=tenantplane.service --format '{{.Label "tenantplane.service"}}' |
  sort | uniq -c | awk '{printf "%s%s %s", sep, $2, $1; sep = ", "}')"
batch_cpu_before="$(cpu_cs)"
read -r batch_ms batch_failed < <(run_batch "$TENANTPLANE_BENCH_BATCH" 100 batch)
batch_cpu="$((($(cpu_cs) - batch_cpu_before) / 100))"
printf 'batch of %d: all READY after %s ms, %d failed\n' "$TENANTPLANE_BENCH_BATCH" "$batch_ms" "$batch_failed"

percentile() { # batch p
  jq -rs --arg b "$1" --argjson p "$2" '[.[] | select(.batch == $b) | .ready_ms] | sort |
    if length == 0 then "n/a" else .[((length - 1) * $p | ceil)] end' "$results"
}
single_p50="$(percentile single 0.5)"
single_p95="$(percentile single 0.95)"
batch_p50="$(percentile batch 0.5)"
batch_p95="$(percentile batch 0.95)"
ratio=n/a
if [[ "$single_p50" =~ ^[0-9]+$ && "$floor_total" =~ ^[0-9]+$ ]] && ((floor_total > 0)); then
  ratio="$(jq -n --argjson a "$single_p50" --argjson f "$floor_total" '$a / $f * 100 | round / 100')"
fi
batch_ratio="$(jq -n --argjson a "$batch_ms" --argjson f "$batch_floor_ms" '$a / $f * 100 | round / 100')"
per_customer() { jq -n --argjson cpu "$1" --argjson n "$TENANTPLANE_BENCH_BATCH" '$cpu / $n * 10 | round / 10'; }
steps="$(jq -rs '[.[] | .batch as $b | .steps[] | . + {batch: $b}] | group_by(.type) |
  map("| \(.[0].type) | \([.[] | select(.batch == "single") | .ms] | if length > 0 then (add / length | floor) else "n/a" end) | \([.[] | select(.batch == "batch") | .ms] | if length > 0 then (add / length | floor) else "n/a" end) |") | .[]' "$results")"
hops="$(jq -rs '[.[] | select(.batch == "single") | .steps[] |
  select(.type == "tenantplane.resources.allocated.v1" or .type == "tenantplane.routes.published.v1")] |
  group_by(.type) | map("| \(.[0].type) | \(map(.ms) | sort | .[(length - 1) / 2 | floor]) |") | .[]' "$results")"

{
  printf 'Written by `bash bench/provision.sh` on the platform of `bash deploy/tenantplane up` (services as containers; instances: %s). Machine: %s cores, %s GiB RAM, %s. Run %s, commit %s.\n\n' \
    "$instances" "$(nproc)" "$(free -g | awk '/Mem:/ {print $2}')" "$(. /etc/os-release && printf '%s' "$PRETTY_NAME")" \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!BENCHMARKS.md' || printf ' (with uncommitted changes)')"
  printf '## Request to READY\n\n| measure | ms |\n|---|---|\n'
  printf '| one at a time, p50 of %d | %s |\n| one at a time, p95 of %d | %s |\n' \
    "$TENANTPLANE_BENCH_SINGLES" "$single_p50" "$TENANTPLANE_BENCH_SINGLES" "$single_p95"
  printf '| %d at once, p50 | %s |\n| %d at once, p95 | %s |\n| %d at once, all READY (%d failed) | %s |\n' \
    "$TENANTPLANE_BENCH_BATCH" "$batch_p50" "$TENANTPLANE_BENCH_BATCH" "$batch_p95" \
    "$TENANTPLANE_BENCH_BATCH" "$batch_failed" "$batch_ms"
  printf '| floor: four containers by `docker run` until they answer, plus the migration by psql | %s |\n' "$floor_total"
  printf '| ratio: one at a time p50 / floor | %s |\n' "$ratio"
  printf '| floor of %d: as many such stacks started at once, until every one answered | %s |\n' \
    "$TENANTPLANE_BENCH_BATCH" "$batch_floor_ms"
  printf '| ratio: %d at once all READY / floor of %d | %s |\n\n' \
    "$TENANTPLANE_BENCH_BATCH" "$TENANTPLANE_BENCH_BATCH" "$batch_ratio"
  printf '## Host CPU per customer while %d start at once (seconds, both cores together)\n\n' "$TENANTPLANE_BENCH_BATCH"
  printf '| run | CPU s per customer |\n|---|---|\n| floor (`docker run`, psql) | %s |\n| platform | %s |\n\n' \
    "$(per_customer "$batch_floor_cpu")" "$(per_customer "$batch_cpu")"
  printf '## The floor, part by part (ms from `docker run`)\n\n| part | ms |\n|---|---|\n'
  printf '| PostgreSQL accepts a login | %s |\n| Redis answers PING | %s |\n| migration applied by psql (after both) | %s |\n| app health 200 | %s |\n| worker health 200 | %s |\n\n' \
    "$floor_db" "$floor_redis" "$floor_migrate" "$floor_app" "$floor_worker"
  printf '## Mean duration of each step (ms, from the previous event to this one)\n\n| event | one at a time | %d at once |\n|---|---|---|\n%s\n\n' \
    "$TENANTPLANE_BENCH_BATCH" "$steps"
  printf '## Control-plane hop latency: steps with no Docker work, event in to event out (p50 ms, one at a time)\n\n| event | p50 ms |\n|---|---|\n%s\n\n' "$hops"
  printf '## Memory of one idle customer (docker stats, 20 s after READY)\n\n```\n%s\n```\n' "$idle_rss"
} >"$work/section"
tp_bench_section provision "$work/section"
cat "$work/section"
cleanup
