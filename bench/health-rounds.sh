#!/usr/bin/env bash
# The health-monitor's probe round at fleet size: health-monitor's HealthRoundsBench runs the real
# monitor (one instance, production pace: a round every 5 s, probe timeout 2 s, 3 failing rounds
# before a restart) on real Kafka, PostgreSQL and Redis containers, once per fleet size of
# TENANTPLANE_BENCH_CUSTOMERS (default "1000,10000"; each size in a JVM and containers of its own).
# The customers' stacks are not containers: in-process stand-ins on 127.0.0.1 (an HTTP app, a
# PostgreSQL wire-protocol stand-in with trust login that answers SELECT 1, a RESP stand-in taking
# HELLO/AUTH and PING, an nginx stand-in for the path routes) answer every customer's probes, all
# customers' watch rows naming the same three ports. Per size: every customer's RoutesPublished at
# once and the time until all are watched and READY; TENANTPLANE_BENCH_ROUNDS rounds (default 3)
# with their duration, the longest time between two probes of one customer and the most customers
# probed at once; the customers' host down for TENANTPLANE_BENCH_OUTAGE seconds (default 30) and
# back, with the time until all are healthy again and the busiest second of probes afterwards; the
# JVM's resident memory. TENANTPLANE_BENCH_PARALLELISM sets tenantplane.health.parallelism (default:
# the service's). Needs the Docker engine and the local images (deploy/images/build.sh), not the
# platform. Prints the figures and writes them, with date, commit and load average, to
# BENCHMARKS.md (its own section). A size that fails stops the run.
#
#   bash bench/health-rounds.sh
#   TENANTPLANE_BENCH_CUSTOMERS=1000 bash bench/health-rounds.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${TENANTPLANE_BENCH_CUSTOMERS:=1000,10000}"
: "${TENANTPLANE_BENCH_ROUNDS:=3}"
: "${TENANTPLANE_BENCH_OUTAGE:=30}"
: "${TENANTPLANE_BENCH_PARALLELISM:=}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=bench/lib/section.sh
source bench/lib/section.sh
# shellcheck source=bench/lib/sizes.sh
source bench/lib/sizes.sh

parallelism=()
[[ -z "$TENANTPLANE_BENCH_PARALLELISM" ]] || parallelism=(-Dtenantplane.bench.parallelism="$TENANTPLANE_BENCH_PARALLELISM")
tp_bench_sizes health-rounds health-monitor HealthRoundsBench "$TENANTPLANE_BENCH_CUSTOMERS" \
  -Dtenantplane.bench.rounds="$TENANTPLANE_BENCH_ROUNDS" \
  -Dtenantplane.bench.outage-seconds="$TENANTPLANE_BENCH_OUTAGE" "${parallelism[@]}"

# One column per size: the figures of line N of the output for size N.
python3 - "$WORK/out" "${loads[@]}" >"$WORK/table" <<'PY'
import sys
lines = [dict(kv.split("=", 1) for kv in line.split()) for line in open(sys.argv[1]) if line.strip()]
loads = sys.argv[2:]
def secs(ms): return f"{int(ms) / 1000:.1f} s"
rows = [
    ("load average before / after the size's run", lambda f, i: loads[i]),
    ("settings: interval, parallelism (customers probed at once)", lambda f, i: f"{f['interval']}, {f['parallelism']}"),
    ("every customer's RoutesPublished published (Kafka acknowledged all)", lambda f, i: secs(f["publish_ms"])),
    ("until every customer is watched / READY", lambda f, i: f"{secs(f['watched_ms'])} / {secs(f['ready_ms'])}"),
    ("round, from its firing until every customer was probed and recorded: p50 / max", lambda f, i: f"{secs(f['round_p50_ms'])} / {secs(f['round_max_ms'])} ({f['rounds']} rounds)"),
    ("firings skipped because the round before was still running", lambda f, i: f["rounds_skipped"]),
    ("probes in those rounds; per customer fewest / most", lambda f, i: f"{f['probes']}; {f['probes_per_customer_min']} / {f['probes_per_customer_max']}"),
    ("longest time between two probes of one customer (interval 5 s)", lambda f, i: secs(f["longest_gap_ms"])),
    ("most customers in flight at once / PostgreSQL sessions open at once", lambda f, i: f"{f['most_in_flight']} / {f['most_db_sessions']}"),
    ("steady probes per second: mean / busiest second", lambda f, i: f"{f['steady_probes_per_s']} / {f['steady_peak_per_s']}"),
    ("host down: rounds that ran while it was down, the longest", lambda f, i: f"{f['outage_rounds']}, {secs(f['outage_round_max_ms'])}"),
    ("host down: customers reported unhealthy when it came back / restarts requested", lambda f, i: f"{f['unhealthy_at_return']} after {f['outage_s']} s / {f['restarts_requested']}"),
    ("host back: until every customer is reported healthy again", lambda f, i: secs(f["recovered_ms"])),
    ("host back, the 30 s after: probes per second mean / busiest second", lambda f, i: f"{f['after_probes_per_s']} / {f['after_peak_per_s']}"),
    ("host back: most customers in flight / PostgreSQL sessions open at once", lambda f, i: f"{f['after_most_in_flight']} / {f['after_most_db_sessions']}"),
    ("JVM resident memory, VmRSS (MiB): monitor, stand-ins and bench in one JVM", lambda f, i: f"{int(f['jvm_rss_kib']) / 1024:.0f}"),
]
print("| figure | " + " | ".join(f["customers"] + " customers" for f in lines) + " |")
print("|---|" + "---|" * len(lines))
for label, value in rows:
    print(f"| {label} | " + " | ".join(str(value(f, i)) for i, f in enumerate(lines)) + " |")
PY

{
  printf '## The health-monitor'"'"'s probe round at fleet size (`bash bench/health-rounds.sh`)\n\n'
  printf 'Run %s, commit %s, on this machine (%s cores; load average before each size in the table). HealthRoundsBench runs the real health-monitor (one instance, in the test JVM, at the production pace: a round every 5 s, probe timeout 2 s, 3 failing rounds before a restart) on Kafka, PostgreSQL and Redis containers, one JVM and an empty database per size. The customers'"'"' stacks are stand-ins in the same JVM on 127.0.0.1, not containers: one HTTP app, one PostgreSQL wire-protocol stand-in (no TLS, trust login, answers `SELECT 1`), one RESP stand-in (`HELLO`/`AUTH`, `PING`) and the nginx stand-in; every watch row names the same three ports, which the monitor allows, and the stand-ins tell the customers apart by the nginx path, the database role and the Redis password. Each probe still opens its own PostgreSQL and Redis connection, as against real stacks. Customers enter the watch as in production, by their RoutesPublished on the lifecycle topic. A round is timed by the scheduler, from its firing until `HealthRound.run` returned; a customer'"'"'s probe is counted at its nginx route and is in flight until its Redis answered `PING`. Host down: for %s s every connection to the app, PostgreSQL and Redis stand-ins is reset and nginx answers 502; then they answer again.\n\n' \
    "$started" "$commit" "$(nproc)" "$TENANTPLANE_BENCH_OUTAGE"
  cat "$WORK/table"
} >"$WORK/section"
cat "$WORK/section"
tp_bench_section health-rounds "$WORK/section"
