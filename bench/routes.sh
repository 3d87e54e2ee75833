#!/usr/bin/env bash
# What one route change costs as the fleet grows: nginx-configurer's renderer and applier (upload,
# nginx -t, swap, reload, probe until the new version answers) against a real nginx container,
# with TENANTPLANE_BENCH_ROUTES routes (default "100,250,500,1000,10000"; a size that fails stops the run) and TENANTPLANE_BENCH_CHANGES
# changes of one route each (default 5). Needs the Docker engine and the local images
# (deploy/images/build.sh), not the platform. Prints the figures and writes them, with date and
# commit, to BENCHMARKS.md (its own section).
#
#   bash bench/routes.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${TENANTPLANE_BENCH_ROUTES:=100,250,500,1000,10000}"
: "${TENANTPLANE_BENCH_CHANGES:=5}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=bench/lib/section.sh
source bench/lib/section.sh

load_before="$(cut -d' ' -f1 /proc/loadavg)"
mvn -B -q -o -ntp -pl common,service-kit,docker-client,nginx-configurer verify \
  -Dit.test=RouteChangeBench -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dtenantplane.bench.routes="$TENANTPLANE_BENCH_ROUTES" \
  -Dtenantplane.bench.changes="$TENANTPLANE_BENCH_CHANGES" -Dtenantplane.bench.out="$WORK/out" \
  >"$WORK/mvn.log" 2>&1 || { tail -n 40 "$WORK/mvn.log"; exit 1; }
load_after="$(cut -d' ' -f1 /proc/loadavg)"

# percentile P VALUES...: the nearest-rank percentile.
percentile() {
  local p="$1"
  shift
  printf '%s\n' "$@" | sort -n | awk -v p="$p" '{v[NR] = $1} END {i = int((p * NR + 99) / 100); if (i < 1) i = 1; print v[i]}'
}

commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- nginx-configurer || echo ' (with uncommitted changes)')"
{
  printf '## One route change as the fleet grows (`bash bench/routes.sh`)\n\n'
  printf 'Run %s, commit %s, on this machine (%s cores, load average %s before, %s after): the whole configuration rendered from the route table, then one route changed at a time and applied as the service applies it (upload, `nginx -t`, swap, reload, probe until nginx answers the new version). nginx memory is what the container is charged for after the last change (master and the workers of every generation still alive; the container is limited to 128 MiB, as the platform runs nginx); a size that failed stops the run.\n\n' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$commit" "$(nproc)" "$load_before" "$load_after"
  printf '| routes | configuration (bytes) | render (ms) | first load (ms) | change p50 (ms) | change p99 (ms) | changes (ms) | nginx memory (KiB) | nginx processes |\n'
  printf '|---|---|---|---|---|---|---|---|---|\n'
  while read -r line; do
    declare -A f=()
    for kv in $line; do f[${kv%%=*}]="${kv#*=}"; done
    if [[ -n "${f[failed]:-}" ]]; then
      printf '| %s | failed: %s |||||||\n' "${f[routes]}" "${f[failed]//_/ }"
      continue
    fi
    IFS=, read -r -a changes <<<"${f[change_ms]}"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${f[routes]}" "${f[config_bytes]}" "${f[render_ms]}" \
      "${f[load_ms]}" "$(percentile 50 "${changes[@]}")" "$(percentile 99 "${changes[@]}")" "${f[change_ms]//,/ }" \
      "${f[nginx_memory_kib]}" "${f[nginx_processes]}"
  done <"$WORK/out"
} >"$WORK/section"
cat "$WORK/section"
tp_bench_section routes "$WORK/section"
