package dev.tenantplane.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;

/**
 * The Docker engine client of a service. The API version stays unset, so requests go unversioned
 * and any engine answers in its own version (pinning a newer one fails on older engines). TLS comes
 * from the usual {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}.
 */
public class DockerClientProducer {

  @Produces
  @ApplicationScoped
  DockerClient docker(DockerSettings settings) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(settings.host())
            .build();
    ZerodepDockerHttpClient http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(settings.maxConnections())
            .connectionTimeout(settings.connectTimeout())
            .responseTimeout(settings.responseTimeout())
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  void close(@Disposes DockerClient docker) throws IOException {
    docker.close();
  }
}
