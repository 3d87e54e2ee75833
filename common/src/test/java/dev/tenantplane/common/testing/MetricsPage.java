package dev.tenantplane.common.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A service's {@code /q/metrics} page in the Prometheus text format, read as a scraper reads it:
 * each sample is a name, labels and a value.
 */
public final class MetricsPage {
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+-?\\d+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private record Sample(String name, Map<String, String> labels, double value) {
    boolean matches(String wanted, Map<String, String> subset) {
      return name.equals(wanted) && labels.entrySet().containsAll(subset.entrySet());
    }
  }

  private final List<Sample> samples = new ArrayList<>();

  public MetricsPage(String text) {
    for (String line : text.split("\n")) {
      // A sample may end with an exemplar ("# {trace_id=...} 1.0"): the trace of one observation.
      int exemplar = line.indexOf(" # ");
      Matcher sample = SAMPLE.matcher((exemplar < 0 ? line : line.substring(0, exemplar)).strip());
      if (line.startsWith("#") || !sample.matches()) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
      while (label.find()) {
        labels.put(label.group(1), label.group(2));
      }
      samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
    }
  }

  /**
   * The sum of the samples named {@code name} whose labels include {@code labels} (others may
   * differ); 0 when there is none, as for a counter that never moved.
   */
  public double value(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.matches(name, labels)).mapToDouble(Sample::value).sum();
  }

  /** The platform's own samples ({@code tenantplane_*}), one per line: what a failure shows. */
  @Override
  public String toString() {
    return samples.stream()
        .filter(s -> s.name().startsWith("tenantplane_") && !s.name().endsWith("_bucket"))
        .map(s -> s.name() + s.labels() + " " + s.value())
        .collect(Collectors.joining("\n", "metrics page:\n", ""));
  }

  /** Whether a sample named {@code name} with {@code labels} is on the page. */
  public boolean has(String name, Map<String, String> labels) {
    return samples.stream().anyMatch(s -> s.matches(name, labels));
  }
}
