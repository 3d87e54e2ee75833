package dev.tenantplane.common.testing;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;

/** Rules every container started by a test follows. */
public final class TestContainers {
  /** Label of every test container; {@code deploy/test.sh} removes leftovers by it. */
  public static final String LABEL = "tenantplane.test";

  private TestContainers() {}

  /**
   * Labels the container and publishes its ports on 127.0.0.1 only (Testcontainers would bind every
   * interface). A fixed host port is used where the service must advertise its own address, as
   * Kafka does; 0 takes a free one.
   */
  public static <T extends GenericContainer<?>> T onLoopback(
      T container, Map<Integer, Integer> ports) {
    container.withLabel(LABEL, "true");
    container.withExposedPorts(ports.keySet().toArray(Integer[]::new));
    container.withCreateContainerCmdModifier(
        (CreateContainerCmd cmd) -> {
          Ports bindings = new Ports();
          ports.forEach(
              (inside, host) ->
                  bindings.bind(
                      ExposedPort.tcp(inside),
                      host == 0
                          ? Ports.Binding.bindIp("127.0.0.1")
                          : Ports.Binding.bindIpAndPort("127.0.0.1", host)));
          cmd.getHostConfig().withPortBindings(bindings);
        });
    return container;
  }

  /** A port nothing listens on right now on 127.0.0.1. */
  public static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
