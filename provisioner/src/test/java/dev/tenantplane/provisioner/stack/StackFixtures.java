package dev.tenantplane.provisioner.stack;

import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.provisioner.network.Subnet;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

/** The seed's first customer, as the unit tests plan it. */
final class StackFixtures {
  static final StackPlan.Images IMAGES =
      new StackPlan.Images(
          "tenantplane/postgres:15", "tenantplane/redis:7", "tenantplane/tenant-app:1");
  static final StackPlan.SecretFiles SECRET_FILES =
      new StackPlan.SecretFiles(Path.of("/srv/customers/acme-corp/secrets"), 10001);

  private StackFixtures() {}

  static StackPlan acme() {
    return acme(Plan.STANDARD, Map.of());
  }

  /** As planned with the secret files of {@code folder}. */
  static StackPlan acme(CustomerFolder folder) {
    return acme(Plan.STANDARD, Map.of(), folder.secretFiles(new TenantNames("acme-corp")));
  }

  static StackPlan acme(Plan plan, Map<String, String> extraLabels) {
    return acme(plan, extraLabels, SECRET_FILES);
  }

  private static StackPlan acme(
      Plan plan, Map<String, String> extraLabels, StackPlan.SecretFiles secretFiles) {
    return StackPlan.of(
        new TenantNames("acme-corp"),
        "ACME Corporation",
        plan,
        new PortAssignment(3001, 5433, 6380),
        Subnet.parse("10.213.0.0/28"),
        IMAGES,
        extraLabels,
        secretFiles);
  }

  static TenantSecrets secrets() {
    return TenantSecrets.generate(new SecureRandom());
  }
}
