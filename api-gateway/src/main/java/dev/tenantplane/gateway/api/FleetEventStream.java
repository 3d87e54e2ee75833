package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.GatewaySettings;
import dev.tenantplane.gateway.auth.Role;
import dev.tenantplane.gateway.customers.FleetTimeline.FleetEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Every customer's lifecycle events as one Server-Sent Events stream, as they happen. Each event's
 * id is its position in the fleet's timeline: a client that reconnects with {@code Last-Event-ID}
 * gets every event after it; without one the stream starts from now. It follows the timeline table,
 * so it works whichever gateway instance projected the events; the instance's streams share one
 * reader of it ({@link FleetTail}).
 */
@Path("/api/v1/events")
@Tag(name = "fleet")
@SecurityRequirement(name = "bearer")
public class FleetEventStream {
  static final String LAST_EVENT_ID = "Last-Event-ID";

  private final FleetTail tail;
  private final GatewaySettings settings;

  public FleetEventStream(FleetTail tail, GatewaySettings settings) {
    this.tail = tail;
    this.settings = settings;
  }

  @RolesAllowed({Role.OPERATOR_NAME, Role.VIEWER_NAME})
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(operationId = "followFleetEvents", summary = "Follow every customer's events")
  @APIResponse(
      responseCode = "200",
      description =
          "each lifecycle event as it happens, never ending; an event's name is its wire type, its"
              + " id its position in the fleet's timeline, its data {seq, customerId, eventId,"
              + " type, step, occurredAt, attempt, retryable, reason}",
      content = @Content(schema = @Schema(type = SchemaType.STRING)))
  @APIResponse(
      responseCode = "400",
      description = "Last-Event-ID is empty, given twice or not a whole number from 0")
  @Parameter(
      name = LAST_EVENT_ID,
      in = ParameterIn.HEADER,
      description = "the id of the last event received; the stream resumes after it",
      schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
  @Blocking
  public Multi<OutboundSseEvent> follow(@Context RoutingContext routing, @Context Sse sse) {
    FieldErrors errors = new FieldErrors();
    Optional<Long> resumeAfter = resumePoint(routing, errors);
    errors.requireValid();
    AtomicLong lastSeq = new AtomicLong(-1);
    Uni<Long> start = resumeAfter.map(seq -> Uni.createFrom().item(seq)).orElseGet(tail::end);
    return Multi.createBy()
        .repeating()
        .uni(() -> poll(start, lastSeq))
        .indefinitely()
        .onItem()
        .transformToIterable(events -> events)
        .map(
            event ->
                sse.newEventBuilder()
                    .id(Long.toString(event.seq()))
                    .name(event.type())
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(FleetEvent.class, event)
                    .build());
  }

  /** The first poll finds the starting point and reads at once; every later one waits first. */
  private Uni<List<FleetEvent>> poll(Uni<Long> start, AtomicLong lastSeq) {
    boolean first = lastSeq.get() < 0;
    return TimelinePoll.next(
        first,
        settings.ssePollInterval(),
        () ->
            (first ? start.invoke(lastSeq::set) : Uni.createFrom().item(lastSeq::get))
                .chain(seq -> tail.after(seq, FleetTail.BATCH))
                .invoke(
                    events -> events.forEach(e -> lastSeq.accumulateAndGet(e.seq(), Math::max))));
  }

  private static Optional<Long> resumePoint(RoutingContext routing, FieldErrors errors) {
    Optional<String> given = RequestParams.header(routing, LAST_EVENT_ID, errors);
    if (given.isEmpty()) {
      return Optional.empty();
    }
    try {
      long seq = Long.parseLong(given.get());
      if (seq >= 0) {
        return Optional.of(seq);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.reject(LAST_EVENT_ID, LAST_EVENT_ID + " must be an event id this stream sent");
    return Optional.empty();
  }
}
