package dev.tenantplane.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class OutboxRelayProducerConfigTest {
  @Test
  void theBrokersSecuritySettingsReachTheRelaysProducer() {
    Map<String, Object> config =
        OutboxRelay.producerConfig(
            Map.of(
                "bootstrap.servers", "broker-1:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/kafka/truststore.p12",
                "client.id", "provisioner-1",
                "compression.type", "zstd"));

    assertThat(config)
        .containsEntry("bootstrap.servers", "broker-1:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
        .containsEntry("client.id", "provisioner-1")
        .containsEntry("compression.type", "zstd");
  }

  @Test
  void aKafkaSettingCannotWeakenTheRelaysDeliveryGuarantees() {
    Map<String, Object> config =
        OutboxRelay.producerConfig(
            Map.of(
                "bootstrap.servers",
                "127.0.0.1:9092",
                ProducerConfig.ACKS_CONFIG,
                "0",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                false));

    assertThat(config)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
  }
}
