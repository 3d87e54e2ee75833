package dev.tenantplane.provisioner.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class HostPortsTest {

  @Test
  void aPortSomethingListensOnIsInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(HostPorts.inUse(taken.getLocalPort())).isTrue();
    }
  }

  @Test
  void aReleasedPortIsFree() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    assertThat(HostPorts.inUse(port)).isFalse();
  }
}
