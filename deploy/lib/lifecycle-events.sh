# shellcheck shell=bash
# The customers' lifecycle events as the broker holds them, for the proofs that count them:
# read from the lifecycle topic itself (kafka-console-consumer in the broker's container), not
# from what any service recorded.

# tp_count_lifecycle_events PREFIX TYPE...: prints "CUSTOMER TYPE COUNT" for every customer whose
# id starts with PREFIX- and every TYPE (a CloudEvents type such as
# tenantplane.customer.ready.v1), COUNT being the distinct event ids of that type (0 when it is
# missing): a redelivered or re-published record keeps its id, a second emission has a new one.
tp_count_lifecycle_events() {
  local prefix="$1" records errors
  shift
  records="$(mktemp)"
  errors="$(mktemp)"
  # The consumer stops after 10 s without a new record; the outer bound holds if records keep coming.
  timeout 180 docker exec tenantplane-kafka kafka-console-consumer --bootstrap-server 127.0.0.1:29092 \
    --topic tenantplane.customer.lifecycle --from-beginning \
    --timeout-ms 10000 --property print.key=true --property print.headers=true \
    --property print.value=false 2>"$errors" >"$records" || true
  [[ -s "$records" ]] || { echo "no record read from the lifecycle topic:" >&2; tail -n 5 "$errors" >&2; }
  awk -F'\t' -v prefix="$prefix-" -v types="$*" '
    index($2, prefix) == 1 {
      id = ""; type = ""
      n = split($1, headers, ",")
      for (i = 1; i <= n; i++) {
        if (headers[i] ~ /^ce_id:/) id = substr(headers[i], 7)
        if (headers[i] ~ /^ce_type:/) type = substr(headers[i], 9)
      }
      customers[$2] = 1
      if (!seen[$2 SUBSEP type SUBSEP id]++) count[$2 SUBSEP type]++
    }
    END {
      split(types, wanted, " ")
      for (c in customers) for (t in wanted) print c, wanted[t], count[c SUBSEP wanted[t]] + 0
    }' "$records" | sort
  rm -f "$records" "$errors"
}
