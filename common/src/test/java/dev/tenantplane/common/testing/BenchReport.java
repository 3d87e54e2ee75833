package dev.tenantplane.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * How a benchmark (a {@code *Bench} class that a script under {@code bench/} runs) hands over its
 * figures: one line of {@code key=value} pairs, printed after the bench's name and appended to the
 * file the system property {@code tenantplane.bench.out} names, for the script to tabulate.
 */
public final class BenchReport {
  private BenchReport() {}

  public static void write(String bench, Map<String, ?> figures) {
    StringBuilder line = new StringBuilder();
    figures.forEach(
        (key, value) ->
            line.append(line.length() == 0 ? "" : " ").append(key).append('=').append(value));
    System.out.println(bench + " " + line);
    String out = System.getProperty("tenantplane.bench.out");
    if (out == null) {
      return;
    }
    try {
      Files.writeString(
          Path.of(out),
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** VmRSS of /proc/self/status (KiB): the resident memory of this JVM, -1 where unknown. */
  public static long vmRssKib() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("VmRSS:"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
          .findFirst()
          .orElse(-1L);
    } catch (IOException e) {
      return -1;
    }
  }
}
