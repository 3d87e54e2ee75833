# shellcheck shell=bash
# The checks of a proof script: each prints one line, ok or FAIL with the last lines its command
# printed, and is counted in `checks` and `failed`, which the script reports at its end. Needs
# WORK, a folder of the script's own, for the command's output.

checks=0
failed=0

# check WHAT COMMAND...: the command must succeed; its output is shown when it does not. Each line
# ends with the check's duration, so a slow test command shows where its time goes.
check() {
  local what="$1" began=$SECONDS
  shift
  checks=$((checks + 1))
  if "$@" >"$WORK/out" 2>&1; then
    printf 'ok    %s (%ds)\n' "$what" $((SECONDS - began))
  else
    failed=$((failed + 1))
    printf 'FAIL  %s (%ds)\n' "$what" $((SECONDS - began))
    sed 's/^/      | /' "$WORK/out" | tail -n 20
  fi
}
