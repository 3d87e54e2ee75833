package dev.tenantplane.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.gateway.TestCustomers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** The refused requests {@link BadCustomerRequestIT} sends, one row per defect. */
final class BadRequestTable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json";
  private static final String CUSTOMERS = "/api/v1/customers";

  /** Replaced, when the case runs, by a port another customer holds. */
  static final String HELD_PORT = "\"<held port>\"";

  private BadRequestTable() {}

  /**
   * One refused request: {@code contentType} null sends none, {@code body} null sends no body.
   * {@code id} is the customer id it names, if any, looked for afterwards; {@code fields} are what
   * its problem must name.
   */
  record BadRequest(
      String description,
      String method,
      String path,
      String contentType,
      byte[] body,
      Map<String, String> headers,
      String id,
      int status,
      List<String> fields) {
    @Override
    public String toString() {
      return description;
    }
  }

  static List<BadRequest> cases() {
    List<BadRequest> cases = new ArrayList<>();
    // id: common's rule, reserved names, look-alikes and strings meant for other interpreters
    badId(cases, "id in upper case", "GW-UPPER-CASE");
    badId(cases, "id in mixed case", "gw-Mixed-Case");
    badId(cases, "id starting with a digit", "1gw-digit");
    badId(cases, "id starting with a hyphen", "-gw-hyphen");
    badId(cases, "id ending with a hyphen", "gw-hyphen-");
    badId(cases, "id with a double hyphen", "gw--double");
    badId(cases, "id longer than 50 characters", "gw-" + "a".repeat(48));
    badId(cases, "id shorter than 3 characters", "gw");
    badId(cases, "id empty", "");
    badId(cases, "id with an underscore", "gw_underscore");
    badId(cases, "id with a dot", "gw.dot");
    badId(cases, "id with a space", "gw space");
    badId(cases, "id with a Cyrillic a", "gw-\u0430cme");
    badId(cases, "id in full-width letters", "\uff47\uff57-acme");
    badId(cases, "id with a zero-width space", "gw-acme\u200b");
    badId(cases, "id with a Unicode hyphen", "gw\u2010acme");
    badId(cases, "id with a dotless i", "gw-\u0131d");
    badId(cases, "id reserved: admin", "admin");
    badId(cases, "id reserved: fleet", "fleet");
    badId(cases, "id reserved: www", "www");
    badId(cases, "id with path traversal", "../../etc/passwd");
    badId(cases, "id with encoded path traversal", "gw-%2e%2e%2fetc");
    badId(cases, "id with SQL", "gw'; DROP TABLE customer; --");
    badId(cases, "id with a shell substitution", "gw-$(reboot)");
    badId(cases, "id with shell backticks", "gw-`id`");
    badId(cases, "id with nginx configuration", "gw-x;}server{listen 80;");
    badId(cases, "id with a line break", "gw-x\nHost: evil");
    withField(cases, "id as a number", "id", 42, null);
    withField(cases, "id as an object", "id", Map.of("value", "gw-object"), null);
    without(cases, "id missing", "id", null);
    // name: 1 to 200 characters, no control characters
    badName(cases, "name empty", "");
    badName(cases, "name blank", "   ");
    badName(cases, "name of 201 characters", "n".repeat(201));
    badName(cases, "name with a bell character", "Bad\u0007Name");
    badName(cases, "name with a NUL character", "Bad\u0000Name");
    badName(cases, "name with a line break", "Acme\nX-Injected: yes");
    badName(cases, "name with a right-to-left override", "\u202eAcme");
    badName(cases, "name with white space around it", " Acme ");
    badName(cases, "name with nginx configuration on new lines", "x;\n}\nserver {\n");
    withField(cases, "name as a list", "name", List.of("Acme"), TestCustomers.id("bad"));
    without(cases, "name missing", "name", TestCustomers.id("bad"));
    // plan
    withField(cases, "plan unknown", "plan", "huge", TestCustomers.id("bad"));
    withField(cases, "plan in upper case", "plan", "SMALL", TestCustomers.id("bad"));
    withField(cases, "plan empty", "plan", "", TestCustomers.id("bad"));
    withField(cases, "plan as a number", "plan", 1, TestCustomers.id("bad"));
    // port: 3001 to 3999, an integer, free
    badPort(cases, "port below the range", 3000);
    badPort(cases, "port above the range", 4000);
    badPort(cases, "port zero", 0);
    badPort(cases, "port negative", -1);
    badPort(cases, "port beyond TCP", 65536);
    badPort(cases, "port as a string", "3005");
    badPort(cases, "port with a fraction", 3005.5);
    badPort(cases, "port as a boolean", true);
    badPort(cases, "port beyond an int", 99_999_999_999L);
    String heldId = TestCustomers.id("bad");
    String held = "{\"id\":\"" + heldId + "\",\"name\":\"Held\",\"port\":" + HELD_PORT + "}";
    cases.add(post("port held by another customer", JSON_TYPE, utf8(held), heldId, 400, "port"));
    // fields the API does not know
    withField(cases, "unknown field", "owner", "me", TestCustomers.id("bad"));
    withField(cases, "field name in another case", "Id", "gw-other", TestCustomers.id("bad"));
    withField(cases, "prototype field", "__proto__", Map.of(), TestCustomers.id("bad"));
    // bodies that are not one JSON object, or more than one
    String validId = TestCustomers.id("bad");
    String valid = "{\"id\":\"" + validId + "\",\"name\":\"Acme\"}";
    body(cases, "malformed JSON", "{\"id\":\"" + validId + "\",\"name\":", validId);
    body(cases, "JSON array", "[" + valid + "]", validId);
    body(cases, "JSON null", "null", null);
    body(cases, "JSON string", "\"" + validId + "\"", validId);
    body(cases, "empty body", "", null);
    body(cases, "blank body", "   ", null);
    body(cases, "a second JSON value after the object", valid + " {}", validId);
    body(cases, "a second object right after the object", valid + valid, validId);
    body(cases, "a word after the object", valid + " x", validId);
    body(cases, "a closing bracket after the object", valid + "]", validId);
    body(cases, "a comment after the object", valid + " // c", validId);
    body(cases, "a comment before the object", "/* c */" + valid, validId);
    body(cases, "id given twice", valid.replace("}", ",\"id\":\"gw-other-id\"}"), validId);
    body(
        cases,
        "id given twice with the same value",
        valid.replace("{", "{\"id\":\"" + validId + "\","),
        validId);
    // sizes: over max-body-bytes once read, and over the HTTP layer's limit before it is read
    String large = "{\"id\":\"" + validId + "\",\"name\":\"" + "n".repeat(17_000) + "\"}";
    cases.add(post("body over 16 KiB", JSON_TYPE, utf8(large), validId, 413, "body"));
    byte[] huge = utf8(valid + " ".repeat(70_000));
    cases.add(post("body over the HTTP layer's 64 KiB", JSON_TYPE, huge, validId, 413, "body"));
    // encodings: a body is UTF-8 (RFC 8259), strictly decoded, without a byte order mark
    for (String bytes :
        List.of("e9", "c3", "ff fe", "c0 af", "c0 80", "e0 80 af", "ed a0 80", "f4 90 80 80")) {
      byte[] name = withRawBytes("{\"id\":\"" + validId + "\",\"name\":\"Acme ", bytes, " Corp\"}");
      cases.add(post("name bytes " + bytes, JSON_TYPE, name, validId, 400, "body"));
    }
    byte[] bom = concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, utf8(valid));
    cases.add(post("UTF-8 body with a byte order mark", JSON_TYPE, bom, validId, 400, "body"));
    for (String charset : List.of("UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE")) {
      byte[] encoded = valid.getBytes(Charset.forName(charset));
      cases.add(post(charset + " body", JSON_TYPE, encoded, validId, 400, "body"));
    }
    // what the request says about itself
    for (String type :
        List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
      cases.add(post("content type " + type, type, utf8(valid), validId, 415, "Content-Type"));
    }
    cases.add(post("no content type", null, utf8(valid), validId, 415, "Content-Type"));
    cases.add(post("no content type nor body", null, null, null, 415, "Content-Type"));
    for (String type :
        List.of(
            JSON_TYPE + "; charset=utf-16",
            JSON_TYPE + "; charset=iso-8859-1",
            JSON_TYPE + "; charset=\"utf-32\"",
            JSON_TYPE + "; charset=")) {
      cases.add(post("content type " + type, type, utf8(valid), validId, 415, "Content-Type"));
    }
    byte[] utf16 = valid.getBytes(StandardCharsets.UTF_16);
    cases.add(
        post(
            "UTF-16 body as charset=utf-16",
            JSON_TYPE + "; charset=utf-16",
            utf16,
            validId,
            415,
            "Content-Type"));
    idempotencyKey(cases, "Idempotency-Key of 201 characters", "k".repeat(201), valid, validId);
    idempotencyKey(cases, "Idempotency-Key with a space", "two words", valid, validId);
    idempotencyKey(cases, "Idempotency-Key empty", "", valid, validId);
    String allWrong = "{\"id\":\"Bad\",\"name\":\"\",\"plan\":\"huge\",\"port\":1,\"extra\":true}";
    cases.add(
        new BadRequest(
            "every field wrong at once",
            "POST",
            CUSTOMERS,
            JSON_TYPE,
            utf8(allWrong),
            Map.of(),
            "Bad",
            400,
            List.of("id", "name", "plan", "port", "extra")));
    pathCases(cases);
    return cases;
  }

  /** Ids, token names and query parameters in the URL: refused before any lookup. */
  private static void pathCases(List<BadRequest> cases) {
    String nobody = "gx-nobody-" + UUID.randomUUID().toString().substring(0, 8);
    for (String id : List.of("%00", nobody + "%00", "GX-UPPER", "fleet", "a%0Ab")) {
      url(cases, "GET", CUSTOMERS + "/" + id, null, 400, "id");
      url(cases, "GET", CUSTOMERS + "/" + id + "/events", null, 400, "id");
      url(cases, "DELETE", CUSTOMERS + "/" + id, null, 400, "id");
      for (String action : List.of("retry", "suspend", "resume")) {
        url(cases, "POST", CUSTOMERS + "/" + id + "/" + action, null, 400, "id");
      }
    }
    for (String purge : List.of("", "yes", "TRUE", "true%00", "true&purge=false")) {
      url(cases, "DELETE", CUSTOMERS + "/" + nobody + "?purge=" + purge, nobody, 400, "purge");
    }
    for (String query : List.of("status=", "status=ready", "page=", "size=", "page=1&page=2")) {
      url(cases, "GET", CUSTOMERS + "?" + query, null, 400, query.substring(0, query.indexOf('=')));
    }
    for (String search : List.of("", "a".repeat(101), "a%01b", "a&q=b")) {
      url(cases, "GET", CUSTOMERS + "?q=" + search, null, 400, "q");
    }
    for (String resumeAt : List.of("", "abc", "-1", "1.5", "99999999999999999999")) {
      cases.add(
          new BadRequest(
              "fleet stream resumed after '" + resumeAt + "'",
              "GET",
              "/api/v1/events",
              null,
              null,
              Map.of(FleetEventStream.LAST_EVENT_ID, resumeAt),
              null,
              400,
              List.of(FleetEventStream.LAST_EVENT_ID)));
    }
    for (String name : List.of("abc%00", "%00", "Upper", "a%20b")) {
      url(cases, "DELETE", "/api/v1/tokens/" + name, null, 404, "name");
    }
  }

  private static void url(
      List<BadRequest> cases, String method, String path, String id, int status, String field) {
    cases.add(
        new BadRequest(
            method + " " + path, method, path, null, null, Map.of(), id, status, List.of(field)));
  }

  private static void idempotencyKey(
      List<BadRequest> cases, String description, String key, String body, String id) {
    cases.add(
        new BadRequest(
            description,
            "POST",
            CUSTOMERS,
            JSON_TYPE,
            utf8(body),
            Map.of(CustomerResource.IDEMPOTENCY_KEY, key),
            id,
            400,
            List.of(CustomerResource.IDEMPOTENCY_KEY)));
  }

  private static void badId(List<BadRequest> cases, String description, String id) {
    withField(cases, description, "id", id, id);
  }

  private static void badName(List<BadRequest> cases, String description, String name) {
    withField(cases, description, "name", name, TestCustomers.id("bad"));
  }

  private static void badPort(List<BadRequest> cases, String description, Object port) {
    withField(cases, description, "port", port, TestCustomers.id("bad"));
  }

  /** A valid request for {@code id} but for {@code field}, set to {@code value}. */
  private static void withField(
      List<BadRequest> cases, String description, String field, Object value, String id) {
    cases.add(json(description, id, body -> body.put(field, value), field));
  }

  private static void without(List<BadRequest> cases, String description, String field, String id) {
    cases.add(json(description, id, body -> body.remove(field), field));
  }

  private static BadRequest json(
      String description, String id, Consumer<Map<String, Object>> change, String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("name", "Bad Request Ltd");
    body.put("plan", "small");
    change.accept(body);
    try {
      return post(description, JSON_TYPE, JSON.writeValueAsBytes(body), id, 400, field);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A body that cannot be read as one JSON object: 400 naming {@code body}. */
  private static void body(List<BadRequest> cases, String description, String body, String id) {
    cases.add(post(description, JSON_TYPE, utf8(body), id, 400, "body"));
  }

  private static BadRequest post(
      String description, String type, byte[] body, String id, int status, String field) {
    return new BadRequest(
        description, "POST", CUSTOMERS, type, body, Map.of(), id, status, List.of(field));
  }

  /** {@code before}, the bytes written in hex as {@code "c0 af"}, then {@code after}. */
  private static byte[] withRawBytes(String before, String hexBytes, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8(before));
    for (String hex : hexBytes.split(" ")) {
      out.write(Integer.parseInt(hex, 16));
    }
    out.writeBytes(utf8(after));
    return out.toByteArray();
  }

  private static byte[] concat(byte[] first, byte[] second) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(first);
    out.writeBytes(second);
    return out.toByteArray();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
