package io.rotnet.evaluator.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Low-shot draws read from the reference's own sample files, for comparisons draw for draw:
 * MMSelfSup's {@code create_voc_low_shot_challenge_samples.py} (from the FAIR self-supervision
 * benchmark) writes one {@code <prefix>_sample<S>_k<K>.json} per sample S (1-based) and k, mapping
 * each training image id to {class name: 1 (drawn positive), 0 (drawn negative), -1 (not drawn)}.
 * Images are matched to training rows by id (a VOC image's file name without {@code .jpg}).
 */
public final class LowShotSamples {
  private static final Pattern FILE = Pattern.compile(".*_sample(\\d+)_k(\\d+)\\.json");

  private final Map<Long, int[][][]> draws;

  private LowShotSamples(Map<Long, int[][][]> draws) {
    this.draws = draws;
  }

  /**
   * Reads every sample file of a directory.
   *
   * @param trainIds the id of each training row, in row order
   * @param classNames the classes, in the targets' order
   */
  public static LowShotSamples read(Path dir, List<String> trainIds, List<String> classNames) throws IOException {
    Map<String, Integer> rowOf = new HashMap<>();
    for (int i = 0; i < trainIds.size(); i++) {
      rowOf.put(trainIds.get(i), i);
    }
    Map<Long, int[][][]> draws = new HashMap<>();
    ObjectMapper mapper = new ObjectMapper();
    List<Path> files;
    try (Stream<Path> entries = Files.list(dir)) {
      files = entries.filter(p -> FILE.matcher(p.getFileName().toString()).matches()).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException(dir + " has no <prefix>_sample<S>_k<K>.json low-shot sample files");
    }
    for (Path file : files) {
      Matcher m = FILE.matcher(file.getFileName().toString());
      m.matches();
      int sample = Integer.parseInt(m.group(1));
      int k = Integer.parseInt(m.group(2));
      if (draws.put(key(sample - 1, k), parse(mapper.readTree(file.toFile()), file, rowOf, classNames)) != null) {
        throw new IOException(dir + " has two sample files for sample " + sample + ", k=" + k);
      }
    }
    return new LowShotSamples(draws);
  }

  private static int[][][] parse(JsonNode root, Path file, Map<String, Integer> rowOf, List<String> classNames)
      throws IOException {
    if (root == null || !root.isObject()) {
      throw new IOException(file + " is not a JSON object of image ids");
    }
    List<List<Integer>> positives = new ArrayList<>();
    List<List<Integer>> negatives = new ArrayList<>();
    for (int c = 0; c < classNames.size(); c++) {
      positives.add(new ArrayList<>());
      negatives.add(new ArrayList<>());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      Integer row = rowOf.get(entry.getKey());
      if (row == null) {
        throw new IOException(file + " lists image " + entry.getKey() + ", which is not in the training split");
      }
      for (int c = 0; c < classNames.size(); c++) {
        JsonNode flag = entry.getValue().get(classNames.get(c));
        if (flag == null || !flag.isInt() || flag.asInt() < -1 || flag.asInt() > 1) {
          throw new IOException(file + ": image " + entry.getKey() + " needs " + classNames.get(c) + ": 1, 0 or -1");
        }
        if (flag.asInt() == 1) {
          positives.get(c).add(row);
        } else if (flag.asInt() == 0) {
          negatives.get(c).add(row);
        }
      }
    }
    // rows in training order, so that a draw does not depend on the file's key order
    int[][][] draw = new int[classNames.size()][2][];
    for (int c = 0; c < classNames.size(); c++) {
      draw[c][0] = positives.get(c).stream().mapToInt(Integer::intValue).sorted().toArray();
      draw[c][1] = negatives.get(c).stream().mapToInt(Integer::intValue).sorted().toArray();
    }
    return draw;
  }

  private static long key(int sample, int k) {
    return ((long) sample << 32) | k;
  }

  /** The drawn positive rows of a class for sample (0-based) and k. */
  int[] positives(int sample, int k, int classIndex) {
    return draw(sample, k)[classIndex][0];
  }

  /** The drawn negative rows of a class for sample (0-based) and k. */
  int[] negatives(int sample, int k, int classIndex) {
    return draw(sample, k)[classIndex][1];
  }

  /** Fails early, naming the file, when a sample the benchmark needs is missing. */
  void check(int samples, int[] shots, int classes) {
    for (int s = 0; s < samples; s++) {
      for (int k : shots) {
        if (draw(s, k).length != classes) {
          throw new IllegalArgumentException("low-shot sample " + (s + 1) + ", k=" + k + " has "
              + draw(s, k).length + " classes, the targets " + classes);
        }
      }
    }
  }

  private int[][][] draw(int sample, int k) {
    int[][][] draw = draws.get(key(sample, k));
    if (draw == null) {
      throw new IllegalArgumentException("no low-shot sample file for sample " + (sample + 1) + ", k=" + k
          + " (expected <prefix>_sample" + (sample + 1) + "_k" + k + ".json)");
    }
    return draw;
  }
}
