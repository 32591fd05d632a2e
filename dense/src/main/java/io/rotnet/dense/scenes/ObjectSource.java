package io.rotnet.dense.scenes;

import io.rotnet.evaluator.dataset.DatasetException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/** What objects look like: procedural shapes, or RGBA cut-outs with one folder per class. */
abstract class ObjectSource {

  abstract List<String> classNames();

  /** Paints one object of {@code label} on the image; returns the pixels it covers (row-major). */
  abstract boolean[] paint(Random random, int label, BufferedImage image);

  static ObjectSource shapes() {
    return new Shapes();
  }

  static ObjectSource cutOuts(Path dir) {
    return new CutOuts(dir);
  }

  /** Three classes that differ in shape and hue: rectangles (red), ellipses (green), triangles (blue). */
  private static final class Shapes extends ObjectSource {
    private static final float[] HUES = {0.0f, 0.33f, 0.62f};

    @Override
    List<String> classNames() {
      return List.of("rectangle", "ellipse", "triangle");
    }

    @Override
    boolean[] paint(Random random, int label, BufferedImage image) {
      int w = image.getWidth();
      int h = image.getHeight();
      int bw = Math.max(6, (int) (w * (0.2 + 0.35 * random.nextDouble())));
      int bh = Math.max(6, (int) (h * (0.2 + 0.35 * random.nextDouble())));
      int x0 = random.nextInt(Math.max(1, w - bw));
      int y0 = random.nextInt(Math.max(1, h - bh));
      float hue = HUES[label] + (random.nextFloat() - 0.5f) * 0.08f;
      Color base = Color.getHSBColor(hue, 0.6f + 0.4f * random.nextFloat(), 0.55f + 0.45f * random.nextFloat());
      boolean[] mask = new boolean[w * h];
      for (int y = y0; y < Math.min(h, y0 + bh); y++) {
        for (int x = x0; x < Math.min(w, x0 + bw); x++) {
          double u = (x - x0 + 0.5) / bw;
          double v = (y - y0 + 0.5) / bh;
          boolean inside = switch (label) {
            case 0 -> true;
            case 1 -> (u - 0.5) * (u - 0.5) + (v - 0.5) * (v - 0.5) <= 0.25;
            default -> v >= Math.abs(2 * u - 1); // apex at the top centre
          };
          if (inside) {
            mask[y * w + x] = true;
            int shade = (int) (18 * (random.nextDouble() - 0.5));
            image.setRGB(x, y, new Color(clamp(base.getRed() + shade), clamp(base.getGreen() + shade),
                clamp(base.getBlue() + shade)).getRGB());
          }
        }
      }
      return mask;
    }
  }

  private static final class CutOuts extends ObjectSource {
    private final List<String> names = new ArrayList<>();
    private final List<List<BufferedImage>> images = new ArrayList<>();

    CutOuts(Path dir) {
      if (!Files.isDirectory(dir)) {
        throw new DatasetException("objects folder " + dir + " does not exist");
      }
      try (var classes = Files.list(dir)) {
        for (Path folder : classes.filter(Files::isDirectory).sorted().toList()) {
          List<BufferedImage> cutOuts = new ArrayList<>();
          try (var files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().toLowerCase(Locale.ROOT).endsWith(".png")).sorted().toList()) {
              BufferedImage image = ImageIO.read(file.toFile());
              if (image != null && image.getColorModel().hasAlpha()) {
                cutOuts.add(image);
              }
            }
          }
          if (!cutOuts.isEmpty()) {
            names.add(folder.getFileName().toString());
            images.add(cutOuts);
          }
        }
      } catch (IOException e) {
        throw new DatasetException("cannot read objects from " + dir + ": " + e.getMessage(), e);
      }
      if (names.isEmpty()) {
        throw new DatasetException("objects folder " + dir + " has no class folders with RGBA PNG cut-outs");
      }
    }

    @Override
    List<String> classNames() {
      return names;
    }

    @Override
    boolean[] paint(Random random, int label, BufferedImage image) {
      List<BufferedImage> choices = images.get(label);
      BufferedImage cut = choices.get(random.nextInt(choices.size()));
      int w = image.getWidth();
      int h = image.getHeight();
      double scale = (0.25 + 0.4 * random.nextDouble()) * Math.min(w, h) / Math.max(cut.getWidth(), cut.getHeight());
      int cw = Math.max(4, (int) (cut.getWidth() * scale));
      int ch = Math.max(4, (int) (cut.getHeight() * scale));
      int x0 = random.nextInt(Math.max(1, w - cw));
      int y0 = random.nextInt(Math.max(1, h - ch));
      boolean[] mask = new boolean[w * h];
      for (int y = 0; y < ch && y0 + y < h; y++) {
        for (int x = 0; x < cw && x0 + x < w; x++) {
          int argb = cut.getRGB(Math.min(cut.getWidth() - 1, (int) (x / scale)), Math.min(cut.getHeight() - 1, (int) (y / scale)));
          if ((argb >>> 24) > 127) {
            mask[(y0 + y) * w + x0 + x] = true;
            image.setRGB(x0 + x, y0 + y, argb | 0xff000000);
          }
        }
      }
      return mask;
    }
  }

  static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
