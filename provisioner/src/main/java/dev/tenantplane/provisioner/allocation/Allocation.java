package dev.tenantplane.provisioner.allocation;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.provisioner.network.Subnet;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A customer's reserved ports, network subnet and sealed credentials (table {@code allocation}).
 */
@Entity
@Table(name = "allocation")
public class Allocation extends PanacheEntityBase {
  @Id
  @Column(name = "customer_id")
  public String customerId;

  public String name;

  public String plan;

  @Column(name = "port_offset")
  public int portOffset;

  @Column(name = "app_port")
  public int appPort;

  @Column(name = "database_port")
  public int databasePort;

  @Column(name = "redis_port")
  public int redisPort;

  @Column(name = "credentials_key_id")
  public String credentialsKeyId;

  @Column(name = "credentials_nonce")
  public String credentialsNonce;

  @Column(name = "credentials_ciphertext")
  public String credentialsCiphertext;

  @Column(name = "allocated_at")
  public Instant allocatedAt;

  /** When the stack was suspended; null while it is meant to run. */
  @Column(name = "suspended_at")
  public Instant suspendedAt;

  /**
   * The customer network's subnet in CIDR form; null for an allocation made before subnets were
   * recorded, until its stack is next started or resumed.
   */
  public String subnet;

  /**
   * The generation ({@code EventMeta.generation}) of the customer's life the allocation serves: the
   * request's that wrote it, or a later one's that brought the archived customer back on it.
   */
  public int generation;

  public PortAssignment ports() {
    return new PortAssignment(appPort, databasePort, redisPort);
  }

  public SealedEnvelope credentials() {
    return new SealedEnvelope(credentialsKeyId, credentialsNonce, credentialsCiphertext);
  }

  /** The recorded subnet, or null. */
  public Subnet subnetOrNull() {
    return subnet == null ? null : Subnet.parse(subnet);
  }

  public boolean suspended() {
    return suspendedAt != null;
  }

  public Plan planOrDefault() {
    return Plan.ofWireName(plan).orElse(Plan.DEFAULT);
  }
}
