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
import java.util.Set;

/**
 * Renders the complete route configuration from the routes table, so the files always equal the
 * table. Every value is checked again here, whatever checked it before: a customer id that is not a
 * valid id or a port out of range never reaches a file.
 *
 * <p>Routes are data, not blocks: a fixed set of servers and locations looks the customer up in
 * {@code map}s that hold a few entries per customer (its state, its app's address, its host name in
 * the customers' server), so the configuration nginx parses, tests and keeps in memory grows by
 * those entries only. Requests find the customer by host name ({@code <id>.<base-domain>}) or by
 * the first path segment ({@code /<id>/...}); an id no map knows is answered 404.
 */
public class NginxConfigRenderer {
  /** Answers the rendered version, so a probe can tell which configuration nginx serves. */
  public static final String VERSION_PATH = "/__tenantplane/config-version";

  static final String ZONE = "tenantplane_customers";
  private static final String VERSION_TOKEN = "@@config-version@@";

  /** The values of {@code $tp_route}, the state of the customer a request is for. */
  static final String PROXY = "proxy";

  static final String SUSPENDED = "suspended";
  static final String RESTORING = "restoring";

  /** Internal locations a paused route's request is rewritten to, one per pause. */
  static final String PAUSE_PATH = "/__tenantplane/";

  /**
   * The first path segment as a customer id, and the rest. Matched against the normalised URI (dot
   * segments resolved, escapes decoded), like any location; {@code (?s)} and {@code \z}: a decoded
   * line break is part of the rest, never the end of the match.
   */
  private static final String PATH_ROUTE =
      "\"(?s)^/(?<tp_path_customer>[a-z0-9-]+)(?<tp_path_rest>/.*|)\\z\"";

  /** Words a {@code map} reads as its own parameters; a key spelling one is escaped. */
  private static final Set<String> MAP_WORDS =
      Set.of("default", "hostnames", "include", "volatile");

  private final RenderOptions options;

  /** The TLS settings when plain HTTP is to be redirected to them; empty otherwise. */
  private final Optional<RenderOptions.Tls> redirecting;

  public NginxConfigRenderer(RenderOptions options) {
    this.options = options;
    this.redirecting = options.tls().filter(RenderOptions.Tls::redirectHttp);
  }

  public RenderedConfig render(List<Route> routes) {
    List<Route> sorted = routes.stream().map(NginxConfigRenderer::checked).sorted(BY_ID).toList();
    boolean proxying = sorted.stream().anyMatch(r -> !r.paused());
    String http = httpConf(sorted, proxying);
    String locations = locations(proxying);
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

  private String httpConf(List<Route> routes, boolean proxying) {
    StringBuilder out = new StringBuilder(header());
    // The zone's key is set where a route proxies; without one nginx would not know it.
    if (proxying) {
      out.append(rateLimitZone());
    }
    maps(routes, out);
    if (!options.tenantHostIsAddress()) {
      upstreams(routes, out);
    }
    options.tls().ifPresent(tls -> out.append(tlsDefaultServer(tls, proxying)));
    if (!routes.isEmpty()) {
      out.append(serverNamesHash(routes));
      out.append(customerServers(routes, proxying));
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

  /**
   * The routes as data: which customer a host name is, each customer's state and each proxied
   * customer's app. Keys are checked ids, values fixed words and the checked tenant host and port.
   */
  private void maps(List<Route> routes, StringBuilder out) {
    out.append("# <id>.")
        .append(options.baseDomain())
        .append(" is customer <id> (the customers' server names only routed ones).\n")
        .append(
            "map $host $tp_host_customer {\n    default \"\";\n    \"~^(?<tp_host_id>[a-z0-9-]+)\\.")
        .append(options.baseDomain().replace(".", "\\."))
        .append("$\" $tp_host_id;\n}\n\n");
    out.append("# Each routed customer: proxied to its app, or paused (suspended, restoring).\n");
    out.append("map $tp_customer $tp_route {\n    default \"\";\n");
    for (Route route : routes) {
      String state = route.suspended() ? SUSPENDED : route.restoring() ? RESTORING : PROXY;
      out.append("    ").append(mapKey(route)).append(' ').append(state).append(";\n");
    }
    out.append("}\n\nmap $tp_customer $tp_upstream {\n    default \"\";\n");
    for (Route route : routes) {
      if (!route.paused()) {
        out.append("    ").append(mapKey(route)).append(' ').append(upstream(route)).append(";\n");
      }
    }
    out.append("}\n\n");
  }

  private static String mapKey(Route route) {
    String id = route.customerId();
    return MAP_WORDS.contains(id) ? "\\" + id : id;
  }

  /**
   * Where nginx sends a customer's traffic: the app's address when the tenant host is an address;
   * otherwise the name of an upstream block, which nginx resolves when it loads the configuration
   * (an address held in a variable would need a resolver at request time).
   */
  private String upstream(Route route) {
    return options.tenantHostIsAddress()
        ? options.tenantHost() + ":" + route.ports().app()
        : upstreamName(route);
  }

  private void upstreams(List<Route> routes, StringBuilder out) {
    for (Route route : routes) {
      if (!route.paused()) {
        out.append("upstream ")
            .append(upstreamName(route))
            .append(" {\n    server ")
            .append(options.tenantHost())
            .append(':')
            .append(route.ports().app())
            .append(";\n}\n");
      }
    }
  }

  private static String upstreamName(Route route) {
    return "tp_" + route.customerId().replace('-', '_');
  }

  /**
   * Sizes of the server names' hash, so that one hash lookup finds any customer's host name: a
   * bucket holds at least two of the longest name, and there are enough buckets for all.
   */
  private String serverNamesHash(List<Route> routes) {
    int longest = routes.stream().mapToInt(r -> hostName(r.customerId()).length()).max().orElse(0);
    int element = (8 + longest + 2 + 7) / 8 * 8;
    int bucket = 64;
    while (bucket < 2 * element + 8) {
      bucket *= 2;
    }
    return "server_names_hash_bucket_size "
        + bucket
        + ";\nserver_names_hash_max_size "
        + Math.max(512, 4 * routes.size())
        + ";\n\n";
  }

  /**
   * The server of every routed customer's host name; with redirecting TLS a plain one answering the
   * redirect and a TLS one routing.
   */
  private String customerServers(List<Route> routes, boolean proxying) {
    StringBuilder names = new StringBuilder();
    for (Route route : routes) {
      names.append("\n        ").append(hostName(route.customerId()));
    }
    String serverName = "    server_name" + names + ";\n";
    String route =
        pauseLocations("    ")
            + "    location / {\n"
            + "        set $tp_customer $tp_host_customer;\n"
            + routeBody(proxying, "        ", false)
            + "    }\n";
    if (redirecting.isPresent()) {
      RenderOptions.Tls tls = redirecting.get();
      return server(
              "    include /run/nginx/listen.conf;\n",
              serverName,
              "    location / {\n" + redirect(tls, "        ") + "    }\n")
          + server(tlsLines(tls, ""), serverName, route);
    }
    String listen =
        "    include /run/nginx/listen.conf;\n"
            + options.tls().map(tls -> tlsLines(tls, "")).orElse("");
    return server(listen, serverName, route);
  }

  private static String server(String listen, String serverName, String locations) {
    return "server {\n" + listen + serverName + versionLocation("    ") + locations + "}\n\n";
  }

  /**
   * The same address over HTTPS; 308 so that a client repeats a POST with its body instead of
   * turning it into a GET. The version probe stays on plain HTTP.
   */
  private static String redirect(RenderOptions.Tls tls, String indent) {
    return indent + "return 308 https://$host" + tls.portSuffix() + "$request_uri;\n";
  }

  private String tlsDefaultServer(RenderOptions.Tls tls, boolean proxying) {
    return "server {\n"
        + tlsLines(tls, " default_server")
        + "    server_name "
        + options.baseDomain()
        + ";\n"
        + versionLocation("    ")
        + pauseLocations("    ")
        + pathLocation(proxying, "    ")
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

  /** What goes inside the image's plain default server. */
  private String locations(boolean proxying) {
    if (redirecting.isPresent()) {
      return header()
          + versionLocation("")
          + "# A routed customer's path, redirected to HTTPS.\n"
          + "location ~ "
          + PATH_ROUTE
          + " {\n    set $tp_customer $tp_path_customer;\n"
          + "    if ($tp_route = \"\") {\n        return 404;\n    }\n"
          + redirect(redirecting.get(), "    ")
          + "}\n";
    }
    return header() + versionLocation("") + pauseLocations("") + pathLocation(proxying, "");
  }

  /**
   * The path route: {@code /<id>} is redirected to {@code /<id>/}, and {@code /<id>/rest} reaches
   * the app as {@code /rest}.
   */
  private String pathLocation(boolean proxying, String indent) {
    return indent
        + "location ~ "
        + PATH_ROUTE
        + " {\n"
        + indent
        + "    set $tp_customer $tp_path_customer;\n"
        + routeBody(proxying, indent + "    ", true)
        + indent
        + "}\n";
  }

  /**
   * The route of the customer in {@code $tp_customer}: 404 when no route has that id; a pause's
   * 503; or the app. The app gets the normalised URI (for a path route without its {@code /<id>}
   * prefix), escaped again by nginx: a {@code rewrite ... break} sets it, since nginx passes an
   * unchanged URI as the client sent it when {@code proxy_pass} holds a variable. The prefix comes
   * off the normalised URI, whose first segment named the customer: no {@code /../} can lead to
   * another customer's app.
   */
  private String routeBody(boolean proxying, String indent, boolean byPath) {
    StringBuilder out = new StringBuilder();
    out.append(indent).append("if ($tp_route = \"\") {\n");
    out.append(indent).append("    return 404;\n").append(indent).append("}\n");
    if (byPath) {
      out.append(indent).append("if ($tp_path_rest = \"\") {\n");
      out.append(indent).append("    return 301 /$tp_customer/;\n").append(indent).append("}\n");
    }
    for (String pause : List.of(SUSPENDED, RESTORING)) {
      out.append(indent).append("if ($tp_route = ").append(pause).append(") {\n");
      out.append(indent)
          .append("    rewrite ^ ")
          .append(PAUSE_PATH)
          .append(pause)
          .append(" last;\n")
          .append(indent)
          .append("}\n");
    }
    if (!proxying) {
      return out.append(indent).append("return 404;\n").toString();
    }
    String[] lines = {
      // Rewrite directives after a "rewrite ... break" do not run: the key is set before.
      "set $tp_rate_key \"$tp_customer:$binary_remote_addr\";",
      byPath
          ? "rewrite \"(?s)^/[a-z0-9-]+(/.*)\\z\" $1 break;"
          : "rewrite \"(?s)^(.*)\\z\" $1 break;",
      "limit_req zone=" + ZONE + " burst=" + options.burst() + " nodelay;",
      "proxy_pass http://$tp_upstream;",
      "proxy_http_version 1.1;",
      "proxy_set_header Host $host;",
      "proxy_set_header X-Real-IP $remote_addr;",
      "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
      "proxy_set_header X-Forwarded-Proto $scheme;",
      "proxy_set_header X-Forwarded-Host $host;",
      "proxy_set_header X-Forwarded-Port $server_port;",
      byPath ? "proxy_set_header X-Forwarded-Prefix /$tp_customer;" : null,
      "proxy_set_header Upgrade $websocket_upgrade;",
      "proxy_set_header Connection $connection_upgrade;",
      "proxy_connect_timeout " + options.connectTimeout().toSeconds() + "s;",
      "proxy_send_timeout " + options.sendTimeout().toSeconds() + "s;",
      "proxy_read_timeout " + options.readTimeout().toSeconds() + "s;",
    };
    for (String line : lines) {
      if (line != null) {
        out.append(indent).append(line).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * Where a paused route's request is answered: 503 with the customer and Retry-After (come back in
   * an hour when suspended, in a minute when restoring). Internal: no client asks for them.
   */
  private static String pauseLocations(String indent) {
    StringBuilder out = new StringBuilder();
    for (String pause : List.of(SUSPENDED, RESTORING)) {
      out.append(indent).append("location = ").append(PAUSE_PATH).append(pause).append(" {\n");
      for (String line :
          List.of(
              "internal;",
              "default_type application/json;",
              "add_header Retry-After " + (pause.equals(SUSPENDED) ? 3600 : 60) + " always;",
              "return 503 '{\"status\":\"" + pause + "\",\"customer\":\"$tp_customer\"}\\n';")) {
        out.append(indent).append("    ").append(line).append('\n');
      }
      out.append(indent).append("}\n");
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
