package dev.tenantplane.nginx;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the nginx-configurer ({@code tenantplane.nginx.*}); the README lists them. */
@ConfigMapping(prefix = "tenantplane.nginx")
public interface NginxSettings {

  /** Name of the platform's nginx container, reached through the Docker engine. */
  @WithDefault("tenantplane-nginx")
  String container();

  /** Folder of the route files inside the nginx container. */
  @WithDefault("/etc/nginx/conf.d")
  String confDir();

  /** Address nginx listens on (the container's NGINX_LISTEN); probes go there. */
  @WithDefault("127.0.0.1:8080")
  String listen();

  /** Customers are served at {@code <id>.<base-domain>}. */
  @WithDefault("localhost")
  String baseDomain();

  /** Host of the tenants' published app ports, as nginx reaches them. */
  @WithDefault("127.0.0.1")
  String tenantHost();

  RateLimit rateLimit();

  Proxy proxy();

  Tls tls();

  /** How long a reloaded nginx has to serve the new configuration. */
  @WithDefault("10s")
  Duration confirmTimeout();

  /** Longest wait for one command run in the nginx container. */
  @WithDefault("30s")
  Duration execTimeout();

  /**
   * The least time between two applies of the routes table; changes that arrive meanwhile wait and
   * are applied together. Bounds how often nginx reloads, and so how many generations of old
   * workers can be alive at once (see the image's {@code worker_shutdown_timeout}).
   */
  @WithDefault("1s")
  Duration minReloadInterval();

  /** How often the live configuration is compared with the routes table. */
  @WithDefault("30s")
  Duration resyncInterval();

  interface RateLimit {
    /** Requests per second one client may send to one customer. */
    @WithDefault("20")
    int requestsPerSecond();

    /** Requests above the rate that are still served at once. */
    @WithDefault("40")
    int burst();

    /** Shared memory of the rate-limit zone, in megabytes. */
    @WithDefault("10")
    int zoneMegabytes();
  }

  interface Proxy {
    @WithDefault("5s")
    Duration connectTimeout();

    @WithDefault("60s")
    Duration readTimeout();

    @WithDefault("60s")
    Duration sendTimeout();
  }

  interface Tls {
    /** Certificate (PEM, inside the nginx container) for the base domain and its subdomains. */
    Optional<String> certificate();

    /** Private key (PEM, inside the nginx container) of the certificate. */
    Optional<String> key();

    /** Address of the TLS listener, used when a certificate and key are configured. */
    @WithDefault("127.0.0.1:8443")
    String listen();

    /** With TLS on, routes answer plain HTTP with a redirect to HTTPS instead of the app. */
    @WithDefault("false")
    boolean redirectHttp();
  }
}
