package io.rotnet.dense.detection.ops;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/** The golden values {@code src/test/python/detection_fixtures.py} wrote from the references. */
final class Fixtures {

  private Fixtures() {}

  static JsonObject load(String name) {
    try (Reader in =
        new InputStreamReader(
            Fixtures.class.getResourceAsStream("/detection/fixtures.json"),
            StandardCharsets.UTF_8)) {
      return JsonParser.parseReader(in).getAsJsonObject().getAsJsonObject(name);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static float[] floats(JsonObject o, String key) {
    JsonArray a = o.getAsJsonArray(key);
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsFloat();
    }
    return out;
  }
}
