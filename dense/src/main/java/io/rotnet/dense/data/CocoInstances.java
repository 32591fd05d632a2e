package io.rotnet.dense.data;

import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.rotnet.dense.metrics.CocoEval;
import io.rotnet.dense.metrics.Rle;
import io.rotnet.evaluator.dataset.DatasetException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A COCO instances file ({@code annotations/instances_val2017.json}) read as a stream, so that
 * train2017's 860k annotations need no JSON tree: images, categories, and annotations with
 * polygons, uncompressed RLE ({@code counts} as numbers, used for crowds) or compressed RLE.
 * An annotation that names an unknown image or category, or whose box or segmentation is
 * malformed, is skipped and counted with its id.
 */
public final class CocoInstances {

  /** An image entry. */
  public record Image(long id, String fileName, int height, int width) {}

  /** A category entry. */
  public record Category(int id, String name) {}

  /** The segmentation as written: polygons, or an RLE (from counts or the compressed string). */
  public record Segmentation(double[][] polygons, Rle rle) {
    public Rle toRle(int height, int width) {
      if (rle != null) {
        return rle;
      }
      List<Rle> parts = new ArrayList<>();
      for (double[] polygon : polygons) {
        parts.add(Rle.fromPolygon(polygon, height, width));
      }
      return Rle.union(parts);
    }
  }

  /** An annotation: box {@code [x, y, w, h]}, area from the file, crowd flag, segmentation or null. */
  public record Annotation(long id, long imageId, int categoryId, double[] bbox, double area, boolean crowd,
      Segmentation segmentation) {}

  private final Map<Long, Image> images;
  private final Map<Integer, Category> categories;
  private final List<Annotation> annotations;
  private final Problems problems;

  private CocoInstances(Map<Long, Image> images, Map<Integer, Category> categories, List<Annotation> annotations,
      Problems problems) {
    this.images = images;
    this.categories = categories;
    this.annotations = annotations;
    this.problems = problems;
  }

  public static CocoInstances read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException("COCO annotation file " + file + " does not exist");
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(reader, file.toString());
    } catch (IOException e) {
      throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static CocoInstances read(Reader source, String name) throws IOException {
    Map<Long, Image> images = new LinkedHashMap<>();
    Map<Integer, Category> categories = new LinkedHashMap<>();
    List<RawAnnotation> raw = new ArrayList<>();
    Problems problems = new Problems(name);
    JsonReader in = new JsonReader(source);
    try {
      in.beginObject();
      while (in.hasNext()) {
        switch (in.nextName()) {
          case "images" -> {
            in.beginArray();
            while (in.hasNext()) {
              Image image = readImage(in, name);
              images.put(image.id(), image);
            }
            in.endArray();
          }
          case "categories" -> {
            in.beginArray();
            while (in.hasNext()) {
              Category category = readCategory(in);
              categories.put(category.id(), category);
            }
            in.endArray();
          }
          case "annotations" -> {
            in.beginArray();
            while (in.hasNext()) {
              raw.add(readAnnotation(in, problems));
            }
            in.endArray();
          }
          default -> in.skipValue();
        }
      }
      in.endObject();
    } catch (IllegalStateException | JsonParseException | NumberFormatException
        | com.google.gson.stream.MalformedJsonException | java.io.EOFException e) {
      throw new DatasetException(name + ": malformed COCO json at " + in.getPath() + ": " + e.getMessage(), e);
    }
    List<Annotation> annotations = new ArrayList<>();
    for (RawAnnotation r : raw) {
      if (r == null) {
        continue;
      }
      Image image = images.get(r.imageId);
      if (image == null) {
        problems.skip("annotation " + r.id + ": unknown image_id " + r.imageId);
      } else if (!categories.containsKey(r.categoryId)) {
        problems.skip("annotation " + r.id + " (image " + r.imageId + "): unknown category_id " + r.categoryId);
      } else if (r.bbox == null || r.bbox.length != 4 || r.bbox[2] < 0 || r.bbox[3] < 0) {
        problems.skip("annotation " + r.id + " (image " + r.imageId + "): bbox must be [x, y, w, h] with w, h >= 0");
      } else {
        try {
          Segmentation seg = r.segmentation(image);
          annotations.add(new Annotation(r.id, r.imageId, r.categoryId, r.bbox, r.area, r.crowd, seg));
        } catch (IllegalArgumentException e) {
          problems.skip("annotation " + r.id + " (image " + r.imageId + "): bad segmentation: " + e.getMessage());
        }
      }
    }
    return new CocoInstances(images, categories, annotations, problems);
  }

  private static Image readImage(JsonReader in, String name) throws IOException {
    long id = -1;
    String file = null;
    int height = 0;
    int width = 0;
    in.beginObject();
    while (in.hasNext()) {
      switch (in.nextName()) {
        case "id" -> id = in.nextLong();
        case "file_name" -> file = in.nextString();
        case "height" -> height = in.nextInt();
        case "width" -> width = in.nextInt();
        default -> in.skipValue();
      }
    }
    in.endObject();
    if (id < 0 || height <= 0 || width <= 0) {
      throw new DatasetException(name + ": image entry " + in.getPath() + " needs id, height and width (id " + id + ")");
    }
    return new Image(id, file, height, width);
  }

  private static Category readCategory(JsonReader in) throws IOException {
    int id = -1;
    String label = null;
    in.beginObject();
    while (in.hasNext()) {
      switch (in.nextName()) {
        case "id" -> id = in.nextInt();
        case "name" -> label = in.nextString();
        default -> in.skipValue();
      }
    }
    in.endObject();
    return new Category(id, label);
  }

  /** The fields of one annotation before they are checked against the images. */
  private static final class RawAnnotation {
    long id = -1;
    long imageId = -1;
    int categoryId = -1;
    double[] bbox;
    double area = -1;
    boolean crowd;
    double[][] polygons;
    long[] counts;
    String compressed;
    int[] size;

    Segmentation segmentation(Image image) {
      if (polygons != null) {
        for (double[] p : polygons) {
          if (p.length < 6 || p.length % 2 != 0) {
            throw new IllegalArgumentException("a polygon needs at least 3 (x, y) points, got " + p.length + " numbers");
          }
        }
        return new Segmentation(polygons, null);
      }
      if (counts == null && compressed == null) {
        return null;
      }
      int h = size != null ? size[0] : image.height();
      int w = size != null ? size[1] : image.width();
      if (h != image.height() || w != image.width()) {
        throw new IllegalArgumentException("RLE size " + h + "x" + w + " differs from the image's "
            + image.height() + "x" + image.width());
      }
      Rle rle = counts != null ? new Rle(h, w, counts) : Rle.fromCompressedString(compressed, h, w);
      return new Segmentation(null, rle);
    }
  }

  private static RawAnnotation readAnnotation(JsonReader in, Problems problems) throws IOException {
    RawAnnotation a = new RawAnnotation();
    in.beginObject();
    while (in.hasNext()) {
      switch (in.nextName()) {
        case "id" -> a.id = in.nextLong();
        case "image_id" -> a.imageId = in.nextLong();
        case "category_id" -> a.categoryId = in.nextInt();
        case "bbox" -> a.bbox = readNumbers(in);
        case "area" -> a.area = in.nextDouble();
        case "iscrowd" -> a.crowd = in.peek() == JsonToken.BOOLEAN ? in.nextBoolean() : in.nextInt() != 0;
        case "segmentation" -> readSegmentation(in, a);
        default -> in.skipValue();
      }
    }
    in.endObject();
    return a;
  }

  private static void readSegmentation(JsonReader in, RawAnnotation a) throws IOException {
    if (in.peek() == JsonToken.BEGIN_ARRAY) {
      List<double[]> polygons = new ArrayList<>();
      in.beginArray();
      while (in.hasNext()) {
        polygons.add(readNumbers(in));
      }
      in.endArray();
      a.polygons = polygons.toArray(new double[0][]);
      return;
    }
    in.beginObject();
    while (in.hasNext()) {
      switch (in.nextName()) {
        case "size" -> {
          double[] s = readNumbers(in);
          a.size = new int[] {(int) s[0], (int) s[1]};
        }
        case "counts" -> {
          if (in.peek() == JsonToken.STRING) {
            a.compressed = in.nextString();
          } else {
            double[] c = readNumbers(in);
            a.counts = new long[c.length];
            for (int i = 0; i < c.length; i++) {
              a.counts[i] = (long) c[i];
            }
          }
        }
        default -> in.skipValue();
      }
    }
    in.endObject();
  }

  static double[] readNumbers(JsonReader in) throws IOException {
    List<Double> values = new ArrayList<>();
    in.beginArray();
    while (in.hasNext()) {
      values.add(in.nextDouble());
    }
    in.endArray();
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  public Map<Long, Image> images() {
    return images;
  }

  public Map<Integer, Category> categories() {
    return categories;
  }

  public List<Annotation> annotations() {
    return annotations;
  }

  /** What was skipped, with reasons. */
  public Problems problems() {
    return problems;
  }

  public long[] imageIds() {
    return images.keySet().stream().mapToLong(Long::longValue).toArray();
  }

  public int[] categoryIds() {
    return categories.keySet().stream().mapToInt(Integer::intValue).toArray();
  }

  /** The ground truth as {@link CocoEval} takes it; masks are rasterised only when asked for. */
  public List<CocoEval.Annotation> groundTruth(boolean withMasks) {
    List<CocoEval.Annotation> out = new ArrayList<>(annotations.size());
    for (Annotation a : annotations) {
      Image image = images.get(a.imageId());
      Rle mask = null;
      if (withMasks) {
        if (a.segmentation() == null) {
          throw new DatasetException("annotation " + a.id() + " (image " + a.imageId() + ") has no segmentation");
        }
        mask = a.segmentation().toRle(image.height(), image.width());
      }
      out.add(new CocoEval.Annotation(a.id(), a.imageId(), a.categoryId(), a.bbox(), a.area(), a.crowd(), mask));
    }
    return out;
  }
}
