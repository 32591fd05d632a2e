package io.rotnet.trainer.bench;

import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.trainer.TrainingPreset;
import io.rotnet.trainer.input.HostBatch;
import io.rotnet.trainer.input.ImageNormalization;
import io.rotnet.trainer.input.PixelDecoder;
import io.rotnet.trainer.input.RejectedInputException;
import io.rotnet.trainer.input.StreamPosition;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Random rotation groups for the benchmarks: noise images, rotated, in the chosen encoding; and
 * in-memory batches decoded from them.
 */
final class BenchScenes {

  private BenchScenes() {}

  static List<List<RotatedImage>> groups(int count, int size, PixelEncoding encoding, long seed) {
    Random random = new Random(seed);
    List<List<RotatedImage>> groups = new ArrayList<>(count);
    for (int g = 0; g < count; g++) {
      byte[] rgb = new byte[size * size * 3];
      // Smooth blobs rather than white noise, so JPEG and PNG sizes look like photographs'.
      int cx = random.nextInt(size);
      int cy = random.nextInt(size);
      int base = random.nextInt(200);
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int d = Math.abs(x - cx) + Math.abs(y - cy);
          for (int c = 0; c < 3; c++) {
            rgb[3 * (y * size + x) + c] = (byte) ((base + d * (c + 1) + random.nextInt(8)) & 0xff);
          }
        }
      }
      List<RotatedImage> views = new ArrayList<>(4);
      byte[] turned = rgb;
      for (int r = 0; r < 4; r++) {
        views.add(
            RotatedImage.newBuilder()
                .setSampleId("bench" + g + "@0")
                .setSourceUri("bench:" + g)
                .setSourceLabel(null)
                .setEpoch(0)
                .setIndexInEpoch(g)
                .setDatasetSize(count)
                .setRotation(r)
                .setHeight(size)
                .setWidth(size)
                .setChannels(3)
                .setEncoding(encoding)
                .setPixels(ByteBuffer.wrap(encode(turned, size, encoding)))
                .setProducedAt(Instant.now())
                .build());
        turned = quarterTurn(turned, size);
      }
      groups.add(views);
    }
    return groups;
  }

  /** In-memory host batches of the preset's shape, decoded from consecutive groups. */
  static List<HostBatch> hostBatches(List<List<RotatedImage>> groups, TrainingPreset preset)
      throws RejectedInputException {
    PixelDecoder decoder = new PixelDecoder(preset.inputSize(), ImageNormalization.IMAGENET);
    List<HostBatch> batches = new ArrayList<>();
    for (int from = 0;
        from + preset.groupsPerBatch() <= groups.size();
        from += preset.groupsPerBatch()) {
      float[] pixels = new float[preset.batchSize() * decoder.floatsPerImage()];
      List<String> ids = new ArrayList<>();
      for (int g = 0; g < preset.groupsPerBatch(); g++) {
        List<RotatedImage> group = groups.get(from + g);
        ids.add(group.get(0).getSampleId());
        for (int r = 0; r < 4; r++) {
          decoder.decodeInto(group.get(r), pixels, (4 * g + r) * decoder.floatsPerImage());
        }
      }
      batches.add(
          new HostBatch(
              pixels,
              preset.batchSize(),
              preset.inputSize(),
              ids,
              0,
              0,
              0,
              StreamPosition.beginning(),
              null));
    }
    return batches;
  }

  private static byte[] quarterTurn(byte[] rgb, int size) {
    byte[] out = new byte[rgb.length];
    for (int r = 0; r < size; r++) {
      for (int c = 0; c < size; c++) {
        System.arraycopy(rgb, 3 * (c * size + (size - 1 - r)), out, 3 * (r * size + c), 3);
      }
    }
    return out;
  }

  private static byte[] encode(byte[] rgb, int size, PixelEncoding encoding) {
    if (encoding == PixelEncoding.RAW_RGB8) {
      return rgb;
    }
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int at = 3 * (y * size + x);
        image.setRGB(
            x, y, (rgb[at] & 0xff) << 16 | (rgb[at + 1] & 0xff) << 8 | (rgb[at + 2] & 0xff));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, encoding == PixelEncoding.PNG ? "png" : "jpeg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
