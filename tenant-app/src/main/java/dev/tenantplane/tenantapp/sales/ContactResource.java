package dev.tenantplane.tenantapp.sales;

import dev.tenantplane.tenantapp.auth.OrgToken;
import dev.tenantplane.tenantapp.auth.Tokens;
import dev.tenantplane.tenantapp.db.OrgTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Contacts of the caller's organization. */
@Path("/api/contacts")
@Produces(MediaType.APPLICATION_JSON)
public class ContactResource {
  private static final String COLUMNS = "id, name, email, company";
  private final Tokens tokens;
  private final OrgTransactions transactions;

  public ContactResource(Tokens tokens, OrgTransactions transactions) {
    this.tokens = tokens;
    this.transactions = transactions;
  }

  public record Contact(UUID id, String name, String email, String company) {
    static Contact of(Row row) {
      return new Contact(
          row.getUUID("id"),
          row.getString("name"),
          row.getString("email"),
          row.getString("company"));
    }
  }

  public record NewContact(String name, String email, String company) {}

  @GET
  public Uni<List<Contact>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    OrgToken token = tokens.organization(authorization);
    return transactions.inOrganization(
        token.organizationId(),
        connection ->
            connection
                .query("SELECT " + COLUMNS + " FROM contacts ORDER BY created_at, id")
                .execute()
                .map(
                    rows -> {
                      List<Contact> contacts = new ArrayList<>();
                      rows.forEach(row -> contacts.add(Contact.of(row)));
                      return contacts;
                    }));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Response> create(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, NewContact body) {
    OrgToken token = tokens.organization(authorization);
    if (body == null) {
      throw new BadRequestException("a contact is required");
    }
    Tuple values =
        Tuple.of(
            Input.text(body.name(), "name", 200),
            Input.optionalEmail(body.email()),
            Input.optionalText(body.company(), "company", 200));
    return transactions.inOrganization(
        token.organizationId(),
        connection ->
            connection
                .preparedQuery(
                    "INSERT INTO contacts (name, email, company) VALUES ($1, $2, $3)"
                        + " RETURNING "
                        + COLUMNS)
                .execute(values)
                .map(
                    rows ->
                        Response.status(Response.Status.CREATED)
                            .entity(Contact.of(rows.iterator().next()))
                            .build()));
  }
}
