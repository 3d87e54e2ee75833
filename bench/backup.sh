#!/usr/bin/env bash
# Backup and restore of one customer on the running platform: a customer is provisioned
# (bench-backup-<run>), its database gets TENANTPLANE_BENCH_ROWS rows (default 800000, about
# 130 bytes each, some 100 MB) in a table of its own and its Redis TENANTPLANE_BENCH_KEYS keys (default 50000);
# then TENANTPLANE_BENCH_BACKUPS backups (default 3) are taken one after the other and the
# customer is restored from the last, each through the CLI as an operator would. The clock runs
# from the request to COMPLETED (backup) or to READY again (restore). Prints the figures and
# writes them, with date and commit, to BENCHMARKS.md (its own section); the customer is
# deprovisioned with purge after.
#
#   bash deploy/tenantplane up && bash bench/backup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${TENANTPLANE_BENCH_ROWS:=800000}"
: "${TENANTPLANE_BENCH_KEYS:=50000}"
: "${TENANTPLANE_BENCH_BACKUPS:=3}"
CLI=deploy/tenantplane
ID="bench-backup-$(date +%s)"
WORK="$(mktemp -d)"
chmod 0700 "$WORK"
# shellcheck source=deploy/lib/tenant-api.sh
source deploy/lib/tenant-api.sh
# shellcheck source=bench/lib/section.sh
source bench/lib/section.sh

cleanup() {
  $CLI deprovision "$ID" --purge >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

now_ms() { printf '%s\n' "$(($(date +%s%N) / 1000000))"; }

$CLI provision --id "$ID" --name "Backup benchmark" >/dev/null
tp_tenant_psql "$ID" owner -c "CREATE TABLE bench_rows AS SELECT n, md5(n::text) || md5((n + 1)::text)
  || md5((n + 2)::text) AS payload FROM generate_series(1, $TENANTPLANE_BENCH_ROWS) AS n"
docker exec "redis-$ID" sh -c 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli EVAL "for i = 1, tonumber(ARGV[1]) do redis.call(\"SET\", \"bench:\" .. i, string.rep(\"x\", 64)) end return 1" 0 "$1"' \
  sh "$TENANTPLANE_BENCH_KEYS" >/dev/null
database_size="$(tp_tenant_psql "$ID" owner -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"

backup_ms=()
for _ in $(seq "$TENANTPLANE_BENCH_BACKUPS"); do
  started="$(now_ms)"
  $CLI backup "$ID" --json >"$WORK/backup.json"
  backup_ms+=("$(($(now_ms) - started))")
  [[ "$(jq -r .status "$WORK/backup.json")" == COMPLETED ]] || { echo "bench: backup failed" >&2; exit 1; }
done
backup_id="$(jq -r .id "$WORK/backup.json")"
archive_bytes="$(jq -r .database.bytes "$WORK/backup.json")"
snapshot_bytes="$(jq -r .redis.bytes "$WORK/backup.json")"

tp_tenant_psql "$ID" owner -c "DELETE FROM bench_rows WHERE n % 2 = 0"
started="$(now_ms)"
$CLI restore "$ID" "$backup_id" >"$WORK/restore.out"
restore_ms="$(($(now_ms) - started))"
rows_after="$(tp_tenant_psql "$ID" owner -c "SELECT count(*) FROM bench_rows")"
((rows_after == TENANTPLANE_BENCH_ROWS)) || { echo "bench: $rows_after rows after the restore" >&2; exit 1; }
# The restore's own step, from RestoreRequested to BackupRestored, as the timeline records it.
restore_step_ms="$($CLI status "$ID" --json | jq '[.timeline[] | select(.step == "RESTORE")] | last | .durationMillis')"

{
  printf '## Backup and restore of one customer (`bash bench/backup.sh`)\n\n'
  printf 'Run %s, commit %s, on this machine (%s cores): a database of %s (%d rows in a table of its own besides the app'"'"'s) and %d Redis keys; each figure from the request through the CLI to its outcome.\n\n' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!BENCHMARKS.md' || printf ' (with uncommitted changes)')" \
    "$(nproc)" "$database_size" "$TENANTPLANE_BENCH_ROWS" "$TENANTPLANE_BENCH_KEYS"
  printf '| what | figure |\n|---|---|\n'
  printf '| backup, request to COMPLETED (written and checked), %d runs (ms) | %s |\n' "${#backup_ms[@]}" "${backup_ms[*]}"
  printf '| database archive (custom-format pg_dump, encrypted as stored, bytes) | %s |\n' "$archive_bytes"
  printf '| Redis snapshot (RDB, encrypted as stored, bytes) | %s |\n' "$snapshot_bytes"
  printf '| restore, request to READY again (ms) | %s |\n' "$restore_ms"
  printf '| of which the RESTORE step: data put back, stack started (ms) | %s |\n' "$restore_step_ms"
  printf '| rows after the restore (half were deleted after the backup) | %s of %s |\n' "$rows_after" "$TENANTPLANE_BENCH_ROWS"
} >"$WORK/section"
tp_bench_section backup "$WORK/section"
cat "$WORK/section"
