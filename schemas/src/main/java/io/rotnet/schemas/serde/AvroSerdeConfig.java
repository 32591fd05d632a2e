package io.rotnet.schemas.serde;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Settings of the Avro serde when Kafka creates it from a class name ({@code
 * value.serializer=io.rotnet.schemas.serde.AvroSerializer}) and configures it from properties.
 */
public final class AvroSerdeConfig extends AbstractConfig {

  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  private static final String SCHEMA_REGISTRY_URL_DOC =
      "Base URL of a Confluent-compatible schema registry, e.g. http://localhost:8081.";

  public static final String VALUE_TYPE = "rotnet.avro.value.type";
  private static final String VALUE_TYPE_DOC =
      "Generated Avro SpecificRecord class the deserializer reads into (its schema is the reader"
          + " schema). Without it, values are read as the class named by the writer's schema.";

  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  private static final String REQUEST_TIMEOUT_MS_DOC = "Timeout of one registry HTTP request.";

  private static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(SCHEMA_REGISTRY_URL, Type.STRING, Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
          .define(VALUE_TYPE, Type.CLASS, null, Importance.MEDIUM, VALUE_TYPE_DOC)
          .define(
              REQUEST_TIMEOUT_MS,
              Type.INT,
              10_000,
              ConfigDef.Range.atLeast(1),
              Importance.LOW,
              REQUEST_TIMEOUT_MS_DOC);

  public AvroSerdeConfig(Map<String, ?> props) {
    super(DEFINITION, props, false);
  }

  /** The declared keys, with types, defaults and docs. */
  public static ConfigDef definition() {
    return new ConfigDef(DEFINITION);
  }

  /** A registry client for the configured URL and timeout. */
  public SchemaRegistryClient newRegistryClient() {
    return SchemaRegistryClient.builder()
        .setUrl(getString(SCHEMA_REGISTRY_URL))
        .optRequestTimeout(Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS)))
        .build();
  }

  /** The configured value class, or null. */
  public Class<?> valueType() {
    return getClass(VALUE_TYPE);
  }
}
