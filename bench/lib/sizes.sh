# shellcheck shell=bash
# A bench class run once per fleet size, each size in a JVM and containers of its own, so each
# starts from an empty database. Needs WORK, the calling script's own folder.

# tp_bench_sizes NAME MODULE CLASS SIZES [MAVEN_ARGUMENT]...: runs the failsafe test CLASS of
# MODULE for each size of the comma-separated SIZES, with -Dtenantplane.bench.customers=SIZE and
# -Dtenantplane.bench.out=$WORK/out (the class appends one line of figures per size). Sets
# `commit` (with a mark when MODULE has uncommitted changes), `started` and `loads` (the load
# average before/after each completed size). A size that fails stops the run, showing the end of
# its log; the sizes before it are kept. Fails when no size completed.
tp_bench_sizes() {
  local name="$1" module="$2" class="$3" size load_before wanted
  IFS=, read -r -a wanted <<<"$4"
  shift 4
  # shellcheck disable=SC2034 # commit and started are for the calling script's section
  commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- "$module" || echo ' (with uncommitted changes)')"
  # shellcheck disable=SC2034
  started="$(date -u +%Y-%m-%dT%H:%MZ)"
  loads=()
  for size in "${wanted[@]}"; do
    size="${size// /}"
    load_before="$(cut -d' ' -f1 /proc/loadavg)"
    echo "$name: $size customers (load average $load_before)" >&2
    rm -rf "$module/target/failsafe-reports"
    if ! mvn -B -o -ntp -pl "common,service-kit,$module" verify \
      -Dit.test="$class" -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
      -Dfailsafe.failIfNoSpecifiedTests=false -Dtenantplane.bench.customers="$size" \
      -Dtenantplane.bench.out="$WORK/out" "$@" >"$WORK/mvn-$size.log" 2>&1; then
      grep -E "$name-bench|ERROR\]|FAIL" "$WORK/mvn-$size.log" | tail -n 40
      echo "$name: $size customers failed; the figures of the sizes before it are kept" >&2
      break
    fi
    grep "$name-bench progress" "$WORK/mvn-$size.log" >&2 || true
    loads+=("$load_before/$(cut -d' ' -f1 /proc/loadavg)")
  done
  [[ -s "$WORK/out" ]] || {
    echo "$name: no size completed" >&2
    return 1
  }
}
