#!/usr/bin/env bash
# The test command: on a fresh Debian machine (as root) or a laptop with Docker, installs what is
# missing, checks every bash script with shellcheck, starts the Docker engine if none answers,
# builds the local images, runs every unit
# and integration test (`mvn verify`), then the end-to-end check (deploy/e2e.sh), the chaos
# run (deploy/proof/chaos.sh, TENANTPLANE_CHAOS_COUNT customers, default 20, 0 skips it) and the
# rescale run (deploy/proof/rescale.sh, TENANTPLANE_RESCALE_COUNT customers, default 20, 0 skips
# it), which leave the platform running. A platform another checkout left on the machine is removed first
# (deploy/platform.sh claim). Extra arguments go to Maven (e.g. `-pl common`) and skip the
# end-to-end check and the chaos run.
set -euo pipefail
cd "$(dirname "$0")/.."
# Customers submitted by the chaos run after the end-to-end check; 0 skips it.
: "${TENANTPLANE_CHAOS_COUNT:=20}"
# Customers submitted by the rescale run after that (a quarter of them withdrawn); 0 skips it.
: "${TENANTPLANE_RESCALE_COUNT:=20}"

# shellcheck source=deploy/lib/engine.sh
source deploy/lib/engine.sh
tp_ensure_packages
# Only the tests need these: shellcheck for the scripts, Chromium for the console's browser test.
tp_ensure_commands shellcheck:shellcheck chromium:chromium chromedriver:chromium-driver
bash deploy/tests/shellcheck.sh
# The platform lock must never outlive its command (deploy/tests/platform-lock.sh).
bash deploy/tests/platform-lock.sh
# The local CA and certificate of `tenantplane tls init`, and what `up --tls` hands to nginx.
bash deploy/tests/tls.sh
tp_ensure_engine

# The end-to-end check needs this machine's platform names and ports; a platform another
# checkout left running would also load the machine during the tests.
bash deploy/platform.sh claim

deploy/images/build.sh

# Test containers (and customer stacks made by tests) carry this label; an interrupted earlier
# run may have left some behind, and the engine keeps them across restarts.
remove_test_leftovers() {
  local ids
  ids=$(docker ps -aq --filter label=tenantplane.test=true)
  if [[ -n "$ids" ]]; then
    # shellcheck disable=SC2086
    docker rm -f -v $ids >/dev/null
  fi
  ids=$(docker network ls -q --filter label=tenantplane.test=true)
  if [[ -n "$ids" ]]; then
    # shellcheck disable=SC2086
    docker network rm $ids >/dev/null
  fi
  ids=$(docker volume ls -q --filter label=tenantplane.test=true)
  if [[ -n "$ids" ]]; then
    # shellcheck disable=SC2086
    docker volume rm $ids >/dev/null
  fi
}
remove_test_leftovers
trap remove_test_leftovers EXIT

started=$(date +%s)
mvn -B -ntp verify "$@"
echo "tenantplane: mvn verify passed in $(($(date +%s) - started))s"

# The product as a whole, through its REST API on the running platform; skipped when only some
# modules were asked for.
if (($# == 0)); then
  bash deploy/e2e.sh
  echo "tenantplane: end-to-end passed after $(($(date +%s) - started))s"
  # Crashes and restarts under load lose and double nothing (deploy/proof/README.md).
  if ((TENANTPLANE_CHAOS_COUNT > 0)); then
    bash deploy/proof/chaos.sh "$TENANTPLANE_CHAOS_COUNT"
  fi
  # Every service scaled down and up while customers come and go: each consumer group
  # rebalances mid-stream, and nothing is lost or done twice.
  if ((TENANTPLANE_RESCALE_COUNT > 0)); then
    bash deploy/proof/rescale.sh "$TENANTPLANE_RESCALE_COUNT" $((TENANTPLANE_RESCALE_COUNT / 4))
  fi
fi
echo "tenantplane: tests passed in $(($(date +%s) - started))s"
