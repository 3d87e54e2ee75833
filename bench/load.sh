#!/usr/bin/env bash
# A bounded load on the running platform's API, on 127.0.0.1 (bench/load.py): 10 customers
# requested while 200 Server-Sent Events clients follow them and 200 reads per second run for
# 60 s; every write must be accepted and every SSE client must see every event of its customer up
# to READY. The customers are deprovisioned with purge after. Prints the figures and writes them,
# with date and commit, to BENCHMARKS.md (its own section). Sizes: TENANTPLANE_LOAD_CUSTOMERS,
# TENANTPLANE_LOAD_SSE_CLIENTS, TENANTPLANE_LOAD_READS_PER_SECOND, TENANTPLANE_LOAD_DURATION.
# Also the memory of each of the control plane's containers right after the load.
#
#   bash deploy/tenantplane up && bash bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${TENANTPLANE_TOKEN_FILE:=.tenantplane/gateway/admin-token}"
[[ -r "$TENANTPLANE_TOKEN_FILE" ]] || { echo "load: no API token at $TENANTPLANE_TOKEN_FILE: is the platform up?" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=bench/lib/section.sh
source bench/lib/section.sh

load_before="$(cut -d' ' -f1 /proc/loadavg)"
status=0
python3 bench/load.py "$WORK/figures.json" <"$TENANTPLANE_TOKEN_FILE" || status=$?
[[ -s "$WORK/figures.json" ]] || exit 1
# The control plane's memory right after the load: every container the platform runs for itself
# (services, Kafka, PostgreSQL, nginx, ...), as the engine accounts it (its cgroup's usage).
mapfile -t platform < <(docker ps -q --filter label=tenantplane.platform=true)
((${#platform[@]} > 0)) || { echo "load: no platform container is running" >&2; exit 1; }
docker stats --no-stream --format '{{.Name}}\t{{.MemUsage}}' "${platform[@]}" | sort >"$WORK/memory.tsv"

commit="$(git rev-parse --short HEAD)"
jq -r --arg when "$(date -u +%Y-%m-%dT%H:%MZ)" --arg commit "$commit" --arg cores "$(nproc)" \
  --arg load "$load_before" '
  "## Reads and event streams under load (`bash bench/load.sh`)\n",
  "Run \($when), commit \($commit), on this machine (\($cores) cores, load average \($load) before), against the running platform: \(.customers) customers requested while \(.sse_clients) Server-Sent Events clients followed them (each its customer'"'"'s stream, from the request to READY) and reads ran for \(.duration_s) s (`GET /customers?size=20` and `GET /customers/{id}`, alternately).\n",
  "| figure | value |", "|---|---|",
  "| writes accepted | \(.writes_accepted) of \(.customers) |",
  "| customers READY | \(.ready) of \(.customers) |",
  "| reads (per second) | \(.reads) (\(.reads_per_second)) |",
  "| reads failed (by status) | \(.reads_failed) (\(.reads_failed_by_status)) |",
  "| read latency p50 / p99 (ms) | \(.read_p50_ms) / \(.read_p99_ms) |",
  "| SSE clients that saw every event of their customer up to READY | \(.sse_complete) of \(.sse_clients) |"
' "$WORK/figures.json" >"$WORK/section"
{
  printf '\nThe control plane'"'"'s containers right after the load (`docker stats`, memory in use / limit):\n\n'
  printf '| container | memory |\n|---|---|\n'
  awk -F'\t' '{ printf "| `%s` | %s |\n", $1, $2 }' "$WORK/memory.tsv"
} >>"$WORK/section"
cat "$WORK/section"
tp_bench_section load "$WORK/section"
exit "$status"
