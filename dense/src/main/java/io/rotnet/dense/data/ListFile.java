package io.rotnet.dense.data;

import io.rotnet.evaluator.dataset.DatasetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An image-set list ({@code ImageSets/.../train.txt}): one image id a line, first token only. */
record ListFile(Path file, List<String> ids, List<Integer> lines) {

  static ListFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException("image list " + file + " is missing");
    }
    List<String> ids = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < all.size(); i++) {
        String line = all.get(i).trim();
        if (!line.isEmpty()) {
          ids.add(line.split("\\s+")[0]);
          lines.add(i + 1);
        }
      }
    } catch (IOException e) {
      throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new ListFile(file, ids, lines);
  }

  /** {@code file line N: id X} for messages. */
  String where(int index) {
    return file + " line " + lines.get(index) + " (" + ids.get(index) + ")";
  }
}
