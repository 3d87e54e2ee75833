package dev.tenantplane.provisioner.allocation;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Whether a port is already taken on the host's loopback address, where tenant ports go. */
public final class HostPorts {
  private HostPorts() {}

  /**
   * True when binding {@code 127.0.0.1:port} fails, i.e. something listens on it. The probe binds
   * with {@code SO_REUSEADDR} and never listens: connections still in TIME_WAIT after a customer's
   * stack went away do not keep its ports out of the pool, and two allocations probing the same
   * port at the same moment do not see each other's probe as a listener.
   */
  public static boolean inUse(int port) {
    try (Socket socket = new Socket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
