# shellcheck shell=bash
# Prometheus for the platform: scrapes /q/metrics of every service instance, with the alert
# rules of deploy/prometheus/alerts.yml. `tenantplane up --prometheus` starts it; every `up`
# rewrites its list of targets, which it reads again by itself. Callers set ROOT_DIR,
# STATE_DIR and source images.sh and services.sh first.
#
# It shares the host's network namespace like the services (they listen on 127.0.0.1 only)
# and listens on 127.0.0.1:$TENANTPLANE_PROMETHEUS_PORT. Labelled as part of the platform, so
# `down` and `platform.sh claim` remove it with the rest.

: "${TENANTPLANE_PROMETHEUS_PORT:=9090}"
: "${TENANTPLANE_PROMETHEUS_MEMORY:=256m}"
: "${TENANTPLANE_PROMETHEUS_RETENTION:=2d}"

readonly TP_PROMETHEUS_CONTAINER=tenantplane-prometheus
readonly TP_PROMETHEUS_VOLUME=tenantplane-prometheus-data

# Writes the targets file from "service=instances" words: one target per instance, labelled
# with its service and instance number.
tp_write_scrape_targets() {
  local dir="$STATE_DIR/prometheus" word svc count n entries=()
  mkdir -p "$dir"
  for word in "$@"; do
    svc="${word%%=*}"
    count="${word#*=}"
    for ((n = 1; n <= count; n++)); do
      entries+=("$(jq -cn --arg target "127.0.0.1:$(tp_service_port "$svc" "$n")" \
        --arg service "$svc" --arg instance_number "$n" \
        '{targets: [$target], labels: {service: $service, instance_number: $instance_number}}')")
    done
  done
  # Replaced in one rename, so Prometheus never reads half a file; a file of its own for each
  # writer, as several `tenantplane scale` may write at once.
  local tmp
  tmp="$(mktemp "$dir/targets.json.XXXXXX")"
  printf '%s\n' "${entries[@]}" | jq -s . >"$tmp"
  chmod 0644 "$tmp"
  mv "$tmp" "$dir/targets.json"
}

tp_prometheus_url() { printf 'http://127.0.0.1:%s\n' "$TENANTPLANE_PROMETHEUS_PORT"; }

# Starts Prometheus unless it runs; waits until it answers.
tp_prometheus_up() {
  local waited=0
  "$ROOT_DIR/deploy/images/build.sh" prometheus >/dev/null || return 1
  if [[ "$(docker inspect -f '{{.State.Running}}' "$TP_PROMETHEUS_CONTAINER" 2>/dev/null)" != true ]]; then
    docker rm -f "$TP_PROMETHEUS_CONTAINER" >/dev/null 2>&1 || true
    docker volume inspect "$TP_PROMETHEUS_VOLUME" >/dev/null 2>&1 ||
      docker volume create --label tenantplane.platform=true --label "tenantplane.root=$ROOT_DIR" \
        "$TP_PROMETHEUS_VOLUME" >/dev/null
    docker run -d --name "$TP_PROMETHEUS_CONTAINER" \
      --label tenantplane.platform=true --label "tenantplane.root=$ROOT_DIR" \
      --label tenantplane.component=prometheus \
      --network host --restart unless-stopped \
      --read-only --cap-drop ALL --security-opt no-new-privileges \
      --memory "$TENANTPLANE_PROMETHEUS_MEMORY" --cpus 0.5 --pids-limit 256 \
      -v "$ROOT_DIR/deploy/prometheus/prometheus.yml:/etc/tenantplane/prometheus.yml:ro" \
      -v "$ROOT_DIR/deploy/prometheus/alerts.yml:/etc/tenantplane/alerts.yml:ro" \
      -v "$STATE_DIR/prometheus:/etc/tenantplane/state:ro" \
      -v "$TP_PROMETHEUS_VOLUME:/prometheus" \
      "$(tp_image_ref prometheus)" \
      --config.file=/etc/tenantplane/prometheus.yml --storage.tsdb.path=/prometheus \
      "--storage.tsdb.retention.time=$TENANTPLANE_PROMETHEUS_RETENTION" \
      "--web.listen-address=127.0.0.1:$TENANTPLANE_PROMETHEUS_PORT" >/dev/null
  fi
  until curl -fsS "$(tp_prometheus_url)/-/ready" >/dev/null 2>&1; do
    if ((waited >= 60)); then
      echo "prometheus: not ready after 60s" >&2
      docker logs --tail 20 "$TP_PROMETHEUS_CONTAINER" >&2 || true
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}
