package io.rotnet.dense.scenes;

import com.google.gson.stream.JsonWriter;
import io.rotnet.dense.metrics.Rle;
import io.rotnet.dense.scenes.SceneGenerator.Scene;
import io.rotnet.dense.scenes.SceneGenerator.SceneObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes scenes so that the readers of real data serve them:
 *
 * <pre>
 * DIR/VOC2012/JPEGImages/scene_000000.jpg
 *            /Annotations/*.xml                    boxes (1-based), difficult if under 64 px visible
 *            /SegmentationClass/*.png               palette, 0 background, 1..K, 255 border
 *            /SegmentationClassAug/*.png            gray, for the images of aug.txt
 *            /SegmentationObject/*.png              palette, instance 1..n, 255 border
 *            /ImageSets/Segmentation/{train,aug,val}.txt
 *            /ImageSets/Main/{trainval,test}.txt
 *            /classes.txt                           the object classes (not VOC's 20)
 * DIR/annotations/instances_{train,val}2017.json    COCO, compressed RLE masks
 * DIR/{train,val}2017/*.jpg                         the same JPEGs (hard links where possible)
 * </pre>
 *
 * The last fifth of the scenes (at least one) is the test / val split; of the training scenes,
 * every second one is listed in aug.txt with its label in SegmentationClassAug only.
 */
public final class SceneWriter {
  static final int DIFFICULT_AREA = 64;

  private final SceneGenerator generator;

  SceneWriter(SceneGenerator generator) {
    this.generator = generator;
  }

  /** What was written. */
  public record Summary(Path root, int train, int test, int objects, List<String> classes) {}

  public Summary write(Path out) throws IOException {
    Path voc = out.resolve("VOC2012");
    for (String dir : new String[] {"JPEGImages", "Annotations", "SegmentationClass", "SegmentationClassAug",
        "SegmentationObject", "ImageSets/Segmentation", "ImageSets/Main"}) {
      Files.createDirectories(voc.resolve(dir));
    }
    Files.createDirectories(out.resolve("annotations"));
    Files.createDirectories(out.resolve("train2017"));
    Files.createDirectories(out.resolve("val2017"));
    List<String> classes = generator.classNames();
    Files.write(voc.resolve("classes.txt"), classes, StandardCharsets.UTF_8);
    int n = generator.images();
    int test = Math.max(1, n / 5);
    int train = n - test;
    List<String> segTrain = new ArrayList<>();
    List<String> segAug = new ArrayList<>();
    List<String> trainIds = new ArrayList<>();
    List<String> testIds = new ArrayList<>();
    int objects = 0;
    try (CocoJson cocoTrain = new CocoJson(out.resolve("annotations/instances_train2017.json"), classes);
        CocoJson cocoVal = new CocoJson(out.resolve("annotations/instances_val2017.json"), classes)) {
      for (int i = 0; i < n; i++) {
        Scene scene = generator.scene(i);
        boolean training = i < train;
        int w = scene.image().getWidth();
        int h = scene.image().getHeight();
        Path jpeg = voc.resolve("JPEGImages").resolve(scene.id() + ".jpg");
        writeJpeg(scene, jpeg);
        link(jpeg, out.resolve(training ? "train2017" : "val2017").resolve(scene.id() + ".jpg"));
        boolean aug = training && i % 2 == 1;
        if (aug) {
          SceneGenerator.writeLabels(voc.resolve("SegmentationClassAug").resolve(scene.id() + ".png"), w, h,
              scene.classMap(), false);
          segAug.add(scene.id());
        } else {
          SceneGenerator.writeLabels(voc.resolve("SegmentationClass").resolve(scene.id() + ".png"), w, h,
              scene.classMap(), true);
          if (training) {
            segTrain.add(scene.id());
          }
        }
        SceneGenerator.writeLabels(voc.resolve("SegmentationObject").resolve(scene.id() + ".png"), w, h,
            scene.objectMap(), true);
        Files.writeString(voc.resolve("Annotations").resolve(scene.id() + ".xml"), xml(scene, classes));
        (training ? trainIds : testIds).add(scene.id());
        (training ? cocoTrain : cocoVal).add(i + 1, scene);
        objects += scene.objects().size();
      }
    }
    Path sets = voc.resolve("ImageSets");
    Files.write(sets.resolve("Segmentation/train.txt"), segTrain);
    Files.write(sets.resolve("Segmentation/aug.txt"), segAug);
    Files.write(sets.resolve("Segmentation/val.txt"), testIds);
    Files.write(sets.resolve("Main/trainval.txt"), trainIds);
    Files.write(sets.resolve("Main/test.txt"), testIds);
    return new Summary(out, train, test, objects, classes);
  }

  private static void writeJpeg(Scene scene, Path file) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(0.95f);
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(scene.image(), null, null), param);
    } finally {
      writer.dispose();
    }
  }

  private static void link(Path existing, Path link) throws IOException {
    Files.deleteIfExists(link);
    try {
      Files.createLink(link, existing);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(existing, link);
    }
  }

  static String xml(Scene scene, List<String> classes) {
    StringBuilder s = new StringBuilder();
    s.append("<annotation>\n  <folder>VOC2012</folder>\n  <filename>").append(scene.id()).append(".jpg</filename>\n");
    s.append("  <size><width>").append(scene.image().getWidth()).append("</width><height>")
        .append(scene.image().getHeight()).append("</height><depth>3</depth></size>\n");
    for (SceneObject o : scene.objects()) {
      s.append("  <object>\n    <name>").append(classes.get(o.label())).append("</name>\n");
      s.append("    <difficult>").append(o.area() < DIFFICULT_AREA ? 1 : 0).append("</difficult>\n");
      s.append(String.format(Locale.ROOT,
          "    <bndbox><xmin>%d</xmin><ymin>%d</ymin><xmax>%d</xmax><ymax>%d</ymax></bndbox>%n",
          o.x1() + 1, o.y1() + 1, o.x2() + 1, o.y2() + 1));
      s.append("  </object>\n");
    }
    return s.append("</annotation>\n").toString();
  }

  /** A COCO instances file written as a stream: images and annotations as they come. */
  private static final class CocoJson implements AutoCloseable {
    private final Writer file;
    private final JsonWriter json;
    private final List<String> classes;
    private final List<Object[]> annotations = new ArrayList<>();
    private long nextId = 1;

    CocoJson(Path path, List<String> classes) throws IOException {
      this.file = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
      this.json = new JsonWriter(file);
      this.classes = classes;
      json.beginObject();
      json.name("images").beginArray();
    }

    void add(long imageId, Scene scene) throws IOException {
      int w = scene.image().getWidth();
      int h = scene.image().getHeight();
      json.beginObject().name("id").value(imageId).name("file_name").value(scene.id() + ".jpg")
          .name("height").value(h).name("width").value(w).endObject();
      for (SceneObject o : scene.objects()) {
        Rle rle = SceneGenerator.rle(o, w, h);
        annotations.add(new Object[] {nextId++, imageId, o.label() + 1, o, rle.toCompressedString(), h, w});
      }
    }

    @Override
    public void close() throws IOException {
      json.endArray();
      json.name("categories").beginArray();
      for (int c = 0; c < classes.size(); c++) {
        json.beginObject().name("id").value(c + 1).name("name").value(classes.get(c)).endObject();
      }
      json.endArray();
      json.name("annotations").beginArray();
      for (Object[] a : annotations) {
        SceneObject o = (SceneObject) a[3];
        json.beginObject().name("id").value((long) a[0]).name("image_id").value((long) a[1])
            .name("category_id").value((int) a[2]).name("iscrowd").value(0).name("area").value(o.area());
        json.name("bbox").beginArray().value(o.x1()).value(o.y1()).value(o.x2() - o.x1() + 1)
            .value(o.y2() - o.y1() + 1).endArray();
        json.name("segmentation").beginObject().name("size").beginArray().value((int) a[5]).value((int) a[6])
            .endArray().name("counts").value((String) a[4]).endObject();
        json.endObject();
      }
      json.endArray();
      json.endObject();
      json.close();
      file.close();
    }
  }

}
