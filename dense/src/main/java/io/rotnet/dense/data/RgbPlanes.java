package io.rotnet.dense.data;

import io.rotnet.evaluator.dataset.DatasetException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A decoded image as three 8-bit planes.
 *
 * @param rgb [3][height * width], 0-255
 */
public record RgbPlanes(float[][] rgb, int width, int height) {

  /** Decodes {@code file}; an unreadable image is a {@link DatasetException} naming it. */
  public static RgbPlanes read(Path file) {
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new DatasetException("image " + file + " does not decode: " + e.getMessage(), e);
    }
    if (image == null) {
      throw new DatasetException("image " + file + " is not a readable image");
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    float[][] rgb = new float[3][w * h];
    for (int i = 0; i < argb.length; i++) {
      rgb[0][i] = (argb[i] >> 16) & 0xff;
      rgb[1][i] = (argb[i] >> 8) & 0xff;
      rgb[2][i] = argb[i] & 0xff;
    }
    return new RgbPlanes(rgb, w, h);
  }
}
