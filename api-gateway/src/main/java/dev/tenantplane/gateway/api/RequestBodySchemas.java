package dev.tenantplane.gateway.api;

import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.common.naming.CustomerRequestRules;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.PortPlan;
import dev.tenantplane.gateway.auth.Role;
import dev.tenantplane.gateway.auth.TokenLifetimes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/**
 * The schemas of the request bodies in the OpenAPI document. Bodies are read field by field ({@link
 * JsonBody}, for the strict UTF-8 and duplicate-field checks), so no Java type stands for them;
 * these schemas are built from the constants their readers check with, so the document states each
 * field's type and rule, which fields are required and that no other field is accepted.
 */
final class RequestBodySchemas {
  static final String CUSTOMER = "CustomerRequest";
  static final String TOKEN = "TokenRequest";
  static final String FLEET_MIGRATION = "FleetMigrationRequest";
  static final String RESTORE = "RestoreRequest";
  static final String BACKUP = "BackupRequest";

  /**
   * A customer's name: no control, format, private-use, unassigned or line/paragraph separator
   * character ({@code \p{C}}, {@code \p{Zl}}, {@code \p{Zp}}), and no white space at either end.
   * {@code CustomerRequestRules} checks this in code; the document states it as a pattern, which
   * {@code RequestBodySchemasIT} holds against those checks.
   */
  private static final String CUSTOMER_NAME =
      "^[^\\p{C}\\p{Z}](?:[^\\p{C}\\p{Zl}\\p{Zp}]*[^\\p{C}\\p{Z}])?$";

  private static final String OBJECT =
      "A JSON object in UTF-8 (no byte order mark), each field at most once, no other field. ";

  private RequestBodySchemas() {}

  /**
   * Every body schema by its name in {@code components/schemas}, built with the document at build
   * time; but the token request's, which states the configured lifetimes, is added at start ({@link
   * TokenRequestSchema}).
   */
  static Map<String, Schema> all() {
    return Map.of(
        CUSTOMER, customer(),
        FLEET_MIGRATION, fleetMigration(),
        RESTORE, restore(),
        BACKUP, object("The body is optional; when sent it is {}.", List.of()));
  }

  private static Schema customer() {
    Schema id =
        customerId(
            string("The customer's id: a DNS label, not a reserved name (www, api, fleet, ...)."));
    Schema name =
        string("Shown to people; no control characters, no white space at either end.")
            .pattern(CUSTOMER_NAME)
            .minLength(1)
            .maxLength(CustomerRequestRules.MAX_NAME_LENGTH);
    Schema plan =
        optional(SchemaType.STRING, "The resource plan; absent or null: the default.")
            .enumeration(plans())
            .defaultValue(Plan.DEFAULT.wireName());
    Schema port =
        optional(
                SchemaType.INTEGER,
                "The app port (its database and Redis ports follow), one no other customer holds;"
                    + " absent or null: the lowest free one.")
            .minimum(BigDecimal.valueOf(PortPlan.APP_BASE + PortPlan.MIN_OFFSET))
            .maximum(BigDecimal.valueOf(PortPlan.APP_BASE + PortPlan.MAX_OFFSET));
    return object("A customer to provision.", List.of("id", "name"))
        .addProperty("id", id)
        .addProperty("name", name)
        .addProperty("plan", plan)
        .addProperty("port", port);
  }

  /** The plans' wire names, and null: an enum constrains null too. */
  private static List<Object> plans() {
    List<Object> plans = new ArrayList<>();
    Arrays.stream(Plan.values()).map(Plan::wireName).forEach(plans::add);
    plans.add(null);
    return plans;
  }

  /** The token request, with the lifetimes this gateway is configured with. */
  static Schema token(TokenLifetimes lifetimes) {
    Schema name = string("The token's name, never used before.").pattern(ParameterRules.TOKEN_NAME);
    Schema role =
        string(
                "What the token may do: a viewer reads, an operator reads and writes, an admin"
                    + " also manages tokens.")
            .enumeration(Arrays.stream(Role.values()).<Object>map(Role::wireName).toList());
    Schema days =
        optional(
                SchemaType.INTEGER,
                "Days until the token expires, at most the gateway's tokens.max-lifetime; absent or"
                    + " null: its tokens.default-lifetime.")
            .minimum(BigDecimal.ONE)
            .maximum(BigDecimal.valueOf(lifetimes.maxDays()))
            .defaultValue(lifetimes.defaultDays());
    return object("An API token to create.", List.of("name", "role"))
        .addProperty("name", name)
        .addProperty("role", role)
        .addProperty("expiresInDays", days);
  }

  private static Schema fleetMigration() {
    Schema concurrency =
        optional(
                SchemaType.INTEGER,
                "Customers migrated at once; absent or null: the gateway's"
                    + " fleet-default-concurrency setting.")
            .minimum(BigDecimal.ONE)
            .maximum(BigDecimal.valueOf(FleetResource.MAX_CONCURRENCY));
    return object("The body is optional.", List.of()).addProperty("maxConcurrency", concurrency);
  }

  private static Schema restore() {
    Schema backupId =
        string("The backupId a backup request was answered with, for the path's customer.")
            .format("uuid");
    Schema targetId =
        customerId(
            optional(
                SchemaType.STRING,
                "Another READY customer to restore the backup into (a clone of the path's"
                    + " customer), on the same or a bigger plan; absent, null or the path's id:"
                    + " the path's customer itself."));
    return object("The backup to restore, and where.", List.of(RestoreResource.BACKUP_ID))
        .addProperty(RestoreResource.BACKUP_ID, backupId)
        .addProperty(RestoreResource.TARGET_ID, targetId);
  }

  /** {@code schema} with the customer id rule's pattern and length. */
  private static Schema customerId(Schema schema) {
    return schema
        .pattern(ParameterRules.CUSTOMER_ID)
        .minLength(CustomerIds.MIN_LENGTH)
        .maxLength(CustomerIds.MAX_LENGTH);
  }

  private static Schema object(String description, List<String> required) {
    Schema schema =
        OASFactory.createSchema()
            .addType(SchemaType.OBJECT)
            .description(OBJECT + description)
            .additionalPropertiesBoolean(false);
    return required.isEmpty() ? schema : schema.required(required);
  }

  private static Schema string(String description) {
    return OASFactory.createSchema().addType(SchemaType.STRING).description(description);
  }

  /** An optional field: its readers take JSON null as leaving it out. */
  private static Schema optional(SchemaType type, String description) {
    return OASFactory.createSchema().type(List.of(type, SchemaType.NULL)).description(description);
  }
}
