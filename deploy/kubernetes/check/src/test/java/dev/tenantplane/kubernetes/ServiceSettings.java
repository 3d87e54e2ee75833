package dev.tenantplane.kubernetes;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service reads from its environment and which consumer groups it runs, taken from its
 * sources: its application.properties, the kit's microprofile-config.properties, and the
 * {@code @ConfigMapping} interfaces of the service and of the modules it builds on.
 */
final class ServiceSettings {
  /** A consumer group and one topic it reads. */
  record Consumer(String group, String topic) {}

  /**
   * Read by docker-java itself (DefaultDockerClientConfig), not through the service's config: the
   * docker-client module's README names them as how TLS is configured.
   */
  static final Set<String> DOCKER_JAVA_ENV = Set.of("DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH");

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^:}$]+)");
  private static final Pattern INCOMING =
      Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.group\\.id");
  private static final Pattern MAPPING =
      Pattern.compile("@ConfigMapping\\(prefix = \"([^\"]+)\"\\)");
  // Members of the mapping interface itself (two spaces in), not of interfaces nested in it.
  private static final Pattern MEMBER =
      Pattern.compile("(?m)^  [\\w<>?.][\\w<>, ?.]* (\\w+)\\(\\);");

  private ServiceSettings() {}

  static Properties properties(String service) {
    return load(Repo.read(service + "/src/main/resources/application.properties"));
  }

  static Set<Consumer> consumers(String service) {
    return consumers(properties(service));
  }

  static Set<Consumer> consumers(Properties p) {
    Set<Consumer> consumers = new TreeSet<>(Comparator.comparing(Consumer::toString));
    for (String key : p.stringPropertyNames()) {
      Matcher m = INCOMING.matcher(key);
      if (!m.matches()) {
        continue;
      }
      String channel = "mp.messaging.incoming." + m.group(1);
      String topics = p.getProperty(channel + ".topics", p.getProperty(channel + ".topic"));
      if (topics == null) {
        throw new IllegalStateException(channel + " has a group.id but no topic or topics");
      }
      for (String topic : topics.split(",")) {
        consumers.add(new Consumer(p.getProperty(key), topic.trim()));
      }
    }
    return consumers;
  }

  /** Every environment variable name the service reads a setting from. */
  static Set<String> environment(String service) {
    Set<String> names = new TreeSet<>();
    names.addAll(environment(properties(service)));
    names.addAll(
        environment(
            load(
                Repo.read(
                    "service-kit/src/main/resources/META-INF/microprofile-config.properties"))));
    boolean docker =
        Repo.read(service + "/pom.xml").contains("<artifactId>docker-client</artifactId>");
    for (String module :
        docker ? Set.of(service, "service-kit", "docker-client") : Set.of(service, "service-kit")) {
      for (String source : javaSources(Repo.root().resolve(module + "/src/main/java"))) {
        names.addAll(mappedEnvironment(source));
      }
    }
    if (docker) {
      names.addAll(DOCKER_JAVA_ENV);
    }
    return names;
  }

  /** Keys (any profile) and ${...} references of a properties file, as environment names. */
  static Set<String> environment(Properties p) {
    Set<String> names = new TreeSet<>();
    for (String key : p.stringPropertyNames()) {
      names.add(envName(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key));
      Matcher m = REFERENCE.matcher(p.getProperty(key));
      while (m.find()) {
        names.add(envName(m.group(1)));
      }
    }
    return names;
  }

  /** The properties of a {@code @ConfigMapping} interface and the ${...} its defaults name. */
  static Set<String> mappedEnvironment(String source) {
    Set<String> names = new TreeSet<>();
    Matcher prefix = MAPPING.matcher(source);
    if (!prefix.find()) {
      return names;
    }
    Matcher member = MEMBER.matcher(source);
    while (member.find()) {
      names.add(envName(prefix.group(1) + "." + kebab(member.group(1))));
    }
    Matcher ref = REFERENCE.matcher(source);
    while (ref.find()) {
      names.add(envName(ref.group(1)));
    }
    return names;
  }

  /** SmallRye Config's mapping of a property name to an environment variable. */
  static String envName(String property) {
    return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  private static String kebab(String method) {
    return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  private static Properties load(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  private static Set<String> javaSources(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      Set<String> sources = new TreeSet<>();
      for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String text = Files.readString(f);
        if (text.contains("@ConfigMapping")) {
          sources.add(text);
        }
      }
      return sources;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
