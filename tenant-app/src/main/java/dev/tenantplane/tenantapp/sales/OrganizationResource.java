package dev.tenantplane.tenantapp.sales;

import dev.tenantplane.tenantapp.auth.OrgToken;
import dev.tenantplane.tenantapp.auth.Tokens;
import dev.tenantplane.tenantapp.db.OrgTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The organization the caller's token names (the seed's {@code organizations} row). */
@Path("/api/organization")
@Produces(MediaType.APPLICATION_JSON)
public class OrganizationResource {
  private final Tokens tokens;
  private final OrgTransactions transactions;

  public OrganizationResource(Tokens tokens, OrgTransactions transactions) {
    this.tokens = tokens;
    this.transactions = transactions;
  }

  public record Organization(
      UUID id,
      String name,
      String slug,
      String description,
      String logoUrl,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt) {
    static Organization of(Row row) {
      return new Organization(
          row.getUUID("id"),
          row.getString("name"),
          row.getString("slug"),
          row.getString("description"),
          row.getString("logo_url"),
          row.getOffsetDateTime("created_at"),
          row.getOffsetDateTime("updated_at"));
    }
  }

  @GET
  public Uni<Organization> current(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    OrgToken token = tokens.organization(authorization);
    return transactions.inOrganization(
        token.organizationId(),
        connection ->
            connection
                .query(
                    "SELECT id, name, slug, description, logo_url, created_at, updated_at"
                        + " FROM organizations")
                .execute()
                .map(
                    rows -> {
                      if (rows.size() == 0) {
                        throw new NotFoundException("no such organization");
                      }
                      return Organization.of(rows.iterator().next());
                    }));
  }
}
