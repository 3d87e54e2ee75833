#!/usr/bin/env bash
# Every bash script of the repository passes shellcheck (settings in .shellcheckrc); run first by
# the test command. Prints each finding with its file and line, and fails on any.
set -euo pipefail
cd "$(dirname "$0")/../.."

mapfile -t scripts < <(
  find . \( -name target -o -name node_modules -o -name .git -o -name .tenantplane \) -prune \
    -o -type f -name '*.sh' -print | sort
)
scripts+=(deploy/tenantplane .ci/run)
shellcheck -x -f gcc "${scripts[@]}"
echo "tenantplane: shellcheck passed on ${#scripts[@]} scripts"
