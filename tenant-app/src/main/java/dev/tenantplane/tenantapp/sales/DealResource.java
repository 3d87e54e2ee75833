package dev.tenantplane.tenantapp.sales;

import dev.tenantplane.tenantapp.auth.OrgToken;
import dev.tenantplane.tenantapp.auth.Tokens;
import dev.tenantplane.tenantapp.db.OrgTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Deals of the caller's organization. A deal of another organization is "not found": Row-Level
 * Security hides it, the code does not filter by organization at all.
 */
@Path("/api/deals")
@Produces(MediaType.APPLICATION_JSON)
public class DealResource {
  private static final String COLUMNS = "id, contact_id, title, amount, stage";
  private final Tokens tokens;
  private final OrgTransactions transactions;

  public DealResource(Tokens tokens, OrgTransactions transactions) {
    this.tokens = tokens;
    this.transactions = transactions;
  }

  public record Deal(UUID id, UUID contactId, String title, BigDecimal amount, String stage) {
    static Deal of(Row row) {
      return new Deal(
          row.getUUID("id"),
          row.getUUID("contact_id"),
          row.getString("title"),
          row.getBigDecimal("amount"),
          row.getString("stage"));
    }
  }

  public record NewDeal(String title, BigDecimal amount, String stage, UUID contactId) {}

  public record StageChange(String stage) {}

  @GET
  public Uni<List<Deal>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    OrgToken token = tokens.organization(authorization);
    return transactions.inOrganization(
        token.organizationId(),
        connection ->
            connection
                .query("SELECT " + COLUMNS + " FROM deals ORDER BY created_at, id")
                .execute()
                .map(
                    rows -> {
                      List<Deal> deals = new ArrayList<>();
                      rows.forEach(row -> deals.add(Deal.of(row)));
                      return deals;
                    }));
  }

  @GET
  @Path("{id}")
  public Uni<Deal> get(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") UUID id) {
    OrgToken token = tokens.organization(authorization);
    return transactions.inOrganization(
        token.organizationId(),
        connection ->
            connection
                .preparedQuery("SELECT " + COLUMNS + " FROM deals WHERE id = $1")
                .execute(Tuple.of(id))
                .map(DealResource::single));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Response> create(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, NewDeal body) {
    OrgToken token = tokens.organization(authorization);
    if (body == null) {
      throw new BadRequestException("a deal is required");
    }
    Tuple values =
        Tuple.of(
            Input.text(body.title(), "title", 200),
            Input.amount(body.amount()),
            Input.stage(body.stage()),
            body.contactId());
    return transactions.inOrganization(
        token.organizationId(),
        connection ->
            connection
                .preparedQuery(
                    "INSERT INTO deals (title, amount, stage, contact_id) VALUES ($1, $2, $3, $4)"
                        + " RETURNING "
                        + COLUMNS)
                .execute(values)
                .map(
                    rows -> Response.status(Response.Status.CREATED).entity(single(rows)).build()));
  }

  @PATCH
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Deal> changeStage(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("id") UUID id,
      StageChange body) {
    OrgToken token = tokens.organization(authorization);
    String stage = Input.stage(body == null ? null : body.stage());
    return transactions.inOrganization(
        token.organizationId(),
        connection ->
            connection
                .preparedQuery(
                    "UPDATE deals SET stage = $1, updated_at = now() WHERE id = $2 RETURNING "
                        + COLUMNS)
                .execute(Tuple.of(stage, id))
                .map(DealResource::single));
  }

  @DELETE
  @Path("{id}")
  public Uni<Response> delete(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") UUID id) {
    OrgToken token = tokens.organization(authorization);
    return transactions.inOrganization(
        token.organizationId(),
        connection ->
            connection
                .preparedQuery("DELETE FROM deals WHERE id = $1")
                .execute(Tuple.of(id))
                .map(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        throw new NotFoundException("no such deal");
                      }
                      return Response.noContent().build();
                    }));
  }

  private static Deal single(RowSet<Row> rows) {
    if (rows.size() == 0) {
      throw new NotFoundException("no such deal");
    }
    return Deal.of(rows.iterator().next());
  }
}
