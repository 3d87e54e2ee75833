package dev.tenantplane.nginx.render;

import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.nginx.route.Route;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Renders the complete route configuration from the routes table, so the files always equal the
 * table. Every value is checked again here, whatever checked it before: a customer id that is not a
 * valid id or a port out of range never reaches a file.
 */
public class NginxConfigRenderer {
  /** Answers the rendered version, so a probe can tell which configuration nginx serves. */
  public static final String VERSION_PATH = "/__tenantplane/config-version";

  static final String ZONE = "tenantplane_customers";
  private static final String VERSION_TOKEN = "@@config-version@@";

  private final RenderOptions options;

  /** The TLS settings when plain HTTP is to be redirected to them; empty otherwise. */
  private final Optional<RenderOptions.Tls> redirecting;

  public NginxConfigRenderer(RenderOptions options) {
    this.options = options;
    this.redirecting = options.tls().filter(RenderOptions.Tls::redirectHttp);
  }

  public RenderedConfig render(List<Route> routes) {
    List<Route> sorted = routes.stream().map(NginxConfigRenderer::checked).sorted(BY_ID).toList();
    String http = httpConf(sorted);
    String locations = locations(sorted);
    String version = hash(http + "\u0000" + locations);
    return new RenderedConfig(
        version, http.replace(VERSION_TOKEN, version), locations.replace(VERSION_TOKEN, version));
  }

  public String hostName(String customerId) {
    return CustomerIds.require(customerId) + "." + options.baseDomain();
  }

  public static String path(String customerId) {
    return "/" + CustomerIds.require(customerId) + "/";
  }

  private static final Comparator<Route> BY_ID = Comparator.comparing(Route::customerId);

  private static Route checked(Route route) {
    Route.problem(route.customerId(), route.ports())
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    return route;
  }

  private String httpConf(List<Route> routes) {
    StringBuilder out = new StringBuilder(header());
    // The zone's key is set in every active route; without one nginx would not know it.
    if (routes.stream().anyMatch(r -> !r.paused())) {
      out.append(rateLimitZone());
    }
    options.tls().ifPresent(tls -> out.append(tlsDefaultServer(tls, routes)));
    for (Route route : routes) {
      if (!route.paused()) {
        out.append("upstream ")
            .append(upstream(route))
            .append(" {\n    server ")
            .append(options.tenantHost())
            .append(':')
            .append(route.ports().app())
            .append(";\n}\n");
      }
      out.append(customerServer(route)).append('\n');
    }
    return out.toString();
  }

  /** One zone for all customers, keyed by customer and client address: one limit per pair. */
  private String rateLimitZone() {
    return "limit_req_zone $tp_rate_key zone="
        + ZONE
        + ":"
        + options.zoneMegabytes()
        + "m rate="
        + options.requestsPerSecond()
        + "r/s;\nlimit_req_status 429;\n\n";
  }

  private String customerServer(Route route) {
    if (redirecting.isPresent()) {
      RenderOptions.Tls tls = redirecting.get();
      return server(route, "    include /run/nginx/listen.conf;\n", redirect(tls, "        "))
          + server(route, tlsLines(tls, ""), routeBody(route, "        ", "/", ""));
    }
    String listen =
        "    include /run/nginx/listen.conf;\n"
            + options.tls().map(tls -> tlsLines(tls, "")).orElse("");
    return server(route, listen, routeBody(route, "        ", "/", ""));
  }

  /** A server for the customer's host name whose {@code location /} holds {@code body}. */
  private String server(Route route, String listen, String body) {
    return "server {\n"
        + listen
        + "    server_name "
        + hostName(route.customerId())
        + ";\n"
        + versionLocation("    ")
        + "    location / {\n"
        + body
        + "    }\n}\n";
  }

  /**
   * The same address over HTTPS; 308 so that a client repeats a POST with its body instead of
   * turning it into a GET. The version probe stays on plain HTTP.
   */
  private static String redirect(RenderOptions.Tls tls, String indent) {
    return indent + "return 308 https://$host" + tls.portSuffix() + "$request_uri;\n";
  }

  private String tlsDefaultServer(RenderOptions.Tls tls, List<Route> routes) {
    return "server {\n"
        + tlsLines(tls, " default_server")
        + "    server_name "
        + options.baseDomain()
        + ";\n"
        + versionLocation("    ")
        + pathLocations(routes, "    ")
        + "    location / {\n        return 404;\n    }\n}\n\n";
  }

  private static String tlsLines(RenderOptions.Tls tls, String defaultServer) {
    return "    listen "
        + tls.listen()
        + " ssl"
        + defaultServer
        + ";\n    ssl_certificate "
        + tls.certificate()
        + ";\n    ssl_certificate_key "
        + tls.key()
        + ";\n    ssl_protocols TLSv1.2 TLSv1.3;\n";
  }

  private String locations(List<Route> routes) {
    return header()
        + versionLocation("")
        + (redirecting.isPresent()
            ? pathRedirects(routes, redirecting.get())
            : pathLocations(routes, ""));
  }

  /** Each path route of the plain default server, redirected to HTTPS. */
  private static String pathRedirects(List<Route> routes, RenderOptions.Tls tls) {
    StringBuilder out = new StringBuilder();
    for (Route route : routes) {
      for (String location : List.of("= /" + route.customerId(), path(route.customerId()))) {
        out.append("location ").append(location).append(" {\n");
        out.append(redirect(tls, "    ")).append("}\n");
      }
    }
    return out.toString();
  }

  private String pathLocations(List<Route> routes, String indent) {
    StringBuilder out = new StringBuilder();
    for (Route route : routes) {
      String path = path(route.customerId());
      out.append(indent)
          .append("location = /")
          .append(route.customerId())
          .append(" {\n")
          .append(indent)
          .append("    return 301 ")
          .append(path)
          .append(";\n")
          .append(indent)
          .append("}\n")
          .append(indent)
          .append("location ")
          .append(path)
          .append(" {\n")
          .append(routeBody(route, indent + "    ", "/", path))
          .append(indent)
          .append("}\n");
    }
    return out.toString();
  }

  /**
   * Proxies to the customer's app, or answers 503 while the customer is suspended (come back in an
   * hour) or being restored (in a minute).
   */
  private String routeBody(Route route, String indent, String upstreamPath, String prefix) {
    String id = route.customerId();
    if (route.paused()) {
      return indent
          + "default_type application/json;\n"
          + indent
          + "add_header Retry-After "
          + (route.suspended() ? 3600 : 60)
          + " always;\n"
          + indent
          + "return 503 '{\"status\":\""
          + (route.suspended() ? "suspended" : "restoring")
          + "\",\"customer\":\""
          + id
          + "\"}\\n';\n";
    }
    String[] lines = {
      "set $tp_rate_key \"" + id + ":$binary_remote_addr\";",
      "limit_req zone=" + ZONE + " burst=" + options.burst() + " nodelay;",
      "proxy_pass http://" + upstream(route) + upstreamPath + ";",
      "proxy_http_version 1.1;",
      "proxy_set_header Host $host;",
      "proxy_set_header X-Real-IP $remote_addr;",
      "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
      "proxy_set_header X-Forwarded-Proto $scheme;",
      "proxy_set_header X-Forwarded-Host $host;",
      "proxy_set_header X-Forwarded-Port $server_port;",
      prefix.isEmpty() ? null : "proxy_set_header X-Forwarded-Prefix /" + id + ";",
      "proxy_set_header Upgrade $websocket_upgrade;",
      "proxy_set_header Connection $connection_upgrade;",
      "proxy_connect_timeout " + options.connectTimeout().toSeconds() + "s;",
      "proxy_send_timeout " + options.sendTimeout().toSeconds() + "s;",
      "proxy_read_timeout " + options.readTimeout().toSeconds() + "s;",
    };
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      if (line != null) {
        out.append(indent).append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static String versionLocation(String indent) {
    return indent
        + "location = "
        + VERSION_PATH
        + " {\n"
        + indent
        + "    access_log off;\n"
        + indent
        + "    default_type text/plain;\n"
        + indent
        + "    return 200 \""
        + VERSION_TOKEN
        + "\";\n"
        + indent
        + "}\n";
  }

  private static String upstream(Route route) {
    return "tp_" + route.customerId().replace('-', '_');
  }

  private static String header() {
    return "# Rendered by nginx-configurer from its routes table; any edit is replaced by the next"
        + " change.\n";
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
