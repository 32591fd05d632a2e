package io.rotnet.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.schemas.Topics;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import io.rotnet.schemas.avro.RotatedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedStackExtension.class)
class EmbeddedStackSmokeTest {

  @Test
  void startsBrokerAndRegistry(EmbeddedStack stack) {
    stack.createTopic(Topics.IMAGES, 2);
    SchemaRegistryClient client = stack.newRegistryClient();
    int id = client.register(Topics.IMAGES.valueSubject(), RotatedImage.getClassSchema());
    assertThat(client.latest(Topics.IMAGES.valueSubject()).id()).isEqualTo(id);
    assertThat(stack.bootstrapServers()).startsWith("127.0.0.1:");
  }
}
