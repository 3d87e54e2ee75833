package dev.tenantplane.gateway.api;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client for tests: reads the stream on its own thread and keeps every event
 * it received, until closed.
 */
final class SseReader implements AutoCloseable {
  /** One received event: its id, name and JSON data. */
  record Event(String id, String name, JsonPath data) {
    @Override
    public String toString() {
      return id + " " + name + " " + data.prettify();
    }
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final Stream<String> lines;
  private final Thread reader;

  private SseReader(Stream<String> lines) {
    this.lines = lines;
    this.reader = new Thread(this::read, "sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens the stream at {@code uri} with {@code token}, asserting that it answers 200. */
  static SseReader open(URI uri, String token, Map<String, String> headers) {
    return open(HTTP, uri, token, headers);
  }

  /**
   * Opens the stream through {@code http} (e.g. an HTTP/1.1 client, so that each stream has a
   * connection of its own, as separate clients would), asserting that it answers 200.
   */
  static SseReader open(HttpClient http, URI uri, String token, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream");
    headers.forEach(request::header);
    try {
      HttpResponse<Stream<String>> response = http.send(request.build(), BodyHandlers.ofLines());
      if (response.statusCode() != 200) {
        throw new AssertionError(
            "stream "
                + uri
                + " answered "
                + response.statusCode()
                + ": "
                + response.body().toList());
      }
      return new SseReader(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every event received so far, in order. */
  List<Event> events() {
    return List.copyOf(events);
  }

  private void read() {
    List<String> block = new ArrayList<>();
    try {
      lines.forEach(
          line -> {
            if (!line.isEmpty()) {
              block.add(line);
              return;
            }
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String field : block) {
              String value = field.substring(field.indexOf(':') + 1).stripLeading();
              if (field.startsWith("id:")) {
                id = value;
              } else if (field.startsWith("event:")) {
                name = value;
              } else if (field.startsWith("data:")) {
                data.append(value);
              }
            }
            block.clear();
            if (data.length() > 0) {
              events.add(new Event(id, name, JsonPath.from(data.toString())));
            }
          });
    } catch (UncheckedIOException e) {
      // the stream was closed
    }
  }

  @Override
  public void close() {
    lines.close();
    reader.interrupt();
  }
}
