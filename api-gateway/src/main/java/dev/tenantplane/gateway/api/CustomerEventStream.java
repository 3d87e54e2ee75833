package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.GatewaySettings;
import dev.tenantplane.gateway.auth.Role;
import dev.tenantplane.gateway.customers.CustomerQueries;
import dev.tenantplane.gateway.customers.CustomerViews.TimelineEntry;
import dev.tenantplane.gateway.projection.CustomerStatus;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A customer's timeline as Server-Sent Events: what happened so far, then new events as they
 * arrive, until the customer is READY, FAILED or DEPROVISIONED or the client leaves. It follows the
 * timeline table rather than an in-memory feed, so it works whichever gateway instance projected
 * the events, and reads it again only when {@link TimelineSignals} says the customer's timeline
 * changed.
 */
@Path("/api/v1/customers/{id}/events")
@Tag(name = "customers")
@SecurityRequirement(name = "bearer")
public class CustomerEventStream {
  private final CustomerQueries queries;
  private final GatewaySettings settings;
  private final TimelineSignals signals;
  private final Clock clock;

  public CustomerEventStream(
      CustomerQueries queries, GatewaySettings settings, TimelineSignals signals, Clock clock) {
    this.queries = queries;
    this.settings = settings;
    this.signals = signals;
    this.clock = clock;
  }

  private record Batch(List<TimelineEntry> entries, boolean last) {}

  /** Marks the poll after the last batch, so the stream completes once that batch is sent. */
  private static final Batch END = new Batch(List.of(), true);

  /** A turn on which the timeline did not change. */
  private static final Batch NOTHING_NEW = new Batch(List.of(), false);

  @RolesAllowed({Role.OPERATOR_NAME, Role.VIEWER_NAME})
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(operationId = "followCustomerEvents", summary = "Follow a customer's timeline")
  @APIResponse(
      responseCode = "200",
      description =
          "the timeline so far, then each new event until the customer is settled; an event's"
              + " name is its wire type, its id the timeline sequence, its data the entry as JSON",
      content = @Content(schema = @Schema(type = SchemaType.STRING)))
  @Blocking
  public Multi<OutboundSseEvent> follow(@PathParam("id") String id, @Context Sse sse) {
    if (queries.status(PathParams.customerId(id)).isEmpty()) {
      throw CustomerResource.notFound(id);
    }
    AtomicLong lastSeq = new AtomicLong();
    AtomicBoolean ended = new AtomicBoolean();
    AtomicBoolean replayed = new AtomicBoolean();
    StreamPace pace = new StreamPace(Duration.ZERO, settings.sseFallbackInterval());
    return Multi.createBy()
        .repeating()
        .uni(
            () ->
                ended.get()
                    ? Uni.createFrom().item(END)
                    : poll(id, lastSeq, pace, !replayed.getAndSet(true)))
        .indefinitely()
        .invoke(batch -> ended.compareAndSet(false, batch.last()))
        .select()
        .first(batch -> batch != END)
        .onItem()
        .transformToIterable(Batch::entries)
        .map(
            entry ->
                sse.newEventBuilder()
                    .id(Long.toString(entry.seq()))
                    .name(entry.type())
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(TimelineEntry.class, entry)
                    .build());
  }

  /** Reads the status before the rows, so the rows include whatever ended the stream. */
  private Uni<Batch> poll(String id, AtomicLong lastSeq, StreamPace pace, boolean replay) {
    return TimelinePoll.next(
        replay,
        settings.ssePollInterval(),
        () ->
            !pace.readNow(signals.mark(id), signals.listening(), clock.instant())
                ? Uni.createFrom().item(NOTHING_NEW)
                : queries
                    .statusNow(id)
                    .chain(
                        status ->
                            queries
                                .timeline(id, lastSeq.get())
                                .map(entries -> new Batch(entries, ends(status))))
                    .invoke(
                        b ->
                            b.entries()
                                .forEach(e -> lastSeq.accumulateAndGet(e.seq(), Math::max))));
  }

  private static boolean ends(Optional<CustomerStatus> status) {
    return status.isEmpty() || CustomerStatus.STREAM_ENDS.contains(status.get());
  }
}
