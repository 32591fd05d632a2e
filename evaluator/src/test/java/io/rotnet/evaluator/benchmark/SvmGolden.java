package io.rotnet.evaluator.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The golden fixture in {@code src/test/resources/svm-golden}: features of all five taps of a
 * checkpoint of this project (resnet18-w16 at 32 px, pretrained 120 steps on 250 CIFAR-10 training
 * images), on those 250 images and 100 test images (25 and 10 per class), stored as bfloat16, and
 * scikit-learn's results on them, made by {@code src/test/python/svm_golden.py}.
 */
final class SvmGolden {
  static final List<String> TAPS = List.of("feature1", "feature2", "feature3", "feature4", "feature5");
  private static final String ROOT = "/svm-golden/";

  final JsonNode reference;
  final List<String> classes = new ArrayList<>();
  final MultiLabelTargets train;
  final MultiLabelTargets test;

  private SvmGolden(JsonNode reference) {
    this.reference = reference;
    reference.get("classes").forEach(c -> classes.add(c.asText()));
    train = MultiLabelTargets.oneVsRest(ints(reference.get("trainLabels")), classes);
    test = MultiLabelTargets.oneVsRest(ints(reference.get("testLabels")), classes);
  }

  static SvmGolden load() {
    try (InputStream in = SvmGolden.class.getResourceAsStream(ROOT + "reference.json")) {
      return new SvmGolden(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TapFeatures tap(String tap) {
    int dims = reference.get("dims").get(tap).asInt();
    return new TapFeatures(tap, matrix("train-" + tap, train.size(), dims), matrix("test-" + tap, test.size(), dims));
  }

  List<String> trainIds() {
    List<String> ids = new ArrayList<>();
    reference.get("trainIds").forEach(id -> ids.add(id.asText()));
    return ids;
  }

  Path lowShotDir() {
    try {
      return Path.of(SvmGolden.class.getResource(ROOT + "lowshot").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  double[] costs() {
    return doubles(reference.get("costs"));
  }

  private static FeatureMatrix matrix(String name, int rows, int dims) {
    try (InputStream in = new GZIPInputStream(SvmGolden.class.getResourceAsStream(ROOT + name + ".bf16.gz"))) {
      byte[] bytes = new DataInputStream(in).readAllBytes();
      if (bytes.length != 2 * rows * dims) {
        throw new IllegalStateException(name + " holds " + bytes.length + " bytes, expected " + 2 * rows * dims);
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      float[] data = new float[rows * dims];
      for (int i = 0; i < data.length; i++) {
        data[i] = Float.intBitsToFloat((buffer.getShort() & 0xffff) << 16);
      }
      return FeatureMatrix.wrap(rows, dims, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }
}
