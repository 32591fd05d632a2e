package io.rotnet.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subset of the Confluent Schema Registry REST API that the project's client and the usual
 * tools use, answering in Confluent's JSON shapes and error codes.
 */
final class RegistryHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String COMPATIBILITY_LEVEL = "BACKWARD";

  private final SchemaStore store;
  private final AtomicLong requests = new AtomicLong();

  RegistryHandler(SchemaStore store) {
    this.store = store;
  }

  long requestCount() {
    return requests.get();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      int status = 200;
      JsonNode answer;
      try {
        answer = route(exchange);
      } catch (RegistryError e) {
        status = e.httpStatus();
        answer = error(e.errorCode(), e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("schema registry request {} failed", exchange.getRequestURI(), e);
        status = 500;
        answer = error(50001, "Error in the backend data store: " + e.getMessage());
      }
      byte[] body = JSON.writeValueAsBytes(answer);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private JsonNode route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    List<String> path = segments(exchange.getRequestURI().getRawPath());
    String query = exchange.getRequestURI().getRawQuery();
    boolean verbose = query != null && Arrays.asList(query.split("&")).contains("verbose=true");
    int n = path.size();

    if (n == 0 && method.equals("GET")) {
      return JSON.createObjectNode();
    }
    if (path.get(0).equals("subjects")) {
      if (n == 1 && method.equals("GET")) {
        return strings(store.subjects());
      }
      String subject = path.get(1);
      if (n == 2 && method.equals("POST")) {
        return store.lookup(subject, schemaOf(exchange)).toJson();
      }
      if (n == 3 && path.get(2).equals("versions")) {
        if (method.equals("GET")) {
          ArrayNode versions = JSON.createArrayNode();
          store.versions(subject).forEach(versions::add);
          return versions;
        }
        if (method.equals("POST")) {
          ObjectNode id = JSON.createObjectNode();
          id.put("id", store.register(subject, schemaOf(exchange)).id());
          return id;
        }
      }
      if (n == 4 && path.get(2).equals("versions") && method.equals("GET")) {
        return store.version(subject, path.get(3)).toJson();
      }
      if (n == 5 && path.get(2).equals("versions") && path.get(4).equals("schema")
          && method.equals("GET")) {
        return JSON.readTree(store.version(subject, path.get(3)).schema().toString());
      }
    }
    if (path.get(0).equals("schemas") && n >= 3 && path.get(1).equals("ids")
        && method.equals("GET")) {
      Schema schema = store.schemaById(parseId(path.get(2)));
      if (n == 3) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("schema", schema.toString());
        return answer;
      }
      if (n == 4 && path.get(3).equals("schema")) {
        return JSON.readTree(schema.toString());
      }
    }
    if (n == 2 && path.get(0).equals("schemas") && path.get(1).equals("types")
        && method.equals("GET")) {
      return strings(List.of("AVRO"));
    }
    if (n == 5 && path.get(0).equals("compatibility") && path.get(1).equals("subjects")
        && path.get(3).equals("versions") && method.equals("POST")) {
      Schema schema = schemaOf(exchange);
      List<String> problems =
          store.incompatibilities(schema, store.version(path.get(2), path.get(4)));
      ObjectNode answer = JSON.createObjectNode();
      answer.put("is_compatible", problems.isEmpty());
      if (verbose) {
        answer.set("messages", strings(problems));
      }
      return answer;
    }
    if (path.get(0).equals("config") && n <= 2 && method.equals("GET")) {
      ObjectNode answer = JSON.createObjectNode();
      answer.put("compatibilityLevel", COMPATIBILITY_LEVEL);
      return answer;
    }
    throw new RegistryError(404, 404, "HTTP 404 Not Found: " + method + " " + String.join("/", path));
  }

  private static Schema schemaOf(HttpExchange exchange) throws IOException {
    JsonNode body;
    try (InputStream in = exchange.getRequestBody()) {
      body = JSON.readTree(in);
    } catch (IOException e) {
      throw new RegistryError(400, 400, "request body is not JSON: " + e.getMessage());
    }
    if (body == null || !body.path("schema").isTextual()) {
      throw RegistryError.invalidSchema("the request body has no \"schema\" string");
    }
    String type = body.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw RegistryError.invalidSchema("only AVRO schemas are supported, got " + type);
    }
    if (body.path("references").size() > 0) {
      throw RegistryError.invalidSchema("schema references are not supported");
    }
    try {
      return new Schema.Parser().parse(body.get("schema").asText());
    } catch (SchemaParseException e) {
      throw RegistryError.invalidSchema(e.getMessage());
    } catch (RuntimeException e) {
      // Avro's parser reports some mistakes (an unknown type name) with other exceptions.
      throw RegistryError.invalidSchema(e.toString());
    }
  }

  private static int parseId(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw RegistryError.schemaNotFound(text);
    }
  }

  private static List<String> segments(String rawPath) {
    return Arrays.stream(rawPath.split("/"))
        .filter(s -> !s.isEmpty())
        .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
        .toList();
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode array = JSON.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  private static ObjectNode error(int code, String message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("error_code", code);
    node.put("message", message);
    return node;
  }
}
