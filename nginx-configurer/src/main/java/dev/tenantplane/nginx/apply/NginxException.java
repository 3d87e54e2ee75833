package dev.tenantplane.nginx.apply;

/** nginx did not take a configuration; the subclasses say whether it refused or was unreachable. */
public abstract class NginxException extends Exception {
  protected NginxException(String message) {
    super(message);
  }
}
