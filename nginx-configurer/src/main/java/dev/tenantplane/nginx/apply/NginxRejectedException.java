package dev.tenantplane.nginx.apply;

/** {@code nginx -t} refused a candidate configuration; the message is nginx's own. */
public class NginxRejectedException extends NginxException {
  public NginxRejectedException(String nginxMessage) {
    super(nginxMessage);
  }
}
