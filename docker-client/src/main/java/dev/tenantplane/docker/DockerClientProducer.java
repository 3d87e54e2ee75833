package dev.tenantplane.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;

/**
 * The Docker engine client of a service. The API version stays unset, so requests go unversioned
 * and any engine answers in its own version (pinning a newer one fails on older engines). TLS comes
 * from the usual {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}.
 *
 * <p>The transport is a bean of its own for the few engine endpoints docker-java has no command for
 * ({@link VolumeUsage}); both beans share its connections.
 */
public class DockerClientProducer {

  @Produces
  @ApplicationScoped
  DefaultDockerClientConfig config(DockerSettings settings) {
    return DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(settings.host())
        .build();
  }

  @Produces
  @ApplicationScoped
  DockerHttpClient transport(DefaultDockerClientConfig config, DockerSettings settings) {
    return new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .maxConnections(settings.maxConnections())
        .connectionTimeout(settings.connectTimeout())
        .responseTimeout(settings.responseTimeout())
        .build();
  }

  @Produces
  @ApplicationScoped
  DockerClient docker(DefaultDockerClientConfig config, DockerHttpClient transport) {
    return DockerClientImpl.getInstance(config, transport);
  }

  // Closing the client would close the shared transport a second time; the transport is closed
  // once.
  void close(@Disposes DockerHttpClient transport) throws IOException {
    transport.close();
  }
}
