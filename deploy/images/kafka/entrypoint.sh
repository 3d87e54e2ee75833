#!/bin/bash
# Writes the broker's configuration from the environment, formats the storage on the
# first start, then runs the broker. Any other command (e.g. kafka-topics) runs as is.
#
# Listeners (other code relies on these exactly):
#   INTERNAL  0.0.0.0:29092, advertised as ${KAFKA_INTERNAL_HOST:-kafka}:29092
#   EXTERNAL  0.0.0.0:9092,  advertised as ${KAFKA_EXTERNAL_ADVERTISED:-127.0.0.1:9092}
#   CONTROLLER 0.0.0.0:9093 (KRaft, this node only)
# KAFKA_CFG_SOME_KEY=value adds or overrides some.key=value.
set -Eeuo pipefail

readonly KAFKA_HOME=/opt/kafka
readonly CONFIG_FILE=/etc/kafka/server.properties
readonly DATA_DIR=/var/lib/kafka/data
# A fixed id keeps a data volume usable across container re-creations.
readonly DEFAULT_CLUSTER_ID=rDtOp57VyKxFDqmHa6ukoA

log() { printf 'entrypoint: %s\n' "$*" >&2; }

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
  local internal name key
  internal="$(internal_host)"
  {
    cat <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
controller.listener.names=CONTROLLER
listeners=INTERNAL://0.0.0.0:29092,EXTERNAL://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093
advertised.listeners=INTERNAL://${internal}:29092,EXTERNAL://${KAFKA_EXTERNAL_ADVERTISED:-127.0.0.1:9092}
listener.security.protocol.map=INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT
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
    for name in $(compgen -e); do
      [[ "$name" == KAFKA_CFG_* ]] || continue
      key="${name#KAFKA_CFG_}"
      key="${key,,}"
      printf '%s=%s\n' "${key//_/.}" "${!name}"
    done
  } >"$CONFIG_FILE"
}

run_broker() {
  write_config
  mkdir -p "$DATA_DIR"
  if [[ ! -f "$DATA_DIR/meta.properties" ]]; then
    kafka-storage format -t "${KAFKA_CLUSTER_ID:-$DEFAULT_CLUSTER_ID}" -c "$CONFIG_FILE"
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
