#!/usr/bin/env bash
# Regression tests of the platform lock (deploy/platform.sh up|down|claim), on no real engine:
#   1. a Docker engine started while the lock is held does not keep the lock: after the command
#      that started it ends, the lock is free;
#   2. a wait on a held lock is bounded, and the error names the holder.
# A fake `docker`/`dockerd` pair on PATH stands in for the engine; every process this test starts
# is ended by its PID before it exits.
set -euo pipefail
cd "$(dirname "$0")/../.."

work="$(mktemp -d)"
pids=()
finish() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap finish EXIT

passed=0
failed=0
ok() { printf 'ok   %s\n' "$1"; passed=$((passed + 1)); }
not_ok() { printf 'FAIL %s\n' "$1"; shift; printf '     %s\n' "$@"; failed=$((failed + 1)); }
# How many open descriptors of process $1 point at the lock file.
holds_lock() {
  local fd count=0
  for fd in /proc/"$1"/fd/*; do
    [[ "$(readlink "$fd" 2>/dev/null)" == "$lock" ]] && count=$((count + 1))
  done
  echo "$count"
}

# The fake engine: `dockerd` records its pid and stays up like the real one; `docker info`
# answers once it runs.
mkdir -p "$work/bin"
cat >"$work/bin/dockerd" <<FAKE
#!/usr/bin/env bash
echo \$\$ >"$work/dockerd.pid"
exec sleep 300
FAKE
cat >"$work/bin/docker" <<FAKE
#!/usr/bin/env bash
[[ "\${1:-}" == info && -s "$work/dockerd.pid" ]] && kill -0 "\$(cat "$work/dockerd.pid")" 2>/dev/null
FAKE
chmod 0755 "$work/bin/dockerd" "$work/bin/docker"
lock="$work/platform.lock"

# 1. Start the engine the way `platform.sh up` does: inside the command that holds the lock.
(
  export PATH="$work/bin:$PATH" TP_DOCKERD_LOG="$work/dockerd.log" TP_ENGINE_WAIT_SECONDS=20
  # shellcheck source=deploy/lib/engine.sh
  source deploy/lib/engine.sh
  # This machine's own engine and packages are not what is tested here.
  tp__dockerd_alive() { return 1; }
  tp_ensure_packages() { :; }
  exec 8>"$lock"
  flock 8
  tp_ensure_engine 2>>"$work/engine.err"
)
engine_pid="$(cat "$work/dockerd.pid" 2>/dev/null || true)"
[[ -n "$engine_pid" ]] && pids+=("$engine_pid")
if [[ -z "$engine_pid" ]]; then
  not_ok "the fake engine started" "$(cat "$work/engine.err" 2>/dev/null)"
elif flock -n "$lock" true; then
  ok "an engine started while the platform lock is held does not keep the lock"
else
  not_ok "an engine started while the platform lock is held does not keep the lock" \
    "the lock is still held after the command ended; holders: $(holds_lock "$engine_pid") descriptor(s) of the engine (pid $engine_pid)"
fi

# 2. Another holder: `platform.sh down` gives up after the bound and names it.
flock "$lock" sleep 60 &
holder=$!
pids+=("$holder")
for _ in $(seq 1 50); do
  (($(holds_lock "$holder") > 0)) && break
  sleep 0.1
done
started=$(date +%s)
set +e
TENANTPLANE_LOCK_FILE="$lock" TENANTPLANE_LOCK_WAIT=2 bash deploy/platform.sh down >"$work/out" 2>&1
rc=$?
set -e
took=$(($(date +%s) - started))
if ((rc == 1)) && ((took < 30)) && grep -q "pid " "$work/out" && grep -q "still held after 2s" "$work/out"; then
  ok "a wait on a held lock gives up after its bound with an error naming the holder"
else
  not_ok "a wait on a held lock gives up after its bound with an error naming the holder" \
    "exit $rc after ${took}s; output:" "$(cat "$work/out")"
fi

printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
