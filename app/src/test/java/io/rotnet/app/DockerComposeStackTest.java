package io.rotnet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Brings up the infrastructure of docker-compose.yml (Kafka, the Confluent registry, the topic
 * browser) where a Docker engine is available; skipped elsewhere. CI validates the same file
 * offline with {@code docker-compose config -q}.
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerComposeStackTest {

  @Container
  static final ComposeContainer STACK =
      new ComposeContainer(new File("../docker-compose.yml"))
          .withServices("kafka", "schema-registry", "kafka-ui")
          .withExposedService("schema-registry", 8081, Wait.forHttp("/subjects").forStatusCode(200))
          .withExposedService("kafka-ui", 8080, Wait.forHttp("/").forStatusCode(200))
          .withStartupTimeout(Duration.ofMinutes(5));

  @Test
  void registryAndTopicBrowserAnswer() throws Exception {
    String registry =
        "http://" + STACK.getServiceHost("schema-registry", 8081) + ":"
            + STACK.getServicePort("schema-registry", 8081);
    HttpResponse<String> subjects =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create(registry + "/subjects")).build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(subjects.statusCode()).isEqualTo(200);
    assertThat(subjects.body()).startsWith("[");
  }
}
