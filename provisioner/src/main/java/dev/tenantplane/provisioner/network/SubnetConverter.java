package dev.tenantplane.provisioner.network;

import org.eclipse.microprofile.config.spi.Converter;

/** Reads a setting such as {@code 10.213.0.0/16}; a malformed value fails the start. */
public class SubnetConverter implements Converter<Subnet> {
  @Override
  public Subnet convert(String value) {
    return Subnet.parse(value);
  }
}
