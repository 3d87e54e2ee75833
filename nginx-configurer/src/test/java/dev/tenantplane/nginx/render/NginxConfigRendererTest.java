package dev.tenantplane.nginx.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.nginx.route.Route;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NginxConfigRendererTest {
  private static final Duration FIVE = Duration.ofSeconds(5);
  private static final Duration SIXTY = Duration.ofSeconds(60);

  private static RenderOptions options(Optional<RenderOptions.Tls> tls) {
    return options("127.0.0.1", tls);
  }

  private static RenderOptions options(String tenantHost, Optional<RenderOptions.Tls> tls) {
    return new RenderOptions(
        "127.0.0.1:8080", "localhost", tenantHost, 20, 40, 10, FIVE, SIXTY, SIXTY, tls);
  }

  private static final NginxConfigRenderer PLAIN =
      new NginxConfigRenderer(options(Optional.empty()));

  private static Route route(String id, int appPort) {
    return new Route(
        id, new PortAssignment(appPort, appPort + 2432, appPort + 3379), null, false, false);
  }

  @Test
  void activeCustomerIsProxiedBySubdomainAndByPathWithForwardedHeaders() {
    RenderedConfig config = PLAIN.render(List.of(route("acme-corp", 3001)));

    assertThat(config.httpConf())
        .contains("map $host $tp_host_customer {")
        .contains("\"~^(?<tp_host_id>[a-z0-9-]+)\\.localhost$\" $tp_host_id;")
        .contains("    acme-corp proxy;\n")
        .contains("    acme-corp 127.0.0.1:3001;\n")
        .contains("server_name\n        acme-corp.localhost;")
        .contains("set $tp_customer $tp_host_customer;")
        .contains("proxy_pass http://$tp_upstream;")
        .contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;")
        .contains("proxy_set_header X-Forwarded-Proto $scheme;")
        .contains("proxy_connect_timeout 5s;")
        .contains("proxy_read_timeout 60s;")
        .doesNotContain("upstream tp_");
    assertThat(config.locations())
        .contains("location ~ \"(?s)^/(?<tp_path_customer>[a-z0-9-]+)(?<tp_path_rest>/.*|)\\z\" {")
        .contains("set $tp_customer $tp_path_customer;")
        .contains("if ($tp_route = \"\") {\n        return 404;\n    }")
        .contains("if ($tp_path_rest = \"\") {\n        return 301 /$tp_customer/;\n    }")
        .contains("rewrite \"(?s)^/[a-z0-9-]+(/.*)\\z\" $1 break;")
        .contains("proxy_pass http://$tp_upstream;")
        .contains("proxy_set_header X-Forwarded-Prefix /$tp_customer;");
  }

  @Test
  void aCustomerAddsMapEntriesAndAHostNameButNoBlocks() {
    List<Route> many = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add(route(String.format("customer-%04d", i), 3001 + i % 999));
    }
    RenderedConfig one = PLAIN.render(many.subList(0, 1));
    RenderedConfig thousand = PLAIN.render(many);

    for (String block : List.of("server {", "location ", "upstream ", "if (")) {
      assertThat(count(thousand.httpConf() + thousand.locations(), block))
          .as(block)
          .isEqualTo(count(one.httpConf() + one.locations(), block));
    }
    int perCustomer = (thousand.httpConf().length() - one.httpConf().length()) / (many.size() - 1);
    assertThat(perCustomer).isLessThan(100);
    assertThat(thousand.locations().length()).isEqualTo(one.locations().length());
    assertThat(thousand.httpConf())
        .contains("server_names_hash_bucket_size 128;")
        .contains("server_names_hash_max_size 4000;");
  }

  @Test
  void mapKeysThatSpellAMapParameterAreEscaped() {
    RenderedConfig config = PLAIN.render(List.of(route("include", 3001), route("volatile", 3002)));

    assertThat(config.httpConf())
        .contains("    \\include proxy;\n")
        .contains("    \\include 127.0.0.1:3001;\n")
        .contains("    \\volatile 127.0.0.1:3002;\n")
        .contains("        include.localhost\n");
  }

  @Test
  void aTenantHostNamedByDnsIsReachedThroughUpstreamBlocksNginxResolvesWhenItLoads() {
    NginxConfigRenderer byName =
        new NginxConfigRenderer(options("tenants.internal", Optional.empty()));

    String http = byName.render(List.of(route("acme-corp", 3001))).httpConf();

    assertThat(http)
        .contains("upstream tp_acme_corp {\n    server tenants.internal:3001;\n}")
        .contains("    acme-corp tp_acme_corp;\n")
        .contains("proxy_pass http://$tp_upstream;");
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  @Test
  void everyActiveCustomerIsRateLimitedUnderItsOwnKey() {
    RenderedConfig config = PLAIN.render(List.of(route("acme-corp", 3001), route("beta-co", 3002)));

    assertThat(config.httpConf())
        .containsOnlyOnce("limit_req_zone $tp_rate_key zone=tenantplane_customers:10m rate=20r/s;");
    assertThat(config.httpConf() + config.locations())
        .contains("set $tp_rate_key \"$tp_customer:$binary_remote_addr\";")
        .contains("limit_req zone=tenantplane_customers burst=40 nodelay;");
    // The key is set before the rewrite that ends the location's rewrite directives.
    for (String part : List.of(config.httpConf(), config.locations())) {
      assertThat(part.indexOf("set $tp_rate_key")).isLessThan(part.indexOf(" break;"));
    }
  }

  @Test
  void withoutActiveCustomersNoRateLimitZoneIsDeclared() {
    Route suspended = route("acme-corp", 3001).withSuspended(true);

    assertThat(PLAIN.render(List.of()).httpConf()).doesNotContain("limit_req_zone");
    assertThat(PLAIN.render(List.of(suspended)).httpConf()).doesNotContain("limit_req_zone");
  }

  @Test
  void suspendedCustomerIsAnswered503WithoutAnUpstream() {
    RenderedConfig config = PLAIN.render(List.of(route("acme-corp", 3001).withSuspended(true)));

    assertThat(config.httpConf())
        .doesNotContain("acme-corp 127.0.0.1")
        .doesNotContain("proxy_pass")
        .contains("    acme-corp suspended;\n")
        .contains("server_name\n        acme-corp.localhost;")
        .contains(
            "if ($tp_route = suspended) {\n            rewrite ^ /__tenantplane/suspended last;")
        .contains("add_header Retry-After 3600 always;")
        .contains("return 503 '{\"status\":\"suspended\",\"customer\":\"$tp_customer\"}\\n';");
    assertThat(config.locations())
        .contains("location = /__tenantplane/suspended {\n    internal;\n")
        .contains("default_type application/json;")
        .contains("if ($tp_route = suspended) {\n        rewrite ^ /__tenantplane/suspended last;")
        .contains("return 503");
  }

  @Test
  void customerBeingRestoredIsAnswered503ForAMinuteWithoutAnUpstreamWhileTheOthersAreProxied() {
    RenderedConfig config =
        PLAIN.render(List.of(route("acme-corp", 3001).withRestoring(true), route("globex", 3002)));

    assertThat(config.httpConf())
        .doesNotContain("acme-corp 127.0.0.1")
        .contains("    acme-corp restoring;\n")
        .contains("    globex 127.0.0.1:3002;\n")
        .contains("add_header Retry-After 60 always;")
        .contains("return 503 '{\"status\":\"restoring\",\"customer\":\"$tp_customer\"}\\n';");
    assertThat(
            PLAIN
                .render(List.of(route("acme-corp", 3001).withRestoring(true).withRestoring(false)))
                .httpConf())
        .contains("    acme-corp 127.0.0.1:3001;\n")
        .doesNotContain("acme-corp restoring");
  }

  @Test
  void tlsIsRenderedOnlyWhenACertificateIsConfigured() {
    RenderOptions.Tls tls =
        new RenderOptions.Tls(
            "/etc/nginx/tls/cert.pem", "/etc/nginx/tls/key.pem", "127.0.0.1:8443", false);
    NginxConfigRenderer withTls = new NginxConfigRenderer(options(Optional.of(tls)));

    String plain = PLAIN.render(List.of(route("acme-corp", 3001))).httpConf();
    String secured = withTls.render(List.of(route("acme-corp", 3001))).httpConf();

    assertThat(plain).doesNotContain("ssl");
    assertThat(secured)
        .contains("listen 127.0.0.1:8443 ssl default_server;")
        .contains("listen 127.0.0.1:8443 ssl;")
        .contains("ssl_certificate /etc/nginx/tls/cert.pem;")
        .contains("ssl_certificate_key /etc/nginx/tls/key.pem;")
        .contains("set $tp_customer $tp_path_customer;")
        .contains("proxy_set_header X-Forwarded-Prefix /$tp_customer;");
  }

  @Test
  void withRedirectPlainHttpToARouteAnswersItsHttpsAddressAndOnlyTlsReachesTheApp() {
    NginxConfigRenderer redirecting =
        new NginxConfigRenderer(
            options(
                Optional.of(
                    new RenderOptions.Tls(
                        "/etc/nginx/tls/cert.pem",
                        "/etc/nginx/tls/key.pem",
                        "127.0.0.1:8443",
                        true))));
    NginxConfigRenderer onPort443 =
        new NginxConfigRenderer(
            options(
                Optional.of(
                    new RenderOptions.Tls(
                        "/etc/nginx/tls/cert.pem", "/etc/nginx/tls/key.pem", "443", true))));

    RenderedConfig config = redirecting.render(List.of(route("acme-corp", 3001)));

    String plainServer =
        config.httpConf().substring(config.httpConf().indexOf("include /run/nginx/listen.conf;"));
    plainServer = plainServer.substring(0, plainServer.indexOf("\n}\n"));
    assertThat(plainServer)
        .contains("server_name\n        acme-corp.localhost;")
        .contains("return 308 https://$host:8443$request_uri;")
        .contains(NginxConfigRenderer.VERSION_PATH)
        .doesNotContain("proxy_pass")
        .doesNotContain("ssl");
    String tlsServer =
        config.httpConf().substring(config.httpConf().indexOf("listen 127.0.0.1:8443 ssl;"));
    assertThat(tlsServer.substring(0, tlsServer.indexOf("\n}\n")))
        .contains("server_name\n        acme-corp.localhost;")
        .contains("proxy_pass http://$tp_upstream;");
    assertThat(config.locations())
        .contains(
            "    set $tp_customer $tp_path_customer;\n"
                + "    if ($tp_route = \"\") {\n        return 404;\n    }\n"
                + "    return 308 https://$host:8443$request_uri;\n}")
        .contains(NginxConfigRenderer.VERSION_PATH)
        .doesNotContain("proxy_pass");
    assertThat(onPort443.render(List.of(route("acme-corp", 3001))).locations())
        .contains("return 308 https://$host$request_uri;");
  }

  @Test
  void versionIsServedAndChangesOnlyWithTheRoutes() {
    RenderedConfig first = PLAIN.render(List.of(route("acme-corp", 3001), route("beta-co", 3002)));
    RenderedConfig reordered =
        PLAIN.render(List.of(route("beta-co", 3002), route("acme-corp", 3001)));
    RenderedConfig moved = PLAIN.render(List.of(route("acme-corp", 3005), route("beta-co", 3002)));

    assertThat(reordered).isEqualTo(first);
    assertThat(moved.version()).isNotEqualTo(first.version());
    assertThat(first.locations())
        .contains(NginxConfigRenderer.VERSION_PATH)
        .contains("return 200 \"" + first.version() + "\";");
    assertThat(first.httpConf()).contains("return 200 \"" + first.version() + "\";");
  }

  @Test
  void hostileCustomerIdsNeverBecomeRoutes() {
    for (String hostile :
        List.of("a;b", "x}", "../x", "acme\ncorp", "acme corp", "ACME", "$host")) {
      assertThatThrownBy(() -> route(hostile, 3001))
          .as(hostile)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void portsOutOfRangeNeverBecomeRoutes() {
    for (int port : new int[] {0, -1, 65536, 70000}) {
      assertThat(Route.problem("acme-corp", new PortAssignment(port, 5433, 6380)))
          .as("port %d", port)
          .isPresent();
    }
    assertThat(Route.problem("acme-corp", new PortAssignment(3001, 5433, 6380))).isEmpty();
  }

  @Test
  void unsafeSettingsAreRefused() {
    assertThatThrownBy(
            () ->
                new RenderOptions(
                    "127.0.0.1:8080",
                    "x.com; include /etc/passwd",
                    "127.0.0.1",
                    20,
                    40,
                    10,
                    FIVE,
                    SIXTY,
                    SIXTY,
                    Optional.empty()))
        .hasMessageContaining("base-domain");
    assertThatThrownBy(
            () ->
                new RenderOptions(
                    "127.0.0.1:80800",
                    "localhost",
                    "127.0.0.1",
                    20,
                    40,
                    10,
                    FIVE,
                    SIXTY,
                    SIXTY,
                    Optional.empty()))
        .hasMessageContaining("listen");
    assertThatThrownBy(
            () ->
                new RenderOptions(
                    "127.0.0.1:8080",
                    "localhost",
                    "10.0.0.1;",
                    20,
                    40,
                    10,
                    FIVE,
                    SIXTY,
                    SIXTY,
                    Optional.empty()))
        .hasMessageContaining("tenant-host");
    assertThatThrownBy(() -> new RenderOptions.Tls("/etc/x.pem;", "/etc/k.pem", "8443", false))
        .hasMessageContaining("tls.certificate");
    assertThatThrownBy(() -> new RenderOptions.Tls("/etc/../x.pem", "/etc/k.pem", "8443", false))
        .hasMessageContaining("tls.certificate");
  }
}
