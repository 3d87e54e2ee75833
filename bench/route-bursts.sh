#!/usr/bin/env bash
# What a burst of route changes costs: TENANTPLANE_BENCH_BURST changes of different customers
# (default 100) handed to nginx-configurer's reconciler at once from 8 threads (the service's step
# concurrency), with TENANTPLANE_BENCH_ROUTES routes live (default "1000,10000"), then the same
# changes one after another; nginx reloads counted. Needs the Docker engine and the local images
# (deploy/images/build.sh), not the platform. Prints the figures and writes them, with date and
# commit, to BENCHMARKS.md (its own section).
#
#   bash bench/route-bursts.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${TENANTPLANE_BENCH_ROUTES:=1000,10000}"
: "${TENANTPLANE_BENCH_BURST:=100}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=bench/lib/section.sh
source bench/lib/section.sh

load_before="$(cut -d' ' -f1 /proc/loadavg)"
mvn -B -q -o -ntp -pl common,service-kit,docker-client,nginx-configurer verify \
  -Dit.test=RouteBurstBench -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dtenantplane.bench.routes="$TENANTPLANE_BENCH_ROUTES" \
  -Dtenantplane.bench.burst="$TENANTPLANE_BENCH_BURST" -Dtenantplane.bench.out="$WORK/out" \
  >"$WORK/mvn.log" 2>&1 || { tail -n 40 "$WORK/mvn.log"; exit 1; }
load_after="$(cut -d' ' -f1 /proc/loadavg)"

commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- nginx-configurer || echo ' (with uncommitted changes)')"
{
  printf '## A burst of route changes (`bash bench/route-bursts.sh`)\n\n'
  printf 'Run %s, commit %s, on this machine (%s cores, load average %s before, %s after): with the routes live in a real nginx, the changes (each moves one customer to another port) are handed to the reconciler at once from 8 threads, as the service gets them from Kafka, then the same number one after another. Changes that wait while a turn runs are applied together in the next turn, with one reload.\n\n' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$commit" "$(nproc)" "$load_before" "$load_after"
  printf '| routes | changes | burst (ms) | reloads in the burst | change p50 in the burst (ms) | change p99 in the burst (ms) | one by one (ms) | reloads one by one |\n'
  printf '|---|---|---|---|---|---|---|---|\n'
  while read -r line; do
    declare -A f=()
    for kv in $line; do f[${kv%%=*}]="${kv#*=}"; done
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "${f[routes]}" "${f[changes]}" "${f[burst_ms]}" \
      "${f[burst_reloads]}" "${f[burst_change_p50_ms]}" "${f[burst_change_p99_ms]}" "${f[one_by_one_ms]}" \
      "${f[one_by_one_reloads]}"
  done <"$WORK/out"
} >"$WORK/section"
cat "$WORK/section"
tp_bench_section route-bursts "$WORK/section"
