package dev.tenantplane.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The space volumes use on the engine, from its disk-usage endpoint ({@code GET /system/df}), which
 * docker-java has no command for. The engine computes it by walking each volume, so this is for
 * occasional reads (a customer being archived), not for a loop.
 */
@ApplicationScoped
public class VolumeUsage {
  /** What the engine reports for a volume whose size it did not compute. */
  public static final long UNKNOWN = -1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DockerHttpClient transport;

  public VolumeUsage(DockerHttpClient transport) {
    this.transport = transport;
  }

  /**
   * Bytes used by each of {@code volumes}, in their order; {@link #UNKNOWN} for one the engine did
   * not size, and no entry for one that does not exist.
   */
  public Map<String, Long> bytes(Collection<String> volumes) {
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.GET)
            // Engines before API 1.42 ignore the type filter and size everything.
            .path("/system/df?type=volume")
            .build();
    JsonNode usage;
    try (DockerHttpClient.Response response = transport.execute(request);
        InputStream body = response.getBody()) {
      if (response.getStatusCode() != 200) {
        throw new IllegalStateException(
            "engine answered " + response.getStatusCode() + " to GET /system/df");
      }
      usage = JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("GET /system/df: " + e.getMessage(), e);
    }
    Map<String, Long> sized = new LinkedHashMap<>();
    for (JsonNode volume : usage.path("Volumes")) {
      sized.put(
          volume.path("Name").asText(), volume.path("UsageData").path("Size").asLong(UNKNOWN));
    }
    Map<String, Long> result = new LinkedHashMap<>();
    for (String name : volumes) {
      Long bytes = sized.get(name);
      if (bytes != null) {
        result.put(name, bytes);
      }
    }
    return result;
  }
}
