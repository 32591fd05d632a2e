package io.rotnet.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.avro.TopicPartitionOffset;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Our array encoder and bounded decoder against Avro's own binary encoding. */
class EncodingTest {

  static RotatedImage image(int pixelBytes) {
    byte[] pixels = new byte[pixelBytes];
    new Random(pixelBytes).nextBytes(pixels);
    return RotatedImage.newBuilder()
        .setSampleId("img-1@0")
        .setSourceUri("file:///tmp/img-1.png")
        .setSourceLabel("cats")
        .setEpoch(3)
        .setIndexInEpoch(-12_345_678_901L)
        .setDatasetSize(6500)
        .setRotation(2)
        .setHeight(96)
        .setWidth(96)
        .setChannels(3)
        .setEncoding(PixelEncoding.PNG)
        .setPixels(ByteBuffer.wrap(pixels))
        .setProducedAt(Instant.ofEpochMilli(1_767_225_600_123L))
        .build();
  }

  static CheckpointEvent checkpoint(double loss) {
    return CheckpointEvent.newBuilder()
        .setCheckpointId("r-step-1")
        .setRunId("r")
        .setStep(1)
        .setEpoch(0)
        .setImagesSeen(128)
        .setUri("r/step-1")
        .setSha256("00")
        .setSizeBytes(1)
        .setArchitecture("resnet50")
        .setInputSize(32)
        .setPretextLoss(loss)
        .setPretextAccuracy(-0.0)
        .setConsumedOffsets(List.of(new TopicPartitionOffset("t", 0, Long.MAX_VALUE)))
        .setCreatedAt(Instant.EPOCH)
        .build();
  }

  static EvalResult evalResult() {
    return EvalResult.newBuilder()
        .setCheckpointId("r-step-1")
        .setRunId("r")
        .setStep(1)
        .setBenchmark("knn")
        .setDataset("fashion-mnist")
        .setRows(List.of(new EvalRow("k=20", "top1", 0.5), new EvalRow("avgpool", "top5", 1e-9)))
        .setStartedAt(Instant.ofEpochMilli(1))
        .setFinishedAt(Instant.ofEpochMilli(2))
        .setEvaluatorVersion("0.1.0")
        .build();
  }

  private static byte[] avroEncoding(SpecificRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(record.getSchema(), SpecificData.getForSchema(record.getSchema()))
        .write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static byte[] ourEncoding(SpecificRecord record) throws IOException {
    SpecificDatumWriter<Object> writer =
        new SpecificDatumWriter<>(record.getSchema(), SpecificData.getForSchema(record.getSchema()));
    SizingEncoder sizing = new SizingEncoder();
    writer.write(record, sizing);
    byte[] target = new byte[(int) sizing.size()];
    ByteArrayEncoder encoder = new ByteArrayEncoder(target, 0);
    writer.write(record, encoder);
    assertThat(encoder.position()).isEqualTo(target.length);
    return target;
  }

  @Test
  void encodesExactlyLikeAvroIntoAnArrayOfTheRightSize() throws IOException {
    for (SpecificRecord record : List.of(image(40_000), image(0), checkpoint(Double.NaN), evalResult())) {
      assertThat(ourEncoding(record)).isEqualTo(avroEncoding(record));
    }
  }

  @Test
  void boundedDecoderReadsWhatAvroWrote() throws IOException {
    for (SpecificRecord record : List.of(image(40_000), checkpoint(1.25), evalResult())) {
      byte[] bytes = avroEncoding(record);
      BoundedBinaryDecoder in = new BoundedBinaryDecoder(bytes, 0, bytes.length);
      Object read =
          new SpecificDatumReader<>(record.getSchema(), record.getSchema(),
                  SpecificData.getForSchema(record.getSchema()))
              .read(null, in);
      assertThat(read).isEqualTo(record);
      assertThat(in.remaining()).isZero();
    }
  }

  @Test
  void truncatedBodyIsAnEndOfFileNotAnAllocation() throws IOException {
    byte[] bytes = avroEncoding(image(40_000));
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 100);
    SpecificDatumReader<RotatedImage> reader = new SpecificDatumReader<>(RotatedImage.class);
    assertThatThrownBy(
            () -> reader.read(null, new BoundedBinaryDecoder(truncated, 0, truncated.length)))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("bytes value of 40000 bytes");
  }

  @Test
  void hugeLengthsAndCountsAreRefusedBeforeAllocating() {
    // A string claiming 2^40 bytes, then an array claiming a billion items, in a few bytes.
    byte[] hugeString = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40};
    assertThatThrownBy(() -> new BoundedBinaryDecoder(hugeString, 0, hugeString.length).readString())
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("only 0 are left");
    byte[] hugeArray = {(byte) 0x80, (byte) 0xa8, (byte) 0xd6, (byte) 0xb9, 0x07, 0x02};
    assertThatThrownBy(
            () -> new BoundedBinaryDecoder(hugeArray, 0, hugeArray.length).readArrayStart())
        .isInstanceOf(AvroRuntimeException.class)
        .hasMessageContaining("items");
    byte[] negative = {0x01};
    assertThatThrownBy(() -> new BoundedBinaryDecoder(negative, 0, 1).readBytes(null))
        .isInstanceOf(AvroRuntimeException.class)
        .hasMessageContaining("negative");
  }
}
