#!/bin/bash
# Writes the broker's configuration from the environment, formats the storage on the
# first start, then runs the broker. Any other command (e.g. kafka-topics) runs as is.
#
# Listeners (other code relies on these exactly):
#   INTERNAL  0.0.0.0:29092, advertised as ${KAFKA_INTERNAL_HOST:-kafka}:29092
#   EXTERNAL  0.0.0.0:9092,  advertised as ${KAFKA_EXTERNAL_ADVERTISED:-127.0.0.1:9092}
#   CONTROLLER 0.0.0.0:9093 (KRaft, this node only)
# KAFKA_CFG_SOME_KEY=value adds or overrides some.key=value.
#
# Secure mode: KAFKA_SECURE_DIR names a mounted directory holding
#   server.keystore.p12  the broker's key and certificate chain (PKCS12)
#   keystore.password    the keystore's password (first line)
#   scram-users          one NAME=PASSWORD a line (blank lines and # comments skipped)
# EXTERNAL then speaks SASL_SSL with SCRAM-SHA-512 only; INTERNAL and CONTROLLER stay
# PLAINTEXT. The secrets come from files, never from the environment (docker inspect shows
# that), and no password is printed or put on a command line (ps on the host shows those).
set -Eeuo pipefail

readonly KAFKA_HOME=/opt/kafka
readonly CONFIG_FILE=/etc/kafka/server.properties
readonly DATA_DIR=/var/lib/kafka/data
# A fixed default keeps a data volume usable across container re-creations.
readonly CLUSTER_ID="${KAFKA_CLUSTER_ID:-rDtOp57VyKxFDqmHa6ukoA}"
readonly SECURE_DIR="${KAFKA_SECURE_DIR:-}"
# Passwords go unquoted into server.properties and a java argument file, and Kafka splits
# SCRAM arguments at commas: the characters of base64 and base64url are safe in all three.
readonly SECRET_PATTERN='^[A-Za-z0-9._~+/=-]+$'
readonly NAME_PATTERN='^[A-Za-z0-9._-]+$'

log() { printf 'entrypoint: %s\n' "$*" >&2; }

die() {
  log "$*"
  exit 1
}

internal_host() {
  if [[ -n "${KAFKA_INTERNAL_HOST:-}" ]]; then
    printf '%s\n' "$KAFKA_INTERNAL_HOST"
  elif getent hosts kafka >/dev/null 2>&1; then
    printf 'kafka\n'
  else
    # Outside a network with a "kafka" alias (a plain docker run, Testcontainers),
    # advertising an unresolvable name would break clients on the INTERNAL listener,
    # including the broker's own tools; the container's hostname always resolves.
    log "'kafka' does not resolve here; advertising INTERNAL as $HOSTNAME:29092"
    printf '%s\n' "$HOSTNAME"
  fi
}

write_config() {
  local internal name key external_protocol=PLAINTEXT
  internal="$(internal_host)"
  [[ -z "$SECURE_DIR" ]] || external_protocol=SASL_SSL
  {
    cat <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
controller.listener.names=CONTROLLER
listeners=INTERNAL://0.0.0.0:29092,EXTERNAL://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093
advertised.listeners=INTERNAL://${internal}:29092,EXTERNAL://${KAFKA_EXTERNAL_ADVERTISED:-127.0.0.1:9092}
listener.security.protocol.map=INTERNAL:PLAINTEXT,EXTERNAL:${external_protocol},CONTROLLER:PLAINTEXT
inter.broker.listener.name=INTERNAL
log.dirs=${DATA_DIR}
num.partitions=${KAFKA_NUM_PARTITIONS:-6}
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=${KAFKA_AUTO_CREATE_TOPICS:-true}
group.initial.rebalance.delay.ms=0
PROPS
    [[ -z "$SECURE_DIR" ]] || secure_settings
    for name in $(compgen -e); do
      [[ "$name" == KAFKA_CFG_* ]] || continue
      key="${name#KAFKA_CFG_}"
      key="${key,,}"
      printf '%s=%s\n' "${key//_/.}" "${!name}"
    done
  } >"$CONFIG_FILE"
}

# The first line of a secret file, checked; printed only into the configuration.
read_secret() {
  local file="$1" value=""
  [[ -f "$file" && -r "$file" ]] || die "$file is missing or not readable by uid $(id -u)"
  IFS= read -r value <"$file" || true
  [[ "$value" =~ $SECRET_PATTERN ]] || die "$file: the password must be letters, digits and ._~+/=- only"
  printf '%s\n' "$value"
}

# EXTERNAL as SASL_SSL: TLS with the mounted keystore, then a SCRAM-SHA-512 login.
secure_settings() {
  local password
  [[ -f "$SECURE_DIR/server.keystore.p12" && -r "$SECURE_DIR/server.keystore.p12" ]] ||
    die "$SECURE_DIR/server.keystore.p12 is missing or not readable by uid $(id -u)"
  password="$(read_secret "$SECURE_DIR/keystore.password")" || exit 1
  cat <<PROPS
listener.name.external.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.external.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.external.ssl.keystore.type=PKCS12
listener.name.external.ssl.keystore.location=${SECURE_DIR}/server.keystore.p12
listener.name.external.ssl.keystore.password=${password}
PROPS
}

# The format command's arguments, one a line, with an --add-scram for each user.
format_arguments() {
  local line name password users=0
  printf '%s\n' kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$CONFIG_FILE"
  [[ -f "$SECURE_DIR/scram-users" && -r "$SECURE_DIR/scram-users" ]] ||
    die "$SECURE_DIR/scram-users is missing or not readable by uid $(id -u)"
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ -z "$line" || "$line" == \#* ]] && continue
    name="${line%%=*}"
    password="${line#*=}"
    [[ "$line" == *=* && "$name" =~ $NAME_PATTERN && "$password" =~ $SECRET_PATTERN ]] ||
      die "$SECURE_DIR/scram-users: a line is not NAME=PASSWORD (name: letters, digits and ._-; password: letters, digits and ._~+/=-)"
    printf -- '--add-scram\nSCRAM-SHA-512=[name=%s,password=%s]\n' "$name" "$password"
    users=$((users + 1))
  done <"$SECURE_DIR/scram-users"
  ((users > 0)) || die "$SECURE_DIR/scram-users names no user"
}

format_storage() {
  if [[ -z "$SECURE_DIR" ]]; then
    kafka-storage format -t "$CLUSTER_ID" -c "$CONFIG_FILE"
    return
  fi
  # KRaft keeps SCRAM credentials in its metadata log, so they are written by the format.
  # The java launcher reads the main class and its arguments from a file (@file), which
  # keeps the passwords off the command line.
  local args status=0
  args="$(mktemp "$(dirname "$CONFIG_FILE")/format.XXXXXX")"
  # A subshell, so that a refused file still gets the argument file removed.
  if (format_arguments) >"$args"; then
    java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -Dlog4j2.configurationFile="$KAFKA_HOME/config/tools-log4j2.xml" \
      -cp "$(<"$KAFKA_HOME/classpath")" "@$args" || status=$?
  else
    status=$?
  fi
  rm -f "$args"
  return "$status"
}

run_broker() {
  if [[ -n "$SECURE_DIR" ]]; then
    # server.properties holds the keystore's password: readable by the broker's user only.
    umask 077
    log "secure mode: EXTERNAL is SASL_SSL (SCRAM-SHA-512), secrets from $SECURE_DIR"
  fi
  write_config
  mkdir -p "$DATA_DIR"
  if [[ ! -f "$DATA_DIR/meta.properties" ]]; then
    format_storage
  fi
  local opts=() cds=()
  read -r -a opts <<<"${KAFKA_OPTS:-}"
  # Classes recorded at build time (cds-train.sh): a markedly faster start.
  [[ -s "$KAFKA_HOME/cds/broker.jsa" ]] && cds=(-XX:SharedArchiveFile="$KAFKA_HOME/cds/broker.jsa")
  exec java "-Xmx${KAFKA_HEAP:-512m}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$KAFKA_HOME/config/log4j2.xml" \
    "${cds[@]}" "${opts[@]}" -cp "$(<"$KAFKA_HOME/classpath")" kafka.Kafka "$CONFIG_FILE"
}

if [[ "${1:-kafka-server}" == kafka-server ]]; then
  run_broker
fi
exec "$@"
