package dev.tenantplane.nginx.render;

import dev.tenantplane.nginx.NginxSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings that shape the rendered configuration, checked once so that nothing unvalidated
 * reaches a configuration file.
 */
public record RenderOptions(
    String listen,
    String baseDomain,
    String tenantHost,
    int requestsPerSecond,
    int burst,
    int zoneMegabytes,
    Duration connectTimeout,
    Duration readTimeout,
    Duration sendTimeout,
    Optional<Tls> tls) {

  private static final String LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
  private static final Pattern DOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern LISTEN = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3}:)?(\\d{1,5})");
  private static final Pattern FILE = Pattern.compile("/[A-Za-z0-9._/-]+");

  /**
   * TLS for the base domain and every customer subdomain; with {@code redirectHttp}, plain HTTP to
   * a route answers a redirect to its HTTPS address.
   */
  public record Tls(String certificate, String key, String listen, boolean redirectHttp) {
    public Tls {
      requireFile("tls.certificate", certificate);
      requireFile("tls.key", key);
      requireListen("tls.listen", listen);
    }

    /** The port as an HTTPS address names it: nothing for 443. */
    String portSuffix() {
      String port = listen.substring(listen.lastIndexOf(':') + 1);
      return port.equals("443") ? "" : ":" + port;
    }
  }

  public RenderOptions {
    requireListen("listen", listen);
    if (baseDomain == null || baseDomain.length() > 190 || !DOMAIN.matcher(baseDomain).matches()) {
      throw new IllegalArgumentException(
          "base-domain must be a lower-case DNS name: " + baseDomain);
    }
    if (tenantHost == null
        || !(IPV4.matcher(tenantHost).matches() || DOMAIN.matcher(tenantHost).matches())) {
      throw new IllegalArgumentException(
          "tenant-host must be an IPv4 address or a DNS name: " + tenantHost);
    }
    requireRange("rate-limit.requests-per-second", requestsPerSecond, 1, 100_000);
    requireRange("rate-limit.burst", burst, 0, 100_000);
    requireRange("rate-limit.zone-megabytes", zoneMegabytes, 1, 1024);
    requireSeconds("proxy.connect-timeout", connectTimeout);
    requireSeconds("proxy.read-timeout", readTimeout);
    requireSeconds("proxy.send-timeout", sendTimeout);
  }

  public static RenderOptions from(NginxSettings settings) {
    NginxSettings.Tls tls = settings.tls();
    if (tls.certificate().isPresent() != tls.key().isPresent()) {
      throw new IllegalArgumentException("tls.certificate and tls.key must be set together");
    }
    return new RenderOptions(
        settings.listen(),
        settings.baseDomain(),
        settings.tenantHost(),
        settings.rateLimit().requestsPerSecond(),
        settings.rateLimit().burst(),
        settings.rateLimit().zoneMegabytes(),
        settings.proxy().connectTimeout(),
        settings.proxy().readTimeout(),
        settings.proxy().sendTimeout(),
        tls.certificate()
            .map(cert -> new Tls(cert, tls.key().orElseThrow(), tls.listen(), tls.redirectHttp())));
  }

  private static void requireListen(String name, String value) {
    var matcher = value == null ? null : LISTEN.matcher(value);
    if (matcher == null || !matcher.matches()) {
      throw new IllegalArgumentException(name + " must be <ipv4>:<port> or <port>: " + value);
    }
    requireRange(name + " port", Integer.parseInt(matcher.group(3)), 1, 65535);
    if (matcher.group(1) != null) {
      for (String octet : matcher.group(1).replace(":", "").split("\\.")) {
        requireRange(name + " address", Integer.parseInt(octet), 0, 255);
      }
    }
  }

  private static void requireFile(String name, String value) {
    if (value == null || !FILE.matcher(value).matches() || value.contains("..")) {
      throw new IllegalArgumentException(
          name + " must be an absolute path of letters, digits, '.', '_', '-', '/': " + value);
    }
  }

  private static void requireRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
    }
  }

  private static void requireSeconds(String name, Duration value) {
    if (value == null || value.toSeconds() < 1 || value.toSeconds() > 3600) {
      throw new IllegalArgumentException(name + " must be 1s..1h: " + value);
    }
  }

  /**
   * Whether {@link #tenantHost()} is an IPv4 address, which nginx reaches with no name to resolve;
   * a DNS name needs an {@code upstream} block per app port (nginx resolves those when it loads).
   */
  public boolean tenantHostIsAddress() {
    return IPV4.matcher(tenantHost).matches();
  }

  /** The port part of {@link #listen()}, where probes reach nginx. */
  public int listenPort() {
    return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
  }

  /** The address part of {@link #listen()}; a bare port listens on every address. */
  public String listenHost() {
    int colon = listen.lastIndexOf(':');
    return colon < 0 ? "127.0.0.1" : listen.substring(0, colon);
  }
}
