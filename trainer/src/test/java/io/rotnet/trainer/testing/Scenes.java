package io.rotnet.trainer.testing;

import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
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
 * Small synthetic photographs with an unmistakable "up": a sky that brightens towards the horizon,
 * darker furrowed ground below it, and a sun placed off-centre in the sky. Pixels are interleaved
 * RGB bytes, row-major, as RAW_RGB8 carries them.
 */
public final class Scenes {

  private Scenes() {}

  /** A random scene of {@code size x size} pixels. */
  public static byte[] scene(Random random, int size) {
    byte[] rgb = new byte[size * size * 3];
    int horizon = size / 2 + random.nextInt(size / 4) - size / 8;
    float[] sky = {
      0.25f + 0.2f * random.nextFloat(),
      0.45f + 0.2f * random.nextFloat(),
      0.8f + 0.2f * random.nextFloat()
    };
    float[] ground = {
      0.3f + 0.2f * random.nextFloat(),
      0.25f + 0.25f * random.nextFloat(),
      0.1f + 0.1f * random.nextFloat()
    };
    int sunX =
        random.nextBoolean()
            ? size / 5 + random.nextInt(size / 5)
            : 3 * size / 5 + random.nextInt(size / 5);
    int sunY = Math.max(2, horizon / 3 + random.nextInt(Math.max(1, horizon / 3)));
    int sunRadius = Math.max(2, size / 10);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        float[] colour = new float[3];
        if (y < horizon) {
          float lift = (float) y / horizon; // brighter towards the horizon
          for (int c = 0; c < 3; c++) {
            colour[c] = sky[c] + lift * (1 - sky[c]) * 0.7f;
          }
          int dx = x - sunX;
          int dy = y - sunY;
          if (dx * dx + dy * dy <= sunRadius * sunRadius) {
            colour = new float[] {1f, 0.95f, 0.6f};
          }
        } else {
          float depth = 0.6f + 0.4f * (y - horizon) / Math.max(1, size - horizon);
          float furrow = (y - horizon) % 3 == 2 ? 0.6f : 1f; // horizontal furrows
          for (int c = 0; c < 3; c++) {
            colour[c] = ground[c] * depth * furrow;
          }
        }
        int at = 3 * (y * size + x);
        for (int c = 0; c < 3; c++) {
          float noisy = colour[c] + 0.04f * (float) random.nextGaussian();
          rgb[at + c] = (byte) Math.round(255 * Math.max(0f, Math.min(1f, noisy)));
        }
      }
    }
    return rgb;
  }

  /** The image turned {@code quarterTurns} times 90 degrees counter-clockwise. */
  public static byte[] rotate(byte[] rgb, int size, int quarterTurns) {
    byte[] out = rgb;
    for (int t = 0; t < quarterTurns; t++) {
      byte[] turned = new byte[out.length];
      for (int r = 0; r < size; r++) {
        for (int c = 0; c < size; c++) {
          // new[r][c] = old[c][size - 1 - r]
          System.arraycopy(out, 3 * (c * size + (size - 1 - r)), turned, 3 * (r * size + c), 3);
        }
      }
      out = turned;
    }
    return out;
  }

  /** PNG of an RGB image. */
  public static byte[] png(byte[] rgb, int size) {
    return encode(rgb, size, "png");
  }

  /** JPEG of an RGB image. */
  public static byte[] jpeg(byte[] rgb, int size) {
    return encode(rgb, size, "jpeg");
  }

  private static byte[] encode(byte[] rgb, int size, String format) {
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
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no " + format + " writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** One view record with these pixels. */
  public static RotatedImage view(
      String sourceId,
      int epoch,
      long index,
      long datasetSize,
      int rotation,
      int size,
      PixelEncoding encoding,
      byte[] pixels) {
    return RotatedImage.newBuilder()
        .setSampleId(sourceId + "@" + epoch)
        .setSourceUri("synthetic:" + sourceId)
        .setSourceLabel(null)
        .setEpoch(epoch)
        .setIndexInEpoch(index)
        .setDatasetSize(datasetSize)
        .setRotation(rotation)
        .setHeight(size)
        .setWidth(size)
        .setChannels(3)
        .setEncoding(encoding)
        .setPixels(ByteBuffer.wrap(pixels))
        .setProducedAt(Instant.ofEpochMilli(0))
        .build();
  }

  /** The four rotated views of a scene, rotation 0..3, as RAW_RGB8. */
  public static List<RotatedImage> group(
      String sourceId, int epoch, long index, long datasetSize, byte[] rgb, int size) {
    List<RotatedImage> views = new ArrayList<>(4);
    for (int r = 0; r < 4; r++) {
      views.add(
          view(
              sourceId,
              epoch,
              index,
              datasetSize,
              r,
              size,
              PixelEncoding.RAW_RGB8,
              rotate(rgb, size, r)));
    }
    return views;
  }
}
