package io.rotnet.dense.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.rotnet.dense.data.CocoInstances;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** COCOeval's 12 numbers on fixtures pycocotools produced (src/test/python/make_coco_golden.py). */
class CocoEvalGoldenTest {

  static JsonObject fixture(String name) throws Exception {
    try (var in = new InputStreamReader(CocoEvalGoldenTest.class.getResourceAsStream("/golden/" + name),
        StandardCharsets.UTF_8)) {
      return JsonParser.parseReader(in).getAsJsonObject();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"coco-random.json", "coco-dense.json", "coco-mmdet-maxdets.json"})
  void bboxAndSegmStatsEqualPycocotools(String name) throws Exception {
    JsonObject f = fixture(name);
    CocoInstances gt = CocoInstances.read(new StringReader(f.get("gt").toString()), name);
    assertThat(gt.problems().count()).isZero();
    int[] maxDets = new int[3];
    for (int i = 0; i < 3; i++) {
      maxDets[i] = f.getAsJsonArray("maxDets").get(i).getAsInt();
    }
    for (CocoEval.IouType type : CocoEval.IouType.values()) {
      boolean segm = type == CocoEval.IouType.SEGM;
      List<CocoEval.Detection> dets = new ArrayList<>();
      for (JsonElement e : f.getAsJsonArray(segm ? "segm" : "bbox")) {
        JsonObject d = e.getAsJsonObject();
        long image = d.get("image_id").getAsLong();
        Rle mask = null;
        double[] box = null;
        if (segm) {
          JsonObject s = d.getAsJsonObject("segmentation");
          JsonArray size = s.getAsJsonArray("size");
          mask = Rle.fromCompressedString(s.get("counts").getAsString(), size.get(0).getAsInt(), size.get(1).getAsInt());
          assertThat(mask.toCompressedString()).isEqualTo(s.get("counts").getAsString());
        } else {
          JsonArray b = d.getAsJsonArray("bbox");
          box = new double[] {b.get(0).getAsDouble(), b.get(1).getAsDouble(), b.get(2).getAsDouble(), b.get(3).getAsDouble()};
        }
        dets.add(new CocoEval.Detection(image, d.get("category_id").getAsInt(), box, d.get("score").getAsDouble(), mask));
      }
      CocoEval.Stats stats = new CocoEval(type, maxDets).evaluate(gt.groundTruth(segm), dets, gt.imageIds(), gt.categoryIds());
      JsonArray expected = f.getAsJsonArray(segm ? "stats_segm" : "stats_bbox");
      for (int i = 0; i < 12; i++) {
        assertThat(stats.get(i)).as("%s %s %s", name, type, CocoEval.Stats.NAMES[i])
            .isCloseTo(expected.get(i).getAsDouble(), within(1e-6));
      }
    }
  }
}
