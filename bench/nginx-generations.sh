#!/usr/bin/env bash
# Whether old nginx workers pile up while clients hold connections through reloads:
# TENANTPLANE_BENCH_CLIENTS Server-Sent Events streams (default 1000) opened through a real nginx
# to one customer's app, a share before each of TENANTPLANE_BENCH_CHANGES route changes (default
# 100), with TENANTPLANE_BENCH_ROUTES routes live (default 1000); nginx's memory and processes
# sampled after every change, then the time until the retired workers are gone. Needs the Docker
# engine and the local images (deploy/images/build.sh), not the platform. Prints the figures and
# writes them, with date and commit, to BENCHMARKS.md (its own section).
#
#   bash bench/nginx-generations.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${TENANTPLANE_BENCH_CLIENTS:=1000}"
: "${TENANTPLANE_BENCH_CHANGES:=100}"
: "${TENANTPLANE_BENCH_ROUTES:=1000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=bench/lib/section.sh
source bench/lib/section.sh

load_before="$(cut -d' ' -f1 /proc/loadavg)"
# The streams all come from 127.0.0.1 to one customer: the per-client rate limit is lifted.
mvn -B -q -o -ntp -pl common,service-kit,docker-client,nginx-configurer verify \
  -Dit.test=NginxGenerationsBench -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dtenantplane.bench.clients="$TENANTPLANE_BENCH_CLIENTS" \
  -Dtenantplane.bench.changes="$TENANTPLANE_BENCH_CHANGES" -Dtenantplane.bench.routes="$TENANTPLANE_BENCH_ROUTES" \
  -Dtenantplane.nginx.rate-limit.requests-per-second=100000 -Dtenantplane.nginx.rate-limit.burst=100000 \
  -Dtenantplane.bench.out="$WORK/out" >"$WORK/mvn.log" 2>&1 || { tail -n 40 "$WORK/mvn.log"; exit 1; }
load_after="$(cut -d' ' -f1 /proc/loadavg)"

commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- nginx-configurer deploy/images/nginx || echo ' (with uncommitted changes)')"
{
  printf '## Old nginx workers while clients hold streams (`bash bench/nginx-generations.sh`)\n\n'
  printf 'Run %s, commit %s, on this machine (%s cores, load average %s before, %s after): Server-Sent Events streams opened through nginx to one app, a share before each route change, every stream kept open; the changes applied one after another through the reconciler (each a reload, at most one per `min-reload-interval`). Memory is what the nginx container is charged for (limit 128 MiB, as the platform runs it), processes are nginx processes (master, workers, and retired workers still holding streams). "Settled" is the time from the last change until only the current workers are left; retired workers close their streams after the image'"'"'s `worker_shutdown_timeout`.\n\n' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$commit" "$(nproc)" "$load_before" "$load_after"
  printf '| routes | streams | changes | changes took (ms) | memory before (KiB) | memory at most (KiB) | processes before | processes at most | settled after (s) | memory after (KiB) | streams still open after | failed |\n'
  printf '|---|---|---|---|---|---|---|---|---|---|---|---|\n'
  while read -r line; do
    declare -A f=()
    for kv in $line; do f[${kv%%=*}]="${kv#*=}"; done
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${f[routes]}" "${f[streams_opened]}" \
      "${f[changes]}" "${f[changes_ms]}" "${f[before_kib]}" "${f[max_kib]}" "${f[before_processes]}" \
      "${f[max_processes]}" "${f[settle_s]}" "${f[after_kib]}" "${f[streams_open_after_cut]}" "${f[failed]:-no}"
  done <"$WORK/out"
} >"$WORK/section"
cat "$WORK/section"
tp_bench_section nginx-generations "$WORK/section"
