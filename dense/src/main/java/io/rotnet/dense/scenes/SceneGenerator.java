package io.rotnet.dense.scenes;

import io.rotnet.dense.data.LabelPng;
import io.rotnet.dense.metrics.Rle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic scenes for tests and demos: objects of a few classes pasted on a background,
 * written in the VOC layout and as COCO JSON ({@link SceneWriter}) so the real readers serve
 * them. Objects are procedural shapes (rectangle, ellipse, triangle, each class with its own hue
 * and shape) or, with {@link Builder#optObjects}, RGBA cut-outs with one folder per class;
 * backgrounds are smooth noise or, with {@link Builder#optBackgrounds}, random photos. Later
 * objects occlude earlier ones; an object is described by what stays visible, and a 1-pixel band
 * around each object is labelled 255 in the class and object maps, as in VOC.
 */
public final class SceneGenerator {

  /** One visible object: class index (0-based), mask (row-major), whether it is tiny. */
  public record SceneObject(int label, boolean[] mask, int x1, int y1, int x2, int y2, int area) {}

  /** One generated scene. */
  public record Scene(String id, BufferedImage image, int[] classMap, int[] objectMap, List<SceneObject> objects) {}

  private final int images;
  private final long seed;
  private final int size;
  private final int maxObjects;
  private final ObjectSource objects;
  private final BackgroundSource backgrounds;

  private SceneGenerator(Builder b) {
    this.images = b.images;
    this.seed = b.seed;
    this.size = b.size;
    this.maxObjects = b.maxObjects;
    this.objects = b.objects != null ? ObjectSource.cutOuts(b.objects) : ObjectSource.shapes();
    this.backgrounds = b.backgrounds != null ? BackgroundSource.photos(b.backgrounds) : BackgroundSource.noise();
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<String> classNames() {
    return objects.classNames();
  }

  public int images() {
    return images;
  }

  /** Scene {@code index}; the same seed and index give the same scene. */
  public Scene scene(int index) {
    Random random = new Random(seed * 1_000_003L + index);
    int w = size - random.nextInt(size / 4 + 1);
    int h = size - random.nextInt(size / 4 + 1);
    BufferedImage image = backgrounds.draw(random, w, h);
    int[] owner = new int[w * h]; // 0: background, k: object k
    int count = 1 + random.nextInt(maxObjects);
    int[] labels = new int[count + 1];
    for (int k = 1; k <= count; k++) {
      labels[k] = random.nextInt(objects.classNames().size());
      boolean[] painted = objects.paint(random, labels[k], image);
      for (int i = 0; i < painted.length; i++) {
        if (painted[i]) {
          owner[i] = k;
        }
      }
    }
    int[] classMap = new int[w * h];
    int[] objectMap = new int[w * h];
    List<SceneObject> visible = new ArrayList<>();
    int[] instance = new int[count + 1];
    for (int k = 1; k <= count; k++) {
      boolean[] mask = new boolean[w * h];
      int area = 0;
      int x1 = w;
      int y1 = h;
      int x2 = -1;
      int y2 = -1;
      for (int i = 0; i < mask.length; i++) {
        if (owner[i] == k) {
          mask[i] = true;
          area++;
          int x = i % w;
          int y = i / w;
          x1 = Math.min(x1, x);
          y1 = Math.min(y1, y);
          x2 = Math.max(x2, x);
          y2 = Math.max(y2, y);
        }
      }
      if (area == 0) {
        continue; // fully occluded
      }
      visible.add(new SceneObject(labels[k], mask, x1, y1, x2, y2, area));
      instance[k] = visible.size();
    }
    for (int i = 0; i < owner.length; i++) {
      int k = owner[i];
      classMap[i] = k == 0 ? 0 : labels[k] + 1;
      objectMap[i] = k == 0 ? 0 : instance[k];
    }
    // VOC's void band: pixels at an object's border (4-neighbour with another owner) become 255
    int[] band = owner.clone();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        int k = owner[i];
        boolean edge = (x > 0 && owner[i - 1] != k) || (x + 1 < w && owner[i + 1] != k)
            || (y > 0 && owner[i - w] != k) || (y + 1 < h && owner[i + w] != k);
        if (edge && k != 0) {
          band[i] = -1;
        }
      }
    }
    for (int i = 0; i < band.length; i++) {
      if (band[i] == -1) {
        classMap[i] = 255;
        objectMap[i] = 255;
      }
    }
    return new Scene(String.format(java.util.Locale.ROOT, "scene_%06d", index), image, classMap, objectMap, visible);
  }

  /** Writes every scene under {@code out}; returns what was written. */
  public SceneWriter.Summary write(Path out) throws IOException {
    return new SceneWriter(this).write(out);
  }

  static Rle rle(SceneObject object, int width, int height) {
    return Rle.encodeRowMajor(object.mask(), height, width);
  }

  static void writeLabels(Path file, int w, int h, int[] labels, boolean palette) throws IOException {
    Files.createDirectories(file.getParent());
    if (palette) {
      LabelPng.writePalette(file, w, h, labels);
    } else {
      LabelPng.writeGray(file, w, h, labels);
    }
  }

  /** Settings; every one has a default. */
  public static final class Builder {
    private int images = 20;
    private long seed;
    private int size = 96;
    private int maxObjects = 3;
    private Path objects;
    private Path backgrounds;

    private Builder() {}

    public Builder optImages(int images) {
      if (images < 2) {
        throw new IllegalArgumentException("scenes need at least 2 images (a training and a test split), got " + images);
      }
      this.images = images;
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The longest image side (sides vary down to 3/4 of it). */
    public Builder optSize(int size) {
      if (size < 16) {
        throw new IllegalArgumentException("scene size must be >= 16, got " + size);
      }
      this.size = size;
      return this;
    }

    public Builder optMaxObjects(int maxObjects) {
      if (maxObjects < 1) {
        throw new IllegalArgumentException("max objects must be >= 1");
      }
      this.maxObjects = maxObjects;
      return this;
    }

    /** RGBA cut-outs, one sub-folder per class (PNG with alpha). */
    public Builder optObjects(Path objects) {
      this.objects = objects;
      return this;
    }

    /** Background photos (any image files ImageIO reads, searched recursively). */
    public Builder optBackgrounds(Path backgrounds) {
      this.backgrounds = backgrounds;
      return this;
    }

    public SceneGenerator build() {
      return new SceneGenerator(this);
    }
  }
}
