package io.rotnet.dense.scenes;

import io.rotnet.evaluator.dataset.DatasetException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/** What lies behind the objects: smooth grey noise, or a random photo scaled to the scene. */
abstract class BackgroundSource {

  abstract BufferedImage draw(Random random, int width, int height);

  static BackgroundSource noise() {
    return new Noise();
  }

  static BackgroundSource photos(Path dir) {
    return new Photos(dir);
  }

  private static final class Noise extends BackgroundSource {
    @Override
    BufferedImage draw(Random random, int width, int height) {
      BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      int cells = 4;
      double[][] grid = new double[cells + 1][cells + 1];
      for (double[] row : grid) {
        for (int i = 0; i < row.length; i++) {
          row[i] = 60 + 120 * random.nextDouble();
        }
      }
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double gx = x * cells / (double) width;
          double gy = y * cells / (double) height;
          int ix = (int) gx;
          int iy = (int) gy;
          double fx = gx - ix;
          double fy = gy - iy;
          double v = grid[iy][ix] * (1 - fx) * (1 - fy) + grid[iy][ix + 1] * fx * (1 - fy)
              + grid[iy + 1][ix] * (1 - fx) * fy + grid[iy + 1][ix + 1] * fx * fy;
          int g = ObjectSource.clamp((int) (v + 20 * (random.nextDouble() - 0.5)));
          image.setRGB(x, y, (g << 16) | (g << 8) | g);
        }
      }
      return image;
    }
  }

  private static final class Photos extends BackgroundSource {
    private final List<Path> files;

    Photos(Path dir) {
      if (!Files.isDirectory(dir)) {
        throw new DatasetException("backgrounds folder " + dir + " does not exist");
      }
      try (var walk = Files.walk(dir)) {
        files = walk.filter(Files::isRegularFile).filter(p -> {
          String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
          return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
        }).sorted().toList();
      } catch (IOException e) {
        throw new DatasetException("cannot list " + dir + ": " + e.getMessage(), e);
      }
      if (files.isEmpty()) {
        throw new DatasetException("backgrounds folder " + dir + " has no JPEG or PNG files");
      }
    }

    @Override
    BufferedImage draw(Random random, int width, int height) {
      for (int attempt = 0; attempt < 10; attempt++) {
        Path file = files.get(random.nextInt(files.size()));
        try {
          BufferedImage photo = ImageIO.read(file.toFile());
          if (photo == null) {
            continue;
          }
          BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
          Graphics2D g = image.createGraphics();
          g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
          g.drawImage(photo, 0, 0, width, height, null);
          g.dispose();
          return image;
        } catch (IOException e) {
          // an unreadable photo: draw another
        }
      }
      throw new DatasetException("no readable background photo after 10 tries");
    }
  }
}
