#!/bin/bash
# One launcher for Kafka's command-line tools, installed under each tool's usual name
# (kafka-topics, kafka-console-consumer, ...): the name picks the main class.
set -euo pipefail

case "$(basename "$0")" in
  kafka-topics) main=org.apache.kafka.tools.TopicCommand ;;
  kafka-console-producer) main=org.apache.kafka.tools.ConsoleProducer ;;
  kafka-console-consumer) main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  kafka-consumer-groups) main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  kafka-metadata-quorum) main=org.apache.kafka.tools.MetadataQuorumCommand ;;
  kafka-get-offsets) main=org.apache.kafka.tools.GetOffsetShell ;;
  kafka-storage) main=kafka.tools.StorageTool ;;
  kafka-ensure-topics) main=EnsureTopics ;;
  *)
    echo "kafka-tool: unknown tool name '$(basename "$0")'" >&2
    exit 2
    ;;
esac

# Short-lived JVMs: a small heap, the quick JIT tier and the image's class-data
# archive start noticeably faster. JVM warnings go to stderr, so that a console
# consumer's stdout carries nothing but records.
opts=()
read -r -a opts <<<"${KAFKA_TOOL_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
cds="${KAFKA_TOOL_CDS:-}"
if [[ -z "$cds" && -s /opt/kafka/cds/tools.jsa ]]; then
  cds="-XX:SharedArchiveFile=/opt/kafka/cds/tools.jsa"
fi
exec java -Xlog:disable -Xlog:all=warning:stderr ${cds:+"$cds"} "${opts[@]}" \
  -Dlog4j2.configurationFile=/opt/kafka/config/tools-log4j2.xml \
  -cp "$(</opt/kafka/classpath)" "$main" "$@"
