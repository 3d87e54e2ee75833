#!/usr/bin/env bash
# The gateway at fleet size: api-gateway's FleetApiBench runs the real gateway (projection, REST
# API, fleet event stream) on real Kafka, PostgreSQL and Redis containers, once per fleet size of
# TENANTPLANE_BENCH_CUSTOMERS (default "1000,10000"; each size in a JVM and containers of its own,
# so each starts from an empty database). Per size: every customer's provisioning events published
# at once and the time until the projection shows them all READY; a burst of
# TENANTPLANE_BENCH_BURST health changes (default 1000) while TENANTPLANE_BENCH_STREAMS clients
# (default 100) follow GET /api/v1/events; then TENANTPLANE_BENCH_REQUESTS reads of each kind
# (default 2000, from 4 threads) with those clients connected; then the projection's table sizes
# and the JVM's resident memory. Needs the Docker engine and the local images
# (deploy/images/build.sh), not the platform. Prints the figures and writes them, with date,
# commit and load average, to BENCHMARKS.md (its own section). A size that fails stops the run.
#
#   bash bench/fleet-api.sh
#   TENANTPLANE_BENCH_CUSTOMERS=1000 bash bench/fleet-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${TENANTPLANE_BENCH_CUSTOMERS:=1000,10000}"
: "${TENANTPLANE_BENCH_BURST:=1000}"
: "${TENANTPLANE_BENCH_STREAMS:=100}"
: "${TENANTPLANE_BENCH_REQUESTS:=2000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=bench/lib/section.sh
source bench/lib/section.sh
# shellcheck source=bench/lib/sizes.sh
source bench/lib/sizes.sh

tp_bench_sizes fleet-api api-gateway FleetApiBench "$TENANTPLANE_BENCH_CUSTOMERS" \
  -Dtenantplane.bench.burst="$TENANTPLANE_BENCH_BURST" -Dtenantplane.bench.streams="$TENANTPLANE_BENCH_STREAMS" \
  -Dtenantplane.bench.requests="$TENANTPLANE_BENCH_REQUESTS"

# One column per size: the figures of line N of the output for size N.
python3 - "$WORK/out" "${loads[@]}" >"$WORK/table" <<'PY'
import sys
lines = [dict(kv.split("=", 1) for kv in line.split()) for line in open(sys.argv[1]) if line.strip()]
loads = sys.argv[2:]
def mib(v): return f"{int(v) / 1048576:.1f}"
def secs(ms): return f"{int(ms) / 1000:.1f} s"
rows = [
    ("load average before / after the size's run", lambda f, i: loads[i]),
    ("loading: every customer's events published (Kafka acknowledged all)", lambda f, i: secs(f["load_publish_ms"])),
    ("projection catch-up: customers × events until all READY", lambda f, i: f"{f['customers']} × {f['events_per_customer']} in {secs(f['load_ready_ms'])} ({f['load_events_per_s']} events/s)"),
    ("burst, no SSE client: health changes until all projected (lag 0)", lambda f, i: f"{f['burst_events']} in {secs(f['quiet_burst_projected_ms'])} ({f['quiet_burst_events_per_s']} events/s)"),
    ("burst, SSE clients on `GET /events`: until all projected (lag 0)", lambda f, i: f"{f['burst_events']} in {secs(f['burst_projected_ms'])} ({f['burst_events_per_s']} events/s)"),
    ("burst, SSE clients: until every client had every event", lambda f, i: secs(f["burst_streamed_ms"]) if f["burst_streamed_ms"] != "none" else "not within 2 min"),
    ("SSE clients that saw every burst event", lambda f, i: f"{f['sse_complete']} of {f['sse_clients']} (fewest events one saw: {f['sse_received_min']})"),
]
reads = [
    ("list", "`GET /customers?size=50&page=` random page"),
    ("list_status", "`GET /customers?status=READY&size=50&page=` random page"),
    ("list_q", "`GET /customers?size=50&q=` five digits of a random id (1 match)"),
    ("get", "`GET /customers/{id}` random id"),
]
for key, label in reads:
    rows.append((f"{label}: p50 / p99 / max (ms)", lambda f, i, k=key: f"{f[k + '_p50_ms']} / {f[k + '_p99_ms']} / {f[k + '_max_ms']}, {f[k + '_failed']} failed"))
rows += [
    ("PostgreSQL `customer`, table and indexes (MiB)", lambda f, i: mib(f["pg_customer_bytes"])),
    ("PostgreSQL `timeline`, table and indexes (MiB)", lambda f, i: mib(f["pg_timeline_bytes"])),
    ("PostgreSQL `step_input` and `inbox` (MiB)", lambda f, i: f"{mib(f['pg_step_input_bytes'])} and {mib(f['pg_inbox_bytes'])}"),
    ("JVM resident memory, VmRSS (MiB): gateway and bench clients in one JVM", lambda f, i: f"{int(f['jvm_rss_kib']) / 1024:.0f}"),
]
print("| figure | " + " | ".join(f["customers"] + " customers" for f in lines) + " |")
print("|---|" + "---|" * len(lines))
for label, value in rows:
    print(f"| {label} | " + " | ".join(str(value(f, i)) for i, f in enumerate(lines)) + " |")
PY

{
  printf '## The gateway at fleet size (`bash bench/fleet-api.sh`)\n\n'
  printf 'Run %s, commit %s, on this machine (%s cores; load average before each size in the table). FleetApiBench runs the real gateway (one instance, in the test JVM, with the production fleet-gauge interval) on Kafka, PostgreSQL and Redis containers, one JVM and an empty database per size. Loading: every customer'"'"'s six lifecycle events (CustomerRequested to CustomerReady) published on the lifecycle topic at once; catch-up is until the projection shows every customer READY. Burst: %s CustomerHealthChanged of existing customers published at once, first with no client, then while %s clients follow `GET /api/v1/events`; projected is until the timeline holds all of them, and the SSE figure until every client received all of them (the stream sends rows once they are a second old). Reads: %s requests of each kind from 4 threads (after 200 of warm-up), with those clients still connected, as a viewer token. Memory: `pg_total_relation_size` of the projection'"'"'s tables, and VmRSS of the JVM that runs the gateway (and the bench'"'"'s clients); the heap after GC is not shown.\n\n' \
    "$started" "$commit" "$(nproc)" "$TENANTPLANE_BENCH_BURST" "$TENANTPLANE_BENCH_STREAMS" "$TENANTPLANE_BENCH_REQUESTS"
  cat "$WORK/table"
} >"$WORK/section"
cat "$WORK/section"
tp_bench_section fleet-api "$WORK/section"
