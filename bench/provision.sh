#!/usr/bin/env bash
# Measures provisioning on the running platform: one customer alone, then five at once.
# Prints p50/p95 of request -> READY, the mean duration of each step, and the memory of one
# idle customer's four containers, and writes them to BENCHMARKS.md. Customers are named
# bench-<run>-<n> (ids are never reused) and deprovisioned (with purge) afterwards.
#
#   bash deploy/tenantplane up && bash bench/provision.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CLI=deploy/tenantplane
OUT=BENCHMARKS.md
RUN="$(date +%s)"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT

await_final() {
  local id="$1" status waited=0
  while ((waited < 600)); do
    status="$($CLI status "$id" | jq -r .status)"
    case "$status" in READY | FAILED) printf '%s\n' "$status"; return 0 ;; esac
    sleep 1
    waited=$((waited + 1))
  done
  printf 'TIMEOUT\n'
}

# Seconds from the request to READY, and each step's duration, from the gateway's timeline.
record() {
  $CLI status "$1" | jq -c '{id, ready_ms: ([.timeline[] | .durationMillis] | add),
    steps: [.timeline[1:][] | {type, ms: .durationMillis}]}' >>"$results"
}

run_batch() {
  local size="$1" first="$2" i ids=()
  for ((i = first; i < first + size; i++)); do
    ids+=("bench-$RUN-$i")
    $CLI provision --id "bench-$RUN-$i" --name "Bench $i" >/dev/null 2>&1 &
  done
  wait || true
  for id in "${ids[@]}"; do
    [[ "$(await_final "$id")" == READY ]] && record "$id"
  done
}

cleanup() {
  local id ids
  ids="$($CLI list | awk -F'\t' '$1 ~ /^bench-/ && $2 != "DEPROVISIONED" {print $1}')"
  for id in $ids; do
    $CLI deprovision "$id" --purge >/dev/null 2>&1 || true
  done
  for id in $ids; do
    local waited=0
    until [[ "$($CLI status "$id" | jq -r .status)" == DEPROVISIONED ]] || ((waited >= 180)); do
      sleep 2
      waited=$((waited + 2))
    done
  done
}

cleanup
run_batch 1 1
single_ms="$(tail -n 1 "$results" | jq -r '.ready_ms // "failed"')"
sleep 20 # let the app and worker JVMs settle before reading their memory
idle_rss="$(docker stats --no-stream --format '{{.Name}} {{.MemUsage}}' | awk -v id="bench-$RUN-1" '$1 ~ ("-" id "$")')"
run_batch 5 2

percentile() {
  jq -s --argjson p "$1" '[.[].ready_ms] | sort | .[((length - 1) * $p | floor)] // 0' "$results"
}
p50="$(percentile 0.5)"
p95="$(percentile 0.95)"
steps="$(jq -rs '[.[].steps[]] | group_by(.type) | map("| \(.[0].type) | \((map(.ms) | add / length | floor)) |") | .[]' "$results")"
count="$(wc -l <"$results")"

{
  printf '# Benchmarks\n\n'
  printf 'Machine: %s cores, %s GiB RAM, %s. Command: `bash bench/provision.sh` on the platform started by `bash deploy/tenantplane up` (services as local JVMs). Run %s.\n\n' \
    "$(nproc)" "$(free -g | awk '/Mem:/ {print $2}')" "$(. /etc/os-release && printf '%s' "$PRETTY_NAME")" "$(date -u +%Y-%m-%dT%H:%MZ)"
  printf '## Request to READY (%s customers: 1 alone, then 5 at once)\n\n' "$count"
  printf '| measure | ms |\n|---|---|\n| single customer | %s |\n| p50 | %s |\n| p95 | %s |\n\n' \
    "${single_ms:-failed}" "$p50" "$p95"
  printf '## Mean duration of each step (ms, from the previous event to this one)\n\n| event | mean ms |\n|---|---|\n%s\n\n' "$steps"
  printf '## Memory of one idle customer (docker stats)\n\n```\n%s\n```\n' "$idle_rss"
} >"$OUT"
cat "$OUT"
cleanup
