package dev.tenantplane.migrator.registry;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A customer whose database this service migrated; its credentials stay sealed at rest. */
@Entity
@Table(name = "migrated_customers")
public class MigratedCustomer extends PanacheEntityBase {
  @Id
  @Column(name = "customer_id")
  public String customerId;

  /** The generation of the customer's life whose database this row describes. */
  public int generation;

  @Column(name = "db_port")
  public int dbPort;

  @Column(name = "envelope_key_id")
  public String envelopeKeyId;

  @Column(name = "envelope_nonce")
  public String envelopeNonce;

  @Column(name = "envelope_cipher")
  public String envelopeCipher;

  @Column(name = "schema_version")
  public String schemaVersion;

  /** False while the customer is suspended: a fleet migration skips it. */
  public boolean active;

  @Column(name = "migrated_at")
  public Instant migratedAt;
}
