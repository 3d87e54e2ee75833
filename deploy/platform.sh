#!/usr/bin/env bash
# The platform's own infrastructure (Kafka, PostgreSQL, Redis, nginx) as containers on
# the Docker network "tenantplane", published on 127.0.0.1 only.
#
#   deploy/platform.sh up               build missing images, start what is not running,
#                                       wait until everything answers, create the topics
#   deploy/platform.sh down [--purge]   remove the containers; --purge also removes the
#                                       volumes, the network and .tenantplane/platform.env
#   deploy/platform.sh status           one line per component (exit 1 if one is not answering)
#   deploy/platform.sh claim            remove the containers of a platform another checkout
#                                       (or an earlier clone at this path) left on this machine,
#                                       its volumes, whose passwords this checkout does not
#                                       have, and the customer stacks they listed, so that
#                                       'up' can start
#
# Generated passwords and connection settings are in .tenantplane/platform.env at the
# repository root. Only things labelled tenantplane.platform=true are ever touched.
set -euo pipefail

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(dirname "$DEPLOY_DIR")"
# shellcheck source=SCRIPTDIR/lib/engine.sh
source "$DEPLOY_DIR/lib/engine.sh"
# shellcheck source=SCRIPTDIR/lib/images.sh
source "$DEPLOY_DIR/lib/images.sh"
# shellcheck source=SCRIPTDIR/lib/tls.sh
source "$DEPLOY_DIR/lib/tls.sh"

readonly LABEL_KEY=tenantplane.platform
readonly LABEL="$LABEL_KEY=true"
# The platform is one per machine (fixed names and ports); this label says which checkout's
# settings it runs with.
readonly ROOT_LABEL_KEY=tenantplane.root
readonly NETWORK=tenantplane
readonly STATE_DIR="$ROOT_DIR/.tenantplane"
readonly ENV_FILE="$STATE_DIR/platform.env"
readonly KEY_FILE="$STATE_DIR/platform.key"
readonly TOPICS_FILE="$DEPLOY_DIR/topics.txt"
readonly TOPIC_PARTITIONS=6
readonly COMPONENTS=(kafka postgres redis nginx)
# Quickest probes first, so that a slow one (Kafka starts a JVM) does not delay the
# others' measured times.
readonly WAIT_ORDER=(nginx redis postgres kafka)
readonly PG_DATABASE=tenantplane
readonly PG_USER=tenantplane

: "${TENANTPLANE_READY_TIMEOUT:=180}"

log() { printf '%s\n' "$*"; }
die() {
  printf 'platform: %s\n' "$*" >&2
  exit 1
}

now_us() { printf '%s\n' "${EPOCHREALTIME/./}"; }
seconds_since() {
  local us=$(($(now_us) - $1))
  printf '%d.%d' $((us / 1000000)) $((us % 1000000 / 100000))
}

container_of() { printf 'tenantplane-%s\n' "$1"; }

volume_of() {
  case "$1" in
    kafka) printf 'tenantplane-kafka-data\n' ;;
    postgres) printf 'tenantplane-postgres-data\n' ;;
    redis) printf 'tenantplane-redis-data\n' ;;
    nginx) printf 'tenantplane-nginx-conf\n' ;;
  esac
}

endpoint_of() {
  case "$1" in
    kafka) printf '127.0.0.1:9092\n' ;;
    postgres) printf '127.0.0.1:55432\n' ;;
    redis) printf '127.0.0.1:56379\n' ;;
    nginx) printf '127.0.0.1:8080\n' ;;
  esac
}

# --- settings file ------------------------------------------------------------------

new_password() {
  openssl rand -hex 24 2>/dev/null || od -An -tx1 -N24 /dev/urandom | tr -d ' \n'
}

env_value() {
  sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1
}

# Creates the settings file, or adds keys a newer version of this script knows, but
# never changes a value already there: the volumes hold data made with those values.
ensure_env_file() {
  if [[ ! -f "$ENV_FILE" ]] && docker volume inspect "$(volume_of postgres)" >/dev/null 2>&1; then
    die "volume $(volume_of postgres) exists but $ENV_FILE is missing, so its database password is unknown: restore the file, or run '$0 down --purge' to start afresh"
  fi
  mkdir -p "$STATE_DIR"
  chmod 0700 "$STATE_DIR"
  (umask 077 && touch "$ENV_FILE")
  chmod 0600 "$ENV_FILE"

  local entries=(
    "TENANTPLANE_NETWORK=$NETWORK"
    "TENANTPLANE_KAFKA_BOOTSTRAP=127.0.0.1:9092"
    "TENANTPLANE_KAFKA_INTERNAL_BOOTSTRAP=kafka:29092"
    "TENANTPLANE_PG_HOST=127.0.0.1"
    "TENANTPLANE_PG_PORT=55432"
    "TENANTPLANE_PG_DATABASE=$PG_DATABASE"
    "TENANTPLANE_DB_HOST=127.0.0.1"
    "TENANTPLANE_DB_PORT=55432"
    "TENANTPLANE_DB_NAME=$PG_DATABASE"
    "TENANTPLANE_PG_USER=$PG_USER"
    "TENANTPLANE_PG_PASSWORD="
    "TENANTPLANE_PG_URL=postgresql://127.0.0.1:55432/$PG_DATABASE"
    "TENANTPLANE_PG_JDBC_URL=jdbc:postgresql://127.0.0.1:55432/$PG_DATABASE"
    "TENANTPLANE_PG_INTERNAL_URL=postgresql://postgres:5432/$PG_DATABASE"
    "TENANTPLANE_REDIS_HOST=127.0.0.1"
    "TENANTPLANE_REDIS_PORT=56379"
    "TENANTPLANE_REDIS_PASSWORD="
    "TENANTPLANE_REDIS_URL=redis://127.0.0.1:56379"
    "TENANTPLANE_REDIS_INTERNAL_URL=redis://redis:6379"
    "TENANTPLANE_NGINX_URL=http://127.0.0.1:8080"
    "TENANTPLANE_NGINX_CONTAINER=$(container_of nginx)"
    "TENANTPLANE_NGINX_CONF_VOLUME=$(volume_of nginx)"
    "TENANTPLANE_PLATFORM_KEY_FILE=$KEY_FILE"
  )
  local entry key value
  for entry in "${entries[@]}"; do
    key="${entry%%=*}"
    value="${entry#*=}"
    grep -q "^$key=" "$ENV_FILE" && continue
    [[ "$key" == *_PASSWORD ]] && value="$(new_password)"
    printf '%s=%s\n' "$key" "$value" >>"$ENV_FILE"
  done

  # The key sealing tenant credentials; never replaced, or sealed secrets could not be opened.
  if [[ ! -s "$KEY_FILE" ]]; then
    (umask 077 && head -c 32 /dev/urandom | base64 >"$KEY_FILE")
  fi
  chmod 0600 "$KEY_FILE"
}

# --- docker objects ---------------------------------------------------------------

labelled_ours() {
  # $1: network | volume | container, $2: name
  local labels=.Labels
  [[ "$1" == container ]] && labels=.Config.Labels
  [[ "$(docker "$1" inspect -f "{{index $labels \"$LABEL_KEY\"}}" "$2" 2>/dev/null)" == true ]]
}

ensure_network() {
  if docker network inspect "$NETWORK" >/dev/null 2>&1; then
    labelled_ours network "$NETWORK" ||
      log "note: network $NETWORK exists without the $LABEL label; using it, and 'down --purge' will leave it"
  else
    docker network create --label "$LABEL" --label "$ROOT_LABEL_KEY=$ROOT_DIR" "$NETWORK" >/dev/null
  fi
}

ensure_volume() {
  if docker volume inspect "$1" >/dev/null 2>&1; then
    labelled_ours volume "$1" ||
      log "note: volume $1 exists without the $LABEL label; using it, and 'down --purge' will leave it"
  else
    docker volume create --label "$LABEL" --label "$ROOT_LABEL_KEY=$ROOT_DIR" "$1" >/dev/null
  fi
}

# Sets RUN_ARGS (everything but secrets, the image last), RUN_CMD (the command, when not the
# image's own) and SECRET_ENV (VAR=value lines, handed to docker through a pipe so that no
# password shows in a process list).
component_spec() {
  local c="$1"
  RUN_ARGS=(--name "$(container_of "$c")")
  RUN_CMD=()
  # nginx shares the host's network so its upstreams are the tenants' published
  # 127.0.0.1 ports; it binds only the address given by NGINX_LISTEN below.
  if [[ "$c" != nginx ]]; then
    RUN_ARGS+=(--network "$NETWORK" --network-alias "$c")
  fi
  RUN_ARGS+=(
    --label "$LABEL" --label "$ROOT_LABEL_KEY=$ROOT_DIR" --label "tenantplane.component=$c"
    --restart unless-stopped
    --security-opt no-new-privileges
    --log-opt max-size=10m --log-opt max-file=3
  )
  # The project's images run their servers as unprivileged users on unprivileged
  # ports, so none needs a capability (checked for all four). An official image in
  # their place (see deploy/images/README.md) starts as root and needs its defaults.
  if [[ -n "$(docker image inspect -f '{{index .Config.Labels "tenantplane.image"}}' "$(tp_image_ref "$c")" 2>/dev/null)" ]]; then
    RUN_ARGS+=(--cap-drop ALL)
  fi
  SECRET_ENV=""
  case "$c" in
    kafka)
      RUN_ARGS+=(
        -p 127.0.0.1:9092:9092
        --memory 1g --stop-timeout 30
        -v "$(volume_of kafka):/var/lib/kafka"
        -e KAFKA_INTERNAL_HOST=kafka
        -e KAFKA_EXTERNAL_ADVERTISED=127.0.0.1:9092
        "$(tp_image_ref kafka)"
      )
      ;;
    postgres)
      RUN_ARGS+=(
        -p 127.0.0.1:55432:5432
        --memory 512m --stop-timeout 30
        -v "$(volume_of postgres):/var/lib/postgresql/data"
        -e "POSTGRES_USER=$PG_USER" -e "POSTGRES_DB=$PG_DATABASE"
        "$(tp_image_ref postgres)"
      )
      # Each service instance keeps a JDBC and a reactive pool (up to 20 each) and handles many
      # customers at once; two instances of five services outgrow the default of 100.
      RUN_CMD=(postgres -c max_connections=400)
      SECRET_ENV="POSTGRES_PASSWORD=$(env_value TENANTPLANE_PG_PASSWORD)"
      ;;
    redis)
      RUN_ARGS+=(
        -p 127.0.0.1:56379:6379
        --memory 256m
        -v "$(volume_of redis):/data"
        "$(tp_image_ref redis)"
      )
      SECRET_ENV="REDIS_PASSWORD=$(env_value TENANTPLANE_REDIS_PASSWORD)"
      ;;
    nginx)
      # The server certificate and key of `tenantplane tls init`, read-only, when there are any.
      tp_tls_nginx_args
      RUN_ARGS+=(
        --network host
        -e NGINX_LISTEN=127.0.0.1:8080
        --memory 128m --pids-limit 200
        -v "$(volume_of nginx):/etc/nginx/conf.d"
        "${TP_TLS_NGINX_ARGS[@]}"
        "$(tp_image_ref nginx)"
      )
      ;;
  esac
}

# Prints the checkout whose platform holds this machine's names and ports when it is not this
# one: a root label naming another directory, or (made before the label existed) no label while
# this checkout has no settings file, so they cannot hold its passwords. $1: container | volume.
foreign_root() {
  local root
  while IFS= read -r root; do
    if [[ -n "$root" && "$root" != "$ROOT_DIR" ]]; then
      printf '%s\n' "$root"
      return 0
    fi
    # Without the settings file the passwords are unknown: a fresh clone at the path of an
    # earlier one cannot use that one's platform either.
    if [[ ! -f "$ENV_FILE" ]]; then
      printf '%s\n' "${root:-an unknown checkout} (its $ENV_FILE is gone)"
      return 0
    fi
  done < <(
    local list=(volume ls)
    [[ "$1" == volume ]] || list=(ps -a)
    docker "${list[@]}" --filter "label=$LABEL" --format "{{.Label \"$ROOT_LABEL_KEY\"}}"
  )
  return 1
}

refuse_foreign() {
  local other
  other="$(foreign_root container || foreign_root volume)" || return 0
  die "this machine holds the platform of $other; take it down there ('deploy/tenantplane down', --purge to drop its data), or run '$0 claim' to remove it from here"
}

cmd_claim() {
  (($# == 0)) || die "claim takes no arguments"
  tp__engine_answers || die "the Docker engine does not answer"
  local other ids=() volumes=()
  if other="$(foreign_root container)"; then
    mapfile -t ids < <(docker ps -aq --filter "label=$LABEL")
    docker stop -t 30 "${ids[@]}" >/dev/null
    docker rm -v "${ids[@]}" >/dev/null
    log "claim: removed ${#ids[@]} containers of the platform of $other"
  fi
  # Data made with another checkout's passwords would not open with this one's.
  if other="$(foreign_root volume)"; then
    mapfile -t volumes < <(docker volume ls -q --filter "label=$LABEL")
    docker volume rm "${volumes[@]}" >/dev/null
    log "claim: removed ${#volumes[@]} volumes of the platform of $other"
    remove_customer_stacks "$other"
  fi
}

# The customers of a removed platform database are listed nowhere any more, and their
# published ports would collide with the ones this checkout's platform hands out.
remove_customer_stacks() {
  local ids=() networks=() volumes=()
  mapfile -t ids < <(docker ps -aq --filter label=tenantplane.customer)
  ((${#ids[@]} == 0)) || docker rm -f -v "${ids[@]}" >/dev/null
  mapfile -t networks < <(docker network ls -q --filter label=tenantplane.customer)
  ((${#networks[@]} == 0)) || docker network rm "${networks[@]}" >/dev/null
  mapfile -t volumes < <(docker volume ls -q --filter label=tenantplane.customer)
  ((${#volumes[@]} == 0)) || docker volume rm "${volumes[@]}" >/dev/null
  log "claim: removed the customer stacks of the platform of $1 (${#ids[@]} containers, ${#networks[@]} networks, ${#volumes[@]} volumes)"
}

declare -A START_US=()
declare -A ACTION=()

# Keeps a running container whose configuration (image, arguments, secrets) is what
# this script would create now; replaces anything else that is ours and stopped,
# crashed or stale.
ensure_container() {
  local c="$1" name image_id hash err
  name="$(container_of "$c")"
  component_spec "$c"
  image_id="$(docker image inspect -f '{{.Id}}' "${RUN_ARGS[-1]}")"
  hash="$(printf '%s\n' "$image_id" "${RUN_ARGS[@]}" "${RUN_CMD[@]}" "$SECRET_ENV" | sha256sum | cut -d' ' -f1)"

  ACTION[$c]=started
  if docker container inspect "$name" >/dev/null 2>&1; then
    labelled_ours container "$name" ||
      die "a container named $name exists that is not labelled $LABEL; not touching it"
    if [[ "$(docker inspect -f '{{.State.Status}} {{index .Config.Labels "tenantplane.config"}}' "$name")" == "running $hash" ]]; then
      ACTION[$c]=reused
      START_US[$c]="$(now_us)"
      return 0
    fi
    docker stop -t 30 "$name" >/dev/null 2>&1 || true
    docker rm -f -v "$name" >/dev/null
    ACTION[$c]=recreated
  fi
  START_US[$c]="$(now_us)"
  if ! err="$(docker run -d --label "tenantplane.config=$hash" \
    --env-file <(printf '%s\n' "$SECRET_ENV") "${RUN_ARGS[@]}" "${RUN_CMD[@]}" 2>&1 >/dev/null)"; then
    # A failed start (a host port already taken, say) leaves a created container.
    docker rm -f -v "$name" >/dev/null 2>&1 || true
    die "could not start $name: $err"
  fi
}

# Prints the template for the container, or $3 when there is no such container (docker
# inspect prints an empty line for a missing one, so its output alone cannot tell).
container_info() {
  if docker container inspect "$1" >/dev/null 2>&1; then
    docker container inspect -f "$2" "$1"
  else
    printf '%s\n' "$3"
  fi
}

probe() {
  local name
  name="$(container_of "$1")"
  case "$1" in
    kafka)
      # A TCP connect first: it costs nothing, and each metadata query starts a JVM.
      docker exec "$name" bash -c 'exec 3<>/dev/tcp/127.0.0.1/29092' >/dev/null 2>&1 &&
        docker exec "$name" kafka-topics --bootstrap-server localhost:29092 --list >/dev/null 2>&1
      ;;
    postgres)
      # Over TCP: during the first start's initialisation only the unix socket answers.
      docker exec "$name" pg_isready -q -h 127.0.0.1 -p 5432 -U "$PG_USER" -d "$PG_DATABASE" >/dev/null 2>&1
      ;;
    redis)
      # The password is already in the container's environment; it is not passed here.
      # shellcheck disable=SC2016
      [[ "$(docker exec "$name" sh -c 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -p 6379 ping' 2>/dev/null)" == PONG ]]
      ;;
    nginx)
      [[ "$(curl -fsS --max-time 2 http://127.0.0.1:8080/nginx-health 2>/dev/null)" == ok ]]
      ;;
  esac
}

fail_component() {
  local name
  name="$(container_of "$1")"
  echo "--- last lines of $name's log:" >&2
  docker logs --tail 30 "$name" >&2 2>&1 || true
  die "$1 did not become ready: $2"
}

# Polls every component in turn, so each one's time is measured from its own start.
wait_ready() {
  local pending=("${WAIT_ORDER[@]}") still c state restarts
  while ((${#pending[@]} > 0)); do
    still=()
    for c in "${pending[@]}"; do
      if probe "$c"; then
        printf '%-9s %-21s %-16s ready after %ss (%s)\n' "$c" "$(container_of "$c")" \
          "$(endpoint_of "$c")" "$(seconds_since "${START_US[$c]}")" "${ACTION[$c]}"
        continue
      fi
      read -r state restarts < <(container_info "$(container_of "$c")" '{{.State.Status}} {{.RestartCount}}' 'missing 0')
      [[ "$state" == running ]] || fail_component "$c" "container is $state"
      ((restarts == 0)) || fail_component "$c" "container restarted $restarts time(s)"
      if (($(now_us) - START_US[$c] > TENANTPLANE_READY_TIMEOUT * 1000000)); then
        fail_component "$c" "no answer within ${TENANTPLANE_READY_TIMEOUT}s"
      fi
      still+=("$c")
    done
    pending=("${still[@]}")
    ((${#pending[@]} == 0)) || sleep 0.5
  done
}

ensure_topics() {
  local start line topics=() output created
  start="$(now_us)"
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line%%#*}"
    line="${line//[[:space:]]/}"
    [[ -n "$line" ]] || continue
    [[ "$line" =~ ^[A-Za-z0-9._-]{1,249}$ ]] || die "invalid topic name '$line' in $TOPICS_FILE"
    topics+=("$line")
  done <"$TOPICS_FILE"
  ((${#topics[@]} > 0)) || return 0

  # One JVM for all topics (the image's kafka-ensure-topics), not one per topic.
  output="$(docker exec "$(container_of kafka)" kafka-ensure-topics --bootstrap-server localhost:29092 \
    --partitions "$TOPIC_PARTITIONS" --replication-factor 1 "${topics[@]}")" ||
    die "creating the topics failed"
  created="$(grep -c '^created ' <<<"$output" || true)"
  printf '%-9s %d in %s: %d created, %d already there (%ss)\n' topics "${#topics[@]}" \
    "${TOPICS_FILE#"$ROOT_DIR"/}" "$created" $((${#topics[@]} - created)) "$(seconds_since "$start")"
}

cmd_up() {
  (($# == 0)) || die "up takes no arguments"
  local c
  tp_ensure_engine
  tp_ensure_commands curl:curl
  "$DEPLOY_DIR/images/build.sh" "${COMPONENTS[@]}"
  refuse_foreign
  ensure_env_file
  ensure_network
  for c in "${COMPONENTS[@]}"; do
    ensure_volume "$(volume_of "$c")"
  done
  for c in "${COMPONENTS[@]}"; do
    ensure_container "$c"
  done
  wait_ready
  ensure_topics
  log "settings and passwords: ${ENV_FILE#"$ROOT_DIR"/}"
}

cmd_down() {
  local purge=0 ids=() volumes=()
  case "${1:-}" in
    "") ;;
    --purge) purge=1 ;;
    *) die "down takes only --purge" ;;
  esac
  tp__engine_answers || die "the Docker engine does not answer"

  mapfile -t ids < <(docker ps -aq --filter "label=$LABEL")
  if ((${#ids[@]} > 0)); then
    # stop before rm: Kafka and PostgreSQL get their clean shutdown. rm -v drops only
    # anonymous volumes; the named data volumes stay.
    docker stop -t 30 "${ids[@]}" >/dev/null
    docker rm -v "${ids[@]}" >/dev/null
  fi
  log "containers: removed ${#ids[@]}"
  ((purge == 1)) || return 0

  mapfile -t volumes < <(docker volume ls -q --filter "label=$LABEL")
  ((${#volumes[@]} == 0)) || docker volume rm "${volumes[@]}" >/dev/null
  log "volumes: removed ${#volumes[@]}"
  if labelled_ours network "$NETWORK"; then
    if docker network rm "$NETWORK" >/dev/null; then
      log "network: removed $NETWORK"
    else
      log "network: $NETWORK is still in use by other containers; left in place"
    fi
  fi
  rm -f "$ENV_FILE" "$KEY_FILE"
  rmdir "$STATE_DIR" 2>/dev/null || true
  log "settings: removed ${ENV_FILE#"$ROOT_DIR"/}"
}

cmd_status() {
  (($# == 0)) || die "status takes no arguments"
  tp__engine_answers || die "the Docker engine does not answer"
  local c name state since answer rc=0
  for c in "${COMPONENTS[@]}"; do
    name="$(container_of "$c")"
    read -r state since < <(container_info "$name" '{{.State.Status}} {{.State.StartedAt}}' missing)
    if [[ "$state" != missing ]]; then
      if [[ "$state" == running ]] && probe "$c"; then
        answer=answers
      else
        answer="not answering"
        rc=1
      fi
      since="since ${since%.*}"
    else
      state=missing answer="-" since="" rc=1
    fi
    printf '%-9s %-21s %-9s %-16s %-14s %s\n' "$c" "$name" "$state" "$(endpoint_of "$c")" "$answer" "$since"
  done
  return "$rc"
}

usage() {
  sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

# Takes the lock that serialises up, down and claim on this machine, waiting at most
# TENANTPLANE_LOCK_WAIT seconds; while it waits it says who holds the lock, and it gives up with
# an error naming the holders.
take_platform_lock() {
  local lock="${TENANTPLANE_LOCK_FILE:-${TMPDIR:-/tmp}/tenantplane-platform.lock}"
  local wait="${TENANTPLANE_LOCK_WAIT:-300}"
  exec 8>"$lock"
  flock -n 8 && return 0
  printf 'platform: another up, down or claim holds %s (%s); waiting up to %ss\n' \
    "$lock" "$(lock_holders "$lock")" "$wait" >&2
  if ! flock -w "$wait" 8; then
    printf 'platform: error: %s is still held after %ss by %s; if that process is not a\n' \
      "$lock" "$wait" "$(lock_holders "$lock")" >&2
    printf 'platform: tenantplane command, it inherited the lock: end it, or remove nothing and wait\n' >&2
    exit 1
  fi
}

# Prints "pid N (command line)" for each process that has the lock file open, but this shell.
lock_holders() {
  local lock link pid found=()
  local -A seen=()
  lock="$(readlink -f "$1")"
  while IFS= read -r link; do
    pid="${link#/proc/}"
    pid="${pid%%/*}"
    [[ "$pid" != "$$" && "$pid" != "$BASHPID" && -z "${seen[$pid]:-}" ]] || continue
    seen[$pid]=1
    found+=("pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-80))")
  done < <(find /proc/[0-9]*/fd -maxdepth 1 -lname "$lock" 2>/dev/null)
  if ((${#found[@]} == 0)); then
    printf 'a process this user cannot see'
  else
    local IFS=','
    printf '%s' "${found[*]}"
  fi
}

main() {
  local cmd="${1:-}"
  (($# == 0)) || shift
  case "$cmd" in
    up | down | claim)
      # One at a time: two would race on the same names.
      take_platform_lock
      "cmd_$cmd" "$@"
      ;;
    status) cmd_status "$@" ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
