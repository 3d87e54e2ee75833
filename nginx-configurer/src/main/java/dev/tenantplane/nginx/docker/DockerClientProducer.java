package dev.tenantplane.nginx.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.time.Duration;

/**
 * The Docker engine client. The API version stays unset so that requests go unversioned and any
 * engine answers in its own version; {@code DOCKER_HOST} picks the engine (default: the local
 * socket).
 */
public class DockerClientProducer {

  @Produces
  @ApplicationScoped
  DockerClient docker() {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    ZerodepDockerHttpClient http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(10))
            .responseTimeout(Duration.ofSeconds(60))
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  void close(@Disposes DockerClient docker) throws IOException {
    docker.close();
  }
}
