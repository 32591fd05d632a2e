package io.rotnet.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The seed page's published results (resource {@code seed-references.tsv}), each tied to a
 * benchmark, the names its dataset goes by, a metric, a variant ({@code k=K} of low-shot, or none)
 * and a tap (or none for a benchmark with a single headline value).
 */
final class SeedReferences {

  /** One published value. */
  record Reference(String benchmark, Set<String> datasets, String metric, String variant, String tap,
      double value, String label) {
    boolean matches(String benchmarkName, String dataset, String metricName, String variantName) {
      return benchmark.equals(benchmarkName) && datasets.contains(dataset.toLowerCase(Locale.ROOT))
          && metric.equals(metricName) && Objects.equals(variant, variantName);
    }
  }

  private final List<Reference> references;

  private SeedReferences(List<Reference> references) {
    this.references = List.copyOf(references);
  }

  static SeedReferences load() {
    try (InputStream in = SeedReferences.class.getResourceAsStream("seed-references.tsv")) {
      if (in == null) {
        throw new IllegalStateException("seed-references.tsv is missing from the classpath");
      }
      List<Reference> references = new ArrayList<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        if (f.length != 7) {
          throw new IllegalStateException("seed-references.tsv: 7 tab-separated fields expected: " + line);
        }
        references.add(new Reference(f[0], Set.of(f[1].toLowerCase(Locale.ROOT).split("\\|")), f[2],
            dash(f[3]), dash(f[4]), Double.parseDouble(f[5]), f[6]));
      }
      return new SeedReferences(references);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String dash(String field) {
    return "-".equals(field) ? null : field;
  }

  /** The references of one chart. */
  List<Reference> of(String benchmark, String dataset, String metric, String variant) {
    return references.stream().filter(r -> r.matches(benchmark, dataset, metric, variant)).toList();
  }

  List<Reference> all() {
    return references;
  }
}
