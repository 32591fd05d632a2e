package io.rotnet.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small client for the Confluent Schema Registry REST API (Avro schemas only).
 *
 * <p>Registrations and schemas by id are cached for the life of the client, so once a serializer
 * has registered its schema and a deserializer has seen a writer id, neither makes another HTTP
 * call. Ids the registry does not know are remembered for a short while too, so a flood of
 * records with a bogus id does not turn into a flood of requests. Thread-safe.
 */
public final class SchemaRegistryClient {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);

  private final URI baseUri;
  private final Duration requestTimeout;
  private final long unknownIdRetryNanos;
  private final long unavailableRetryNanos;
  private final HttpClient http;

  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<Integer, Long> unknownIdsUntil = new ConcurrentHashMap<>();

  private record SubjectSchema(String subject, Schema schema) {}

  /**
   * A client with the default timeouts (5 s to connect, 10 s per request) that retries a registry
   * which does not answer, or answers with a server error, for up to 60 s.
   */
  public SchemaRegistryClient(String url) {
    this(builder().setUrl(url));
  }

  private SchemaRegistryClient(Builder builder) {
    this.baseUri = builder.baseUri;
    this.requestTimeout = builder.requestTimeout;
    this.unknownIdRetryNanos = builder.unknownIdRetry.toNanos();
    this.unavailableRetryNanos = builder.unavailableRetry.toNanos();
    this.http = HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The registry's base URL, without a trailing slash. */
  public String url() {
    return baseUri.toString();
  }

  /**
   * Registers the schema under the subject (or finds it, if already there) and returns its global
   * id. The registry refuses a schema that breaks the subject's compatibility rule with a
   * {@link SchemaRegistryException} whose error code is {@link
   * SchemaRegistryException#INCOMPATIBLE_SCHEMA}.
   */
  public int register(String subject, Schema schema) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", body);
    int id = requiredInt(answer, "id", "register " + subject);
    idsBySubjectSchema.putIfAbsent(key, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  /** The schema with this global id; cached, since ids never change meaning. */
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    Long until = unknownIdsUntil.get(id);
    if (until != null && System.nanoTime() - until < 0) {
      throw new SchemaRegistryException(
          "schema registry at " + baseUri + " has no schema with id " + id + " (remembered)",
          404,
          SchemaRegistryException.SCHEMA_NOT_FOUND);
    }
    try {
      JsonNode answer = send("GET", "/schemas/ids/" + id, null);
      Schema schema = parse(requiredText(answer, "schema", "schema id " + id), "schema id " + id);
      Schema previous = schemasById.putIfAbsent(id, schema);
      unknownIdsUntil.remove(id);
      return previous == null ? schema : previous;
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) {
        unknownIdsUntil.put(id, System.nanoTime() + unknownIdRetryNanos);
      }
      throw e;
    }
  }

  /** The newest version registered under the subject (always asks the registry). */
  public RegisteredSchema latest(String subject) {
    return version(subject, "latest");
  }

  /** One version of a subject (always asks the registry). */
  public RegisteredSchema version(String subject, int version) {
    return version(subject, Integer.toString(version));
  }

  /** The version numbers registered under a subject, oldest first. */
  public List<Integer> versions(String subject) {
    JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions", null);
    List<Integer> versions = new ArrayList<>();
    answer.forEach(node -> versions.add(node.asInt()));
    return versions;
  }

  /** Every subject the registry knows. */
  public List<String> subjects() {
    JsonNode answer = send("GET", "/subjects", null);
    List<String> subjects = new ArrayList<>();
    answer.forEach(node -> subjects.add(node.asText()));
    return subjects;
  }

  /**
   * Asks whether the schema could be registered under the subject, i.e. whether it is compatible
   * with the latest version under the subject's rule. A subject with no versions accepts anything.
   */
  public Compatibility testCompatibility(String subject, Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    JsonNode answer;
    try {
      answer =
          send(
              "POST",
              "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
              body);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
          || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
        return new Compatibility(true, List.of("subject " + subject + " has no versions yet"));
      }
      throw e;
    }
    List<String> messages = new ArrayList<>();
    answer.path("messages").forEach(node -> messages.add(node.asText()));
    return new Compatibility(answer.path("is_compatible").asBoolean(false), messages);
  }

  private RegisteredSchema version(String subject, String version) {
    JsonNode answer =
        send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
    String what = subject + " version " + version;
    int id = requiredInt(answer, "id", what);
    Schema schema = schemasById.get(id);
    if (schema == null) {
      schema = parse(requiredText(answer, "schema", what), what);
      schemasById.putIfAbsent(id, schema);
    }
    return new RegisteredSchema(subject, requiredInt(answer, "version", what), id, schema);
  }

  /**
   * One call; a transient failure (no answer, a server error, 408, 429) is retried with backoff
   * until the unavailable-retry window has passed, so that a registry restarting (as it does with
   * its broker) costs a pause, not the caller's life. The hot paths are cached and call nothing.
   */
  private JsonNode send(String method, String pathAndQuery, JsonNode body) {
    long deadline = System.nanoTime() + unavailableRetryNanos;
    long backoffMillis = 100;
    boolean warned = false;
    while (true) {
      try {
        return sendOnce(method, pathAndQuery, body);
      } catch (SchemaRegistryException e) {
        if (!e.isTransient() || System.nanoTime() + backoffMillis * 1_000_000 > deadline) {
          throw e;
        }
        if (!warned) {
          LOG.warn("{}; retrying for up to {} s", e.getMessage(), unavailableRetryNanos / 1_000_000_000);
          warned = true;
        }
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        backoffMillis = Math.min(2000, backoffMillis * 2);
      }
    }
  }

  private JsonNode sendOnce(String method, String pathAndQuery, JsonNode body) {
    URI uri = URI.create(baseUri + pathAndQuery);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", CONTENT_TYPE);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    String call = method + " " + pathAndQuery;
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          "schema registry at " + baseUri + " did not answer " + call + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(
          "interrupted while calling schema registry at " + baseUri + ": " + call, e);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new SchemaRegistryException(
            "schema registry at " + baseUri + " answered " + call + " with invalid JSON: "
                + excerpt(response.body()),
            status,
            -1);
      }
    }
    throw errorFrom(call, status, response.body());
  }

  private SchemaRegistryException errorFrom(String call, int status, String body) {
    int errorCode = -1;
    String message = excerpt(body);
    try {
      JsonNode error = JSON.readTree(body);
      if (error != null && error.has("error_code")) {
        errorCode = error.path("error_code").asInt(-1);
        message = error.path("message").asText(message);
      }
    } catch (IOException notJson) {
      // keep the raw body as the message
    }
    return new SchemaRegistryException(
        "schema registry at " + baseUri + " refused " + call + ": HTTP " + status
            + (errorCode >= 0 ? ", error_code " + errorCode : "") + ": " + message,
        status,
        errorCode);
  }

  private Schema parse(String text, String what) {
    try {
      return new Schema.Parser().parse(text);
    } catch (RuntimeException e) {
      // SchemaParseException, or a NullPointerException for an unknown type name
      throw new SchemaRegistryException(
          "schema registry at " + baseUri + " returned an invalid Avro schema for " + what + ": "
              + e.getMessage(),
          e);
    }
  }

  private int requiredInt(JsonNode answer, String field, String what) {
    JsonNode node = answer.get(field);
    if (node == null || !node.canConvertToInt()) {
      throw new SchemaRegistryException(
          "schema registry at " + baseUri + " gave no '" + field + "' for " + what + ": " + answer,
          200,
          -1);
    }
    return node.asInt();
  }

  private String requiredText(JsonNode answer, String field, String what) {
    JsonNode node = answer.get(field);
    if (node == null || !node.isTextual()) {
      throw new SchemaRegistryException(
          "schema registry at " + baseUri + " gave no '" + field + "' for " + what, 200, -1);
    }
    return node.asText();
  }

  private static String encode(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String excerpt(String body) {
    if (body == null || body.isBlank()) {
      return "(empty body)";
    }
    return body.length() <= 300 ? body : body.substring(0, 300) + "...";
  }

  /** Settings of a client: {@code setUrl} is required, the timeouts have defaults. */
  public static final class Builder {
    private URI baseUri;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration unknownIdRetry = Duration.ofSeconds(10);
    private Duration unavailableRetry = Duration.ofSeconds(60);

    private Builder() {}

    /** Base URL of the registry, e.g. {@code http://localhost:8081}. */
    public Builder setUrl(String url) {
      Objects.requireNonNull(url, "url");
      String trimmed = url.strip();
      while (trimmed.endsWith("/")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      URI uri;
      try {
        uri = URI.create(trimmed);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("schema registry URL is not a URL: " + url, e);
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "schema registry URL must look like http://host:port, got: " + url);
      }
      this.baseUri = uri;
      return this;
    }

    public Builder optConnectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connect timeout");
      return this;
    }

    public Builder optRequestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "request timeout");
      return this;
    }

    /** How long a registry that does not answer (or answers 5xx) is retried per call; 0 fails at once. */
    public Builder optUnavailableRetry(Duration retry) {
      this.unavailableRetry = notNegative(retry, "unavailable retry");
      return this;
    }

    /** How long an id the registry did not know is answered from memory as unknown. */
    public Builder optUnknownIdRetry(Duration retry) {
      this.unknownIdRetry = notNegative(retry, "unknown id retry");
      return this;
    }

    public SchemaRegistryClient build() {
      if (baseUri == null) {
        throw new IllegalArgumentException("schema registry URL is required (setUrl)");
      }
      return new SchemaRegistryClient(this);
    }

    private static Duration positive(Duration value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive: " + value);
      }
      return value;
    }

    private static Duration notNegative(Duration value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative: " + value);
      }
      return value;
    }
  }
}
