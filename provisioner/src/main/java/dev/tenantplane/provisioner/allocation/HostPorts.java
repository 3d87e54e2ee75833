package dev.tenantplane.provisioner.allocation;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether a port is already taken on the host's loopback address, where tenant ports go. */
public final class HostPorts {
  private HostPorts() {}

  /**
   * True when binding {@code 127.0.0.1:port} fails, i.e. something listens on it. The probe binds
   * as the engine's port proxy will (with {@code SO_REUSEADDR}), so connections still in TIME_WAIT
   * after a customer's stack went away do not keep its ports out of the pool.
   */
  public static boolean inUse(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
