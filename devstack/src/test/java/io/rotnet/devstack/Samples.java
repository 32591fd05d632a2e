package io.rotnet.devstack;

import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.avro.TopicPartitionOffset;
import io.rotnet.schemas.avro.TrainingMetrics;
import io.rotnet.schemas.dlq.DeadLetters;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/** One realistic value of every record type of the contract. */
final class Samples {

  static final Instant T0 = Instant.ofEpochMilli(1_767_225_600_123L);

  private Samples() {}

  static RotatedImage image(int index) {
    int side = 8;
    byte[] pixels = new byte[side * side * 3];
    new Random(index).nextBytes(pixels);
    return RotatedImage.newBuilder()
        .setSampleId("clipart-" + index + "@0")
        .setSourceUri("file:///usr/share/openclipart/png/animals/" + index + ".png")
        .setSourceLabel(index % 2 == 0 ? "animals" : null)
        .setEpoch(0)
        .setIndexInEpoch(index)
        .setDatasetSize(6500)
        .setRotation(index % 4)
        .setHeight(side)
        .setWidth(side)
        .setChannels(3)
        .setEncoding(PixelEncoding.RAW_RGB8)
        .setPixels(ByteBuffer.wrap(pixels))
        .setProducedAt(T0.plusMillis(index))
        .build();
  }

  static CheckpointEvent checkpoint() {
    return CheckpointEvent.newBuilder()
        .setCheckpointId("run-1-step-200")
        .setRunId("run-1")
        .setStep(200)
        .setEpoch(1)
        .setImagesSeen(12_800)
        .setUri("run-1/step-200")
        .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        .setSizeBytes(94_000_000L)
        .setArchitecture("resnet50")
        .setInputSize(96)
        .setPreset(null)
        .setPretextLoss(1.02)
        .setPretextAccuracy(0.61)
        .setConsumedOffsets(
            List.of(
                new TopicPartitionOffset("rotnet.images", 0, 6400L),
                new TopicPartitionOffset("rotnet.images", 1, 6400L)))
        .setCreatedAt(T0)
        .build();
  }

  static EvalResult evalResult() {
    return EvalResult.newBuilder()
        .setCheckpointId("run-1-step-200")
        .setRunId("run-1")
        .setStep(200)
        .setBenchmark("svm")
        .setDataset("fashion-mnist")
        .setRows(
            List.of(new EvalRow("feature5", "mAP", 0.42), new EvalRow("avgpool", "mAP", 0.47)))
        .setStartedAt(T0)
        .setFinishedAt(T0.plusSeconds(90))
        .setEvaluatorVersion("0.1.0")
        .build();
  }

  static TrainingMetrics metrics() {
    return TrainingMetrics.newBuilder()
        .setRunId("run-1")
        .setStep(200)
        .setEpoch(1)
        .setLoss(1.02)
        .setRotationAccuracy(0.61)
        .setLearningRate(0.1)
        .setImagesPerSecond(11.5)
        .setImagesSeen(12_800)
        .setRecordedAt(T0)
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetters.of(
        "rotnet.images", 0, 42L, "clipart-1@0", "corrupt-image: bad PNG", new byte[300], "producer",
        T0);
  }
}
