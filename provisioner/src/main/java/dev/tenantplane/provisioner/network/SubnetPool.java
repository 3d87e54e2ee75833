package dev.tenantplane.provisioner.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The platform's address range for customer networks, cut into equal subnets of {@code prefix}
 * bits, counted from the lowest.
 */
public record SubnetPool(Subnet range, int prefix) {
  /**
   * The smallest subnet that holds a customer's four containers besides the network, gateway and
   * broadcast addresses (a /29 has eight).
   */
  public static final int LONGEST_PREFIX = 29;

  public SubnetPool {
    if (prefix < range.prefix()) {
      throw new IllegalArgumentException(
          "a /" + prefix + " subnet does not fit in the pool " + range);
    }
    if (prefix > LONGEST_PREFIX) {
      throw new IllegalArgumentException(
          "a /"
              + prefix
              + " subnet is too small for a customer's four containers and the gateway (at most /"
              + LONGEST_PREFIX
              + ")");
    }
  }

  /** The pool {@code cidr} cut into /{@code prefix} subnets; the message says what is wrong. */
  public static SubnetPool of(String cidr, int prefix) {
    return new SubnetPool(Subnet.parse(cidr), prefix);
  }

  /** How many subnets the pool holds. */
  public long count() {
    return 1L << (prefix - range.prefix());
  }

  /** The pool's {@code index}-th subnet, from 0. */
  public Subnet get(long index) {
    if (index < 0 || index >= count()) {
      throw new IndexOutOfBoundsException(index + " not in 0.." + (count() - 1));
    }
    return new Subnet(range.address() + (index << (32 - prefix)), prefix);
  }

  /**
   * Up to {@code max} of the pool's lowest subnets that overlap none of {@code taken}, lowest
   * first. {@code taken} may hold networks of any size, inside the pool or not.
   */
  public List<Subnet> lowestFree(Collection<Subnet> taken, int max) {
    int shift = 32 - prefix;
    // Each taken network blocks a run of the pool's subnet indices; walking the runs in order
    // finds the gaps without materialising the whole pool.
    List<long[]> blocked =
        taken.stream()
            .filter(range::overlaps)
            .map(
                t ->
                    new long[] {
                      (Math.max(t.address(), range.address()) - range.address()) >> shift,
                      (Math.min(t.last(), range.last()) - range.address()) >> shift
                    })
            .sorted(Comparator.comparingLong(run -> run[0]))
            .toList();
    List<Subnet> free = new ArrayList<>();
    long next = 0;
    for (long[] run : blocked) {
      while (next < run[0] && free.size() < max) {
        free.add(get(next++));
      }
      next = Math.max(next, run[1] + 1);
    }
    while (next < count() && free.size() < max) {
      free.add(get(next++));
    }
    return free;
  }

  @Override
  public String toString() {
    return range + " in /" + prefix + " subnets";
  }
}
