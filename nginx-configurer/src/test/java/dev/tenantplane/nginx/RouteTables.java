package dev.tenantplane.nginx;

import dev.tenantplane.common.events.EventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Reads of the service's own tables that the route tests check the outcome of a step with. */
final class RouteTables {
  private final DataSource dataSource;

  RouteTables(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** How many route rows the customer has (0 or 1). */
  long routeRows(String customerId) throws SQLException {
    return count("SELECT count(*) FROM routes WHERE customer_id = ?", customerId);
  }

  /** The latest generation of the customer withdrawn, empty when none was. */
  Optional<Integer> withdrawnGeneration(String customerId) throws SQLException {
    return generation(
        "SELECT generation FROM withdrawn_customers WHERE customer_id = ?", customerId);
  }

  /** The generation of the customer that wrote its route, empty when it has none. */
  Optional<Integer> routeGeneration(String customerId) throws SQLException {
    return generation("SELECT generation FROM routes WHERE customer_id = ?", customerId);
  }

  /** How many records the steps wrote to the outbox in answer to the event {@code causeId}. */
  long outboxRecordsCausedBy(UUID causeId) throws SQLException {
    return count(
        "SELECT count(*) FROM outbox"
            + " WHERE CAST(convert_from(payload, 'UTF8') AS jsonb) -> 'meta' ->> 'causationId' = ?",
        causeId.toString());
  }

  /**
   * How many records for the customer on {@code topic} the steps wrote to the outbox; a step's
   * events are written in the transaction that records the event in the inbox.
   */
  long outboxRecords(EventType type, String customerId) throws SQLException {
    return count(
        "SELECT count(*) FROM outbox WHERE topic = ? AND message_key = ?"
            + " AND CAST(headers AS jsonb) ->> 'ce_type' = ?",
        type.topic(),
        customerId,
        type.wireType());
  }

  /** The outcome the consumer recorded for the event, empty while it has not handled it. */
  Optional<String> inboxOutcome(String consumer, UUID eventId) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT outcome FROM inbox WHERE consumer = ? AND event_id = ?")) {
      query.setString(1, consumer);
      query.setObject(2, eventId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  private Optional<Integer> generation(String sql, String customerId) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, customerId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(rows.getInt(1)) : Optional.empty();
      }
    }
  }

  private long count(String sql, String... parameters) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setString(i + 1, parameters[i]);
      }
      return single(query);
    }
  }

  private static long single(PreparedStatement query) throws SQLException {
    try (ResultSet rows = query.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
