package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.GatewaySettings;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a request whose Content-Length is over max-body-bytes before its body is read, with the
 * same 413 problem the API gives for a body it has read. Without it, bodies over {@code
 * quarkus.http.limits.max-body-size} got a bare 413 from the HTTP layer, whose check runs at {@link
 * RouteConstants#ROUTE_ORDER_UPLOAD_LIMIT}; this one runs just before. A chunked body (no
 * Content-Length) is not seen here: the resources refuse it once read, and the HTTP layer cuts off
 * one over max-body-size with its bare 413.
 */
@ApplicationScoped
public class BodySizeGuard {
  private static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;

  private final GatewaySettings settings;

  public BodySizeGuard(GatewaySettings settings) {
    this.settings = settings;
  }

  void install(@Observes Router router) {
    router.route().order(ORDER).handler(this::refuseDeclaredTooLarge);
  }

  private void refuseDeclaredTooLarge(RoutingContext context) {
    if (!declaredOverLimit(context.request().getHeader(HttpHeaders.CONTENT_LENGTH))) {
      context.next();
      return;
    }
    // The unread body would otherwise be taken for the next request on this connection.
    HttpServerResponse response =
        context
            .response()
            .setStatusCode(413)
            .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
            .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    response.endHandler(done -> context.request().connection().close());
    response.end(RequestBodyText.tooLarge(settings.maxBodyBytes()).problem().toJson());
  }

  /** A malformed length is left to the HTTP layer, which refuses it on its own. */
  private boolean declaredOverLimit(String contentLength) {
    if (contentLength == null) {
      return false;
    }
    try {
      return Long.parseLong(contentLength.strip()) > settings.maxBodyBytes();
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
