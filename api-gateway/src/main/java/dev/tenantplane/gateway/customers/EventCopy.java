package dev.tenantplane.gateway.customers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.kafka.EventCodec;
import java.io.IOException;
import java.time.Clock;
import java.util.UUID;

/**
 * What a retry or a replay emits: a stored event again, with a new event id (so that every inbox
 * takes it as new) and time, in the same run, caused by {@code causation} or, without one, by the
 * stored event itself.
 */
final class EventCopy {
  private EventCopy() {}

  static LifecycleEvent of(
      EventCodec codec, String wireType, byte[] payload, UUID causation, Clock clock) {
    EventType type =
        EventType.ofWireType(wireType)
            .orElseThrow(() -> new IllegalStateException("unknown stored wire type " + wireType));
    try {
      ObjectNode tree = (ObjectNode) codec.mapper().readTree(payload);
      EventMeta old = codec.mapper().treeToValue(tree.get("meta"), EventMeta.class);
      EventMeta meta = old.again(causation == null ? old.eventId() : causation, clock);
      tree.set("meta", codec.mapper().valueToTree(meta));
      return codec.fromJson(type, codec.mapper().writeValueAsBytes(tree));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("stored event of type " + wireType + " is unreadable", e);
    }
  }
}
