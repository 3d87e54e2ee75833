# shellcheck shell=bash
# The five control-plane services as containers: their images (one Dockerfile,
# deploy/images/service/Dockerfile, over each service's Quarkus fast-jar) and how
# deploy/tenantplane runs them. Callers set ROOT_DIR, STATE_DIR and ENV_FILE first.
#
# Every service container shares the host's network namespace: the tenants' ports and
# the platform's ports are published on 127.0.0.1 only (never on an address another
# container could reach), so that is where the migrator, health-monitor and nginx find
# them. Each service binds its own HTTP port on 127.0.0.1 too.

# service:port of instance 1, in start order (the gateway last, so it accepts requests
# once the rest runs). Instance k of a service listens on port + 100 * (k - 1).
TP_SERVICES=(provisioner:8082 migrator:8083 nginx-configurer:8084 health-monitor:8085 api-gateway:8081)

: "${TENANTPLANE_SERVICE_IMAGE_PREFIX:=tenantplane/}"
: "${TENANTPLANE_VERSION:=0.1.0-SNAPSHOT}"
: "${TENANTPLANE_SERVICE_MEMORY:=640m}"
: "${TENANTPLANE_DOCKER_SOCKET:=/var/run/docker.sock}"

readonly TP_SERVICE_LABEL=tenantplane.service

tp_service_image() { printf '%s%s:%s\n' "$TENANTPLANE_SERVICE_IMAGE_PREFIX" "$1" "$TENANTPLANE_VERSION"; }
tp_service_container() { printf 'tenantplane-%s-%s\n' "$1" "$2"; }
tp_service_port() {
  local entry
  for entry in "${TP_SERVICES[@]}"; do
    [[ "${entry%%:*}" == "$1" ]] && { printf '%s\n' $((${entry#*:} + 100 * ($2 - 1))); return 0; }
  done
  return 1
}

tp_service_names() {
  local entry names=()
  for entry in "${TP_SERVICES[@]}"; do
    names+=("${entry%%:*}")
  done
  printf '%s\n' "${names[*]}"
}

# How many instances of a service run: the highest instance number among its containers.
tp_instance_count() {
  local name highest=0
  while IFS= read -r name; do
    [[ "${name##*-}" =~ ^[0-9]+$ ]] && ((${name##*-} > highest)) && highest="${name##*-}"
  done < <(docker ps --filter "label=$TP_SERVICE_LABEL=$1" --format '{{.Names}}')
  printf '%s\n' "$highest"
}

# Files the services write on the host (customer folders, the admin token) belong to the
# operator who runs the CLI; as root, to the images' unprivileged user, never to root.
tp_service_user() {
  if (($(id -u) == 0)); then
    printf '10001:10001\n'
  else
    printf '%s:%s\n' "$(id -u)" "$(id -g)"
  fi
}

# Builds each service's image from its target/quarkus-app (mvn package made it); the
# engine's layer cache makes this a no-op for an unchanged service. The build context is one
# tar stream of the fast-jar plus deploy/images/service (the Dockerfile and the class-data
# training script), so nothing is written into target/. The training run starts the service
# during the build: --network none keeps it from reaching anything.
tp_build_service_images() {
  local entry svc out
  for entry in "${TP_SERVICES[@]}"; do
    svc="${entry%%:*}"
    [[ -f "$ROOT_DIR/$svc/target/quarkus-app/quarkus-run.jar" ]] ||
      { echo "no $svc/target/quarkus-app: run mvn package first" >&2; return 1; }
    # The engine's notice about its legacy builder goes to stderr on every build: show the
    # output only when the build fails.
    if ! out="$(tar -c -C "$ROOT_DIR/$svc/target/quarkus-app" . \
      -C "$ROOT_DIR/deploy/images/service" Dockerfile cds-train.sh |
      docker build -q --network none \
        --build-arg "BASE_IMAGE=${TENANTPLANE_JRE_IMAGE:-tenantplane/jre:17}" \
        --label tenantplane.image=service --label "$TP_SERVICE_LABEL=$svc" \
        -t "$(tp_service_image "$svc")" \
        - 2>&1)"; then
      printf '%s\n' "$out" >&2
      return 1
    fi
  done
}

# Service-specific mounts and settings: the Docker engine for the two services that
# drive it, the customer folders for the provisioner, the token file for the gateway.
tp_service_args() {
  local svc="$1"
  SERVICE_ARGS=()
  case "$svc" in
    provisioner | nginx-configurer)
      SERVICE_ARGS+=(
        -v "$TENANTPLANE_DOCKER_SOCKET:/var/run/docker.sock"
        --group-add "$(stat -c %g "$TENANTPLANE_DOCKER_SOCKET")"
      )
      ;;
  esac
  case "$svc" in
    provisioner)
      SERVICE_ARGS+=(
        -v "$ROOT_DIR/customers:$ROOT_DIR/customers"
        -e "TENANTPLANE_PROVISIONER_CUSTOMERS_ROOT=$ROOT_DIR/customers"
      )
      ;;
    api-gateway)
      SERVICE_ARGS+=(
        -v "$STATE_DIR/gateway:$STATE_DIR/gateway"
        -e "TENANTPLANE_GATEWAY_ADMIN_TOKEN_FILE=$STATE_DIR/gateway/admin-token"
      )
      ;;
  esac
}

# Prepares what the containers mount: they run unprivileged, so what they read or write
# must be theirs (the key stays 0600, the folders 0700 or the customers' own modes).
# Also sets TP_KEY_FILE, the platform key every service container mounts read-only. The settings
# file is mounted read-only as /app/.env, which Quarkus reads from its working directory: handed
# over with --env-file, the platform's passwords would show in 'docker inspect'.
tp_prepare_service_mounts() {
  local user
  user="$(tp_service_user)"
  TP_KEY_FILE="$(sed -n 's/^TENANTPLANE_PLATFORM_KEY_FILE=//p' "$ENV_FILE" | tail -n 1)"
  mkdir -p "$ROOT_DIR/customers" "$STATE_DIR/gateway"
  chmod 0700 "$STATE_DIR/gateway"
  chown -R "$user" "$ROOT_DIR/customers" "$STATE_DIR/gateway" "$TP_KEY_FILE"
  chown "$user" "$ENV_FILE"
}

# Starts instance N of a service unless a container of that name already runs the
# current image with the current settings (the settings file and the service's arguments, as a
# hash in a label: a service reads its settings once, at start); a stopped or outdated one is
# replaced.
tp_run_service() {
  local svc="$1" instance="$2" name image port settings
  name="$(tp_service_container "$svc" "$instance")"
  image="$(tp_service_image "$svc")"
  port="$(tp_service_port "$svc" "$instance")"
  tp_service_args "$svc"
  settings="$({ cat "$ENV_FILE"; printf '%s\n' "${SERVICE_ARGS[@]}"; } | sha256sum | cut -c1-16)"
  if [[ "$(docker inspect -f '{{.State.Running}} {{.Image}} {{index .Config.Labels "tenantplane.settings"}}' "$name" 2>/dev/null)" == \
    "true $(docker image inspect -f '{{.Id}}' "$image") $settings" ]]; then
    echo "${svc}[${instance}]: running"
    return 0
  fi
  docker rm -f "$name" >/dev/null 2>&1 || true
  docker run -d --name "$name" \
    --network host \
    --label tenantplane.platform=true --label "tenantplane.root=$ROOT_DIR" \
    --label "tenantplane.component=$svc" \
    --label "$TP_SERVICE_LABEL=$svc" \
    --label "tenantplane.settings=$settings" \
    --user "$(tp_service_user)" \
    --read-only --tmpfs /tmp:rw,size=64m \
    --cap-drop ALL --security-opt no-new-privileges \
    --memory "$TENANTPLANE_SERVICE_MEMORY" --cpus 1 --pids-limit 512 \
    --restart unless-stopped \
    --log-opt max-size=10m --log-opt max-file=3 \
    -v "$ENV_FILE:/app/.env:ro" \
    -e TENANTPLANE_HTTP_HOST=127.0.0.1 -e "TENANTPLANE_HTTP_PORT=$port" \
    -e "TENANTPLANE_LOG_JSON=${TENANTPLANE_LOG_JSON:-true}" \
    -v "$TP_KEY_FILE:$TP_KEY_FILE:ro" \
    "${SERVICE_ARGS[@]}" \
    "$image" >/dev/null
  echo "${svc}[${instance}]: started as $name on 127.0.0.1:$port"
}

# Removes the instances of a service above COUNT (scaling down).
tp_remove_extra_instances() {
  local svc="$1" count="$2" name
  while IFS= read -r name; do
    [[ -n "$name" ]] || continue
    local instance="${name##*-}"
    if [[ "$instance" =~ ^[0-9]+$ ]] && ((instance > count)); then
      docker stop -t 30 "$name" >/dev/null && docker rm "$name" >/dev/null
      echo "${svc}[${instance}]: removed"
    fi
  done < <(docker ps -a --filter "label=$TP_SERVICE_LABEL=$svc" --format '{{.Names}}')
}

# Stops and removes every service container (the platform's infrastructure stays).
tp_remove_services() {
  local ids
  mapfile -t ids < <(docker ps -aq --filter "label=$TP_SERVICE_LABEL")
  ((${#ids[@]} == 0)) && return 0
  docker stop -t 30 "${ids[@]}" >/dev/null
  docker rm "${ids[@]}" >/dev/null
  echo "services: removed ${#ids[@]} containers"
}

# Waits until instance N answers its readiness check; a container that stops meanwhile
# fails at once, with the end of its log.
tp_await_service() {
  local svc="$1" instance="$2" limit="$3" name port waited=0
  name="$(tp_service_container "$svc" "$instance")"
  port="$(tp_service_port "$svc" "$instance")"
  until curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    if [[ "$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" != true ]]; then
      docker logs --tail 30 "$name" >&2 || true
      echo "${svc}[${instance}] is not running (docker logs $name)" >&2
      return 1
    fi
    if ((waited >= limit)); then
      echo "${svc}[${instance}] not ready after ${waited}s (docker logs $name)" >&2
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "${svc}[${instance}]: ready on 127.0.0.1:$port"
}
