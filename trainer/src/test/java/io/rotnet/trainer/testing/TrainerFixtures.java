package io.rotnet.trainer.testing;

import ai.djl.Device;
import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.schemas.Topics;
import io.rotnet.trainer.KafkaSettings;
import io.rotnet.trainer.TrainerSettings;
import io.rotnet.trainer.TrainingPreset;
import java.nio.file.Path;
import java.util.List;

/** Trainer settings for tests: CPU, the embedded stack, small intervals. */
public final class TrainerFixtures {

  private TrainerFixtures() {}

  /** Creates the topics a trainer writes to, so nothing depends on auto-creation. */
  public static void createTopics(EmbeddedStack stack, String imageTopic, int partitions) {
    stack.createTopic(imageTopic, partitions);
    stack.createTopic(Topics.deadLetterTopic(imageTopic), 1);
    stack.createTopic(Topics.CHECKPOINTS.name(), 1);
    stack.createTopic(Topics.METRICS.name(), 1);
  }

  public static TrainerSettings.Builder settings(
      EmbeddedStack stack, String topic, Path checkpoints, String runId, TrainingPreset preset) {
    return TrainerSettings.builder()
        .setRunId(runId)
        .setCheckpointRoot(checkpoints)
        .setPreset(preset)
        .setKafka(
            new KafkaSettings(stack.bootstrapServers(), stack.schemaRegistryUrl(), "test-" + runId))
        .optTopic(topic)
        .optDevices(List.of(Device.cpu()));
  }
}
