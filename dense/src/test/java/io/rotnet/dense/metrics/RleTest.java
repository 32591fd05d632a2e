package io.rotnet.dense.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RleTest {

  @Test
  void polygonsRasteriseAsPycocotoolsDoes() throws Exception {
    try (var in = new InputStreamReader(RleTest.class.getResourceAsStream("/golden/rle-polygons.json"), StandardCharsets.UTF_8)) {
      for (JsonElement e : JsonParser.parseReader(in).getAsJsonArray()) {
        JsonObject c = e.getAsJsonObject();
        double[] poly = c.getAsJsonArray("polygon").asList().stream().mapToDouble(JsonElement::getAsDouble).toArray();
        Rle rle = Rle.fromPolygon(poly, c.get("height").getAsInt(), c.get("width").getAsInt());
        assertThat(rle.toCompressedString()).as("polygon %s", c.get("polygon")).isEqualTo(c.get("counts").getAsString());
        assertThat(rle.area()).isEqualTo(c.get("area").getAsLong());
        double[] box = c.getAsJsonArray("bbox").asList().stream().mapToDouble(JsonElement::getAsDouble).toArray();
        assertThat(rle.boundingBox()).containsExactly(box);
      }
    }
  }

  @Test
  void anAxisAlignedRectangleCoversTheHandDerivedPixels() {
    // corners on pixel centres 2..12 x 3..9: pycocotools fills columns 2..11 and rows 3..8 (10 x 6)
    Rle rle = Rle.fromPolygon(new double[] {2, 3, 12, 3, 12, 9, 2, 9}, 20, 16);
    assertThat(rle.area()).isEqualTo(60);
    assertThat(rle.boundingBox()).containsExactly(2, 3, 10, 6);
  }

  @Test
  void encodeDecodeRoundTripAndRunWalkingIntersection() {
    Random random = new Random(5);
    int h = 13;
    int w = 17;
    for (int trial = 0; trial < 20; trial++) {
      boolean[] a = new boolean[h * w];
      boolean[] b = new boolean[h * w];
      for (int i = 0; i < a.length; i++) {
        a[i] = random.nextInt(3) == 0;
        b[i] = random.nextInt(2) == 0;
      }
      a[0] = trial % 2 == 0; // a mask may start with a one (a zero-length first run)
      Rle ra = Rle.encodeRowMajor(a, h, w);
      Rle rb = Rle.encodeRowMajor(b, h, w);
      assertThat(ra.decodeRowMajor()).isEqualTo(a);
      assertThat(Rle.fromCompressedString(ra.toCompressedString(), h, w).counts()).isEqualTo(ra.counts());
      long inter = 0;
      long areaA = 0;
      long areaB = 0;
      for (int i = 0; i < a.length; i++) {
        inter += a[i] && b[i] ? 1 : 0;
        areaA += a[i] ? 1 : 0;
        areaB += b[i] ? 1 : 0;
      }
      assertThat(ra.intersection(rb)).isEqualTo(inter);
      assertThat(ra.iou(rb, false)).isEqualTo(inter / (double) (areaA + areaB - inter));
      assertThat(ra.iou(rb, true)).isEqualTo(inter / (double) areaA);
      boolean[] or = new boolean[a.length];
      for (int i = 0; i < a.length; i++) {
        or[i] = a[i] || b[i];
      }
      assertThat(Rle.union(List.of(ra, rb)).decodeRowMajor()).isEqualTo(or);
    }
  }
}
