package dev.tenantplane.provisioner.network;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 network in CIDR form, such as {@code 10.213.0.16/28}. Only network addresses are valid
 * (no bits set right of the mask), so one network has exactly one spelling, which is what the
 * table's unique constraint compares.
 *
 * @param address the network address as an unsigned 32-bit value held in a long
 */
public record Subnet(long address, int prefix) implements Comparable<Subnet> {
  private static final Pattern CIDR =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

  public Subnet {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("prefix length /" + prefix + " is not between 0 and 32");
    }
    if (address < 0 || address > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("address " + address + " is not an IPv4 address");
    }
    if ((address & ~mask(prefix)) != 0) {
      throw new IllegalArgumentException(
          dotted(address)
              + "/"
              + prefix
              + " is not a network address (did you mean "
              + dotted(address & mask(prefix))
              + "/"
              + prefix
              + "?)");
    }
  }

  /** Parses {@code a.b.c.d/n}; the message of the exception says what is wrong. */
  public static Subnet parse(String cidr) {
    Matcher m = cidr == null ? null : CIDR.matcher(cidr.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "'" + cidr + "' is not an IPv4 network in CIDR form, such as 10.213.0.0/16");
    }
    long address = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        throw new IllegalArgumentException("'" + cidr + "': " + octet + " is not an octet");
      }
      address = (address << 8) | octet;
    }
    return new Subnet(address, Integer.parseInt(m.group(5)));
  }

  /** The subnet if {@code cidr} is an IPv4 network, else null (IPv6, or no subnet at all). */
  public static Subnet parseOrNull(String cidr) {
    try {
      return parse(cidr);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** How many addresses it spans. */
  public long size() {
    return 1L << (32 - prefix);
  }

  public long last() {
    return address + size() - 1;
  }

  public boolean overlaps(Subnet other) {
    return address <= other.last() && other.address <= last();
  }

  public boolean contains(Subnet other) {
    return address <= other.address && other.last() <= last();
  }

  /** The first host address, which the engine's bridge takes as the network's gateway. */
  public String gateway() {
    return dotted(address + 1);
  }

  @Override
  public int compareTo(Subnet other) {
    int byAddress = Long.compare(address, other.address);
    return byAddress != 0 ? byAddress : Integer.compare(prefix, other.prefix);
  }

  @Override
  public String toString() {
    return dotted(address) + "/" + prefix;
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
  }

  private static String dotted(long address) {
    return ((address >> 24) & 0xFF)
        + "."
        + ((address >> 16) & 0xFF)
        + "."
        + ((address >> 8) & 0xFF)
        + "."
        + (address & 0xFF);
  }
}
