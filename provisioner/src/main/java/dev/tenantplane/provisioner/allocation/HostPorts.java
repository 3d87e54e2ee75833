package dev.tenantplane.provisioner.allocation;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether a port is already taken on the host's loopback address, where tenant ports go. */
public final class HostPorts {
  private HostPorts() {}

  /** True when binding {@code 127.0.0.1:port} fails, i.e. something else holds it. */
  public static boolean inUse(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
