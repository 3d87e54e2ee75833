package dev.tenantplane.provisioner.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class HostPortsTest {

  @Test
  void aPortSomethingListensOnIsInUse() throws IOException {
    try (ServerSocket listener = listenOnLoopback()) {
      assertThat(HostPorts.inUse(listener.getLocalPort())).isTrue();
    }
  }

  @Test
  void aPortWhoseListenerClosedIsFreeEvenWithConnectionsInTimeWait() throws IOException {
    int port;
    try (ServerSocket listener = listenOnLoopback();
        Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
      port = listener.getLocalPort();
      // The server side closes first, so its end (local port = the listener's) stays in
      // TIME_WAIT, as after a deprovisioned app answered its last health probe.
      listener.accept().close();
      assertThat(client.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(HostPorts.inUse(port)).isFalse();
  }

  @Test
  void aPortAnotherProbeHoldsAtTheSameMomentIsStillFree() throws IOException {
    int port;
    try (ServerSocket listener = listenOnLoopback()) {
      port = listener.getLocalPort();
    }
    try (Socket otherProbe = new Socket()) {
      otherProbe.setReuseAddress(true);
      otherProbe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      assertThat(HostPorts.inUse(port)).isFalse();
    }
  }

  private static ServerSocket listenOnLoopback() throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return socket;
  }
}
