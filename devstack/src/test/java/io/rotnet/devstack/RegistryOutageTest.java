package io.rotnet.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A registry that is down when a schema is first needed (it restarts with its broker) costs the
 * caller a pause, not a failure: the client retries until it answers.
 */
@ExtendWith(EmbeddedStackExtension.class)
class RegistryOutageTest {

  @Test
  void registeringWaitsForARegistryThatComesUp(EmbeddedStack stack) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    SchemaRegistryClient client = SchemaRegistryClient.builder().setUrl("http://127.0.0.1:" + port)
        .optConnectTimeout(Duration.ofSeconds(1)).optUnavailableRetry(Duration.ofSeconds(30)).build();
    CompletableFuture<Integer> registered = CompletableFuture.supplyAsync(
        () -> client.register(Topics.CHECKPOINTS.valueSubject(), CheckpointEvent.getClassSchema()));
    Thread.sleep(1500);
    assertThat(registered).as("nothing listens yet").isNotDone();
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(stack.bootstrapServers(), port)) {
      int id = registered.get(30, TimeUnit.SECONDS);
      assertThat(new SchemaRegistryClient(registry.url()).schemaById(id)).isEqualTo(CheckpointEvent.getClassSchema());
    }
  }
}
