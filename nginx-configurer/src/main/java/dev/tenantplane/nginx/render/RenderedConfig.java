package dev.tenantplane.nginx.render;

/**
 * The whole route configuration: {@code httpConf} goes to the http level, {@code locations} into
 * the default server. {@code version} (a hash of both) is what nginx answers at {@link
 * NginxConfigRenderer#VERSION_PATH} once it serves them.
 */
public record RenderedConfig(String version, String httpConf, String locations) {}
