package io.rotnet.dense.data;

import io.rotnet.evaluator.dataset.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * PASCAL VOC detection in the devkit layout, read as mmdet's {@code XMLDataset}:
 * {@code VOC<year>/JPEGImages/<id>.jpg}, {@code Annotations/<id>.xml} and
 * {@code ImageSets/Main/{trainval,test}.txt}. Boxes are read as {@code int(float(text))}, 1-based
 * and without -1 (the +1 lives in the metric); {@code difficult} boxes are kept flagged (ignored
 * by training and by the metric); objects of other classes are left out.
 *
 * <p>The root is either a devkit holding {@code VOC2007} (and {@code VOC2012}): training on 2007
 * trainval + 2012 trainval (16551 images in full), testing on 2007 test (4952), as the
 * references' {@code voc0712} config; or one year's folder with both lists (e.g. synthetic
 * scenes). A {@code classes.txt} in the year folder replaces VOC's 20 classes. A malformed XML (its line named), a missing file or a bad box skips the image and is
 * counted.
 */
public final class VocDetection {

  /** One object; coordinates as in the XML. */
  public record VocObject(int label, int x1, int y1, int x2, int y2, boolean difficult) {}

  /** One image with its objects. */
  public record VocImage(String id, Path image, int width, int height, List<VocObject> objects) {}

  private final String name;
  private final List<String> classes;
  private final List<VocImage> train;
  private final List<VocImage> test;
  private final Problems problems;

  private VocDetection(String name, List<String> classes, List<VocImage> train, List<VocImage> test, Problems problems) {
    this.name = name;
    this.classes = classes;
    this.train = train;
    this.test = test;
    this.problems = problems;
  }

  public static VocDetection open(String name, Path root) {
    Problems problems = new Problems(name);
    List<VocImage> train = new ArrayList<>();
    List<VocImage> test;
    List<String> classes;
    if (Files.isDirectory(root.resolve("VOC2007"))) {
      classes = VocClasses.objectsOf(root.resolve("VOC2007"));
      train.addAll(split(root.resolve("VOC2007"), "trainval", classes, problems));
      if (Files.isDirectory(root.resolve("VOC2012"))) {
        train.addAll(split(root.resolve("VOC2012"), "trainval", classes, problems));
      }
      test = split(root.resolve("VOC2007"), "test", classes, problems);
    } else {
      Path year = yearFolder(root);
      classes = VocClasses.objectsOf(year);
      train.addAll(split(year, "trainval", classes, problems));
      test = split(year, "test", classes, problems);
    }
    if (train.isEmpty() || test.isEmpty()) {
      throw new DatasetException("voc0712 dataset " + root + " has " + train.size() + " usable training and "
          + test.size() + " test images (" + problems + ")");
    }
    return new VocDetection(name, classes, List.copyOf(train), List.copyOf(test), problems);
  }

  private static Path yearFolder(Path root) {
    if (Files.isDirectory(root.resolve("ImageSets/Main"))) {
      return root;
    }
    try (var entries = Files.list(root)) {
      List<Path> years = entries.filter(p -> Files.isDirectory(p.resolve("ImageSets/Main"))).sorted().toList();
      if (years.size() == 1) {
        return years.get(0);
      }
    } catch (IOException e) {
      throw new DatasetException("cannot list " + root + ": " + e.getMessage(), e);
    }
    throw new DatasetException("voc0712 dataset " + root + " holds neither VOC2007/ nor one VOC folder with ImageSets/Main");
  }

  private static List<VocImage> split(Path voc, String split, List<String> classes, Problems problems) {
    ListFile list = ListFile.read(voc.resolve("ImageSets/Main").resolve(split + ".txt"));
    DocumentBuilder xml = newBuilder();
    List<VocImage> out = new ArrayList<>();
    for (int i = 0; i < list.ids().size(); i++) {
      String id = list.ids().get(i);
      Path image = voc.resolve("JPEGImages").resolve(id + ".jpg");
      Path annotation = voc.resolve("Annotations").resolve(id + ".xml");
      if (!Files.isRegularFile(image)) {
        problems.skip(list.where(i) + ": missing " + image);
        continue;
      }
      if (!Files.isRegularFile(annotation)) {
        problems.skip(list.where(i) + ": missing " + annotation);
        continue;
      }
      try {
        out.add(parse(xml, id, image, annotation, classes));
      } catch (SAXParseException e) {
        problems.skip(annotation + " line " + e.getLineNumber() + ": " + e.getMessage());
      } catch (SAXException | IOException | IllegalArgumentException e) {
        problems.skip(annotation + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static DocumentBuilder newBuilder() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
        @Override
        public void fatalError(SAXParseException e) throws SAXException {
          throw e; // reported with its line by the caller, not printed
        }
      });
      return builder;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  static VocImage parse(DocumentBuilder xml, String id, Path image, Path file, List<String> classes) throws SAXException, IOException {
    Document doc = xml.parse(file.toFile());
    Element root = doc.getDocumentElement();
    Element size = child(root, "size");
    int width = size == null ? 0 : (int) number(size, "width");
    int height = size == null ? 0 : (int) number(size, "height");
    List<VocObject> objects = new ArrayList<>();
    NodeList nodes = root.getElementsByTagName("object");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element object = (Element) nodes.item(i);
      String className = text(object, "name");
      int label = classes.indexOf(className == null ? "" : className.trim());
      if (label < 0) {
        continue; // mmdet leaves other classes out
      }
      String difficult = text(object, "difficult");
      Element box = child(object, "bndbox");
      if (box == null) {
        throw new IllegalArgumentException("object " + (i + 1) + " (" + className + ") has no bndbox");
      }
      int x1 = (int) number(box, "xmin");
      int y1 = (int) number(box, "ymin");
      int x2 = (int) number(box, "xmax");
      int y2 = (int) number(box, "ymax");
      if (x2 < x1 || y2 < y1) {
        throw new IllegalArgumentException("object " + (i + 1) + " (" + className + ") has box ["
            + x1 + ", " + y1 + ", " + x2 + ", " + y2 + "] with max < min");
      }
      objects.add(new VocObject(label, x1, y1, x2, y2, difficult != null && Integer.parseInt(difficult.trim()) != 0));
    }
    return new VocImage(id, image, width, height, List.copyOf(objects));
  }

  private static Element child(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? null : (Element) nodes.item(0);
  }

  private static String text(Element parent, String tag) {
    Element e = child(parent, tag);
    return e == null ? null : e.getTextContent();
  }

  private static double number(Element parent, String tag) {
    String t = text(parent, tag);
    if (t == null) {
      throw new IllegalArgumentException("<" + parent.getTagName() + "> has no <" + tag + ">");
    }
    try {
      return Double.parseDouble(t.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("<" + tag + "> is not a number: '" + t.trim() + "'");
    }
  }

  public String name() {
    return name;
  }

  /** The object classes (label i is classes().get(i)). */
  public List<String> classes() {
    return classes;
  }

  public List<VocImage> train() {
    return train;
  }

  public List<VocImage> test() {
    return test;
  }

  public Problems problems() {
    return problems;
  }
}
