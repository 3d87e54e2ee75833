package dev.tenantplane.nginx.apply;

/** nginx could not be reached or driven (container missing, engine error, timeout). */
public class NginxUnavailableException extends NginxException {
  public NginxUnavailableException(String message) {
    super(message);
  }
}
