package io.rotnet.evaluator.results;

import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import io.rotnet.schemas.avro.TrainingMetrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Formats the latest results: a text table with one row per checkpoint (ordered by run and step)
 * and one column per benchmark/dataset/tap showing its headline metric (mAP for the SVMs, the
 * mean mAP for low-shot, top-1 for the probes and kNN, mIoU or AP for the dense benchmarks), or
 * every value as CSV or JSON for tools.
 */
public final class ResultsTable {
  /** The metric a column of the text table shows, first match wins. */
  private static final List<String> HEADLINE_METRICS =
      List.of("mAP", "mAP-mean", "top1", "mIoU", "AP50", "bbox_mAP", "segm_mAP");

  /** Prefix of the per-class rows of the dense benchmarks: in CSV and JSON, not as columns. */
  private static final String PER_CLASS = "class:";

  /** Prefix of the SVM row that repeats the best tap's mAP, e.g. {@code best:feature4}. */
  private static final String BEST_TAP = "best:";

  private final List<EvalResult> results;
  private final List<TrainingMetrics> runs;

  public ResultsTable(Collection<EvalResult> results, Collection<TrainingMetrics> runs) {
    this.results = new ArrayList<>(results);
    this.results.sort(Comparator.comparing(EvalResult::getRunId)
        .thenComparingLong(EvalResult::getStep)
        .thenComparing(EvalResult::getCheckpointId)
        .thenComparing(EvalResult::getBenchmark)
        .thenComparing(EvalResult::getDataset));
    this.runs = new ArrayList<>(runs);
    this.runs.sort(Comparator.comparing(TrainingMetrics::getRunId));
  }

  /** Output formats of {@code rotnet results}. */
  public enum Format {
    TABLE,
    CSV,
    JSON;

    public static Format parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("format must be table, csv or json, got '" + text + "'", e);
      }
    }
  }

  public String format(Format format) {
    switch (format) {
      case TABLE:
        return table();
      case CSV:
        return csv();
      case JSON:
        return json();
      default:
        throw new IllegalArgumentException("unknown format " + format);
    }
  }

  /** Checkpoints as rows, benchmark/dataset/tap as columns, headline metric in the cells. */
  public String table() {
    Grid grid = grid();
    StringBuilder out = new StringBuilder();
    if (grid.rows().isEmpty()) {
      out.append("no results yet\n");
    } else {
      if (grid.dataset() != null) {
        out.append("dataset: ").append(grid.dataset()).append('\n');
      }
      appendAligned(out, grid.header(), grid.rows());
      out.append(CELLS_LEGEND).append('\n');
    }
    for (TrainingMetrics run : runs) {
      if (Double.isNaN(run.getRotationAccuracy())) { // a benchmark's fine-tune, not a pretraining run
        out.append(String.format(Locale.ROOT, "fine-tuning %s: iteration %d, loss %.4f, %.1f img/s%n",
            run.getRunId(), run.getStep(), run.getLoss(), run.getImagesPerSecond()));
        continue;
      }
      out.append(String.format(Locale.ROOT,
          "training %s: step %d, epoch %d, loss %.4f, rotation accuracy %.2f%%, %.1f img/s%n",
          run.getRunId(), run.getStep(), run.getEpoch(), run.getLoss(),
          100 * run.getRotationAccuracy(), run.getImagesPerSecond()));
    }
    return out.toString();
  }

  /** What the cells of {@link #table()} show. */
  public static final String CELLS_LEGEND =
      "cells: mAP (svm), mean mAP over samples (lowshot-svm), top-1 % (linear, knn),"
          + " mIoU (segmentation), AP50 (VOC detection), box and mask mAP (COCO)";

  /**
   * The cells of {@link #table()}: header {@code checkpoint, step, <benchmark[/dataset] tap>...},
   * one row per checkpoint, {@code -} where a checkpoint has no value.
   *
   * @param dataset the one dataset of every result (then left out of the column names), or null
   */
  public record Grid(String dataset, List<String> header, List<List<String>> rows) {}

  /** The table as cells, for other renderings of the same content (e.g. a web page). */
  public Grid grid() {
    Map<String, Map<String, String>> cells = new LinkedHashMap<>();
    Map<String, String> steps = new LinkedHashMap<>();
    Set<String> columns = new LinkedHashSet<>();
    boolean oneDataset = results.stream().map(EvalResult::getDataset).distinct().count() == 1;
    for (EvalResult result : results) {
      String row = result.getCheckpointId();
      steps.put(row, Long.toString(result.getStep()));
      Map<String, String> rowCells = cells.computeIfAbsent(row, r -> new LinkedHashMap<>());
      Map<String, EvalRow> headline = headlineRows(result);
      String prefix = oneDataset ? result.getBenchmark() : result.getBenchmark() + "/" + result.getDataset();
      for (Map.Entry<String, EvalRow> entry : headline.entrySet()) {
        String tap = entry.getKey();
        String value = String.format(Locale.ROOT, "%.2f", entry.getValue().getValue());
        if (tap.startsWith(BEST_TAP)) {
          // one "best" column whose cell names the winning tap, not one column per winner
          value += " (" + tap.substring(BEST_TAP.length()) + ")";
          tap = "best";
        }
        String column = prefix + " " + tap;
        columns.add(column);
        rowCells.put(column, value);
      }
    }
    List<String> header = new ArrayList<>(List.of("checkpoint", "step"));
    header.addAll(columns);
    List<List<String>> lines = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> row : cells.entrySet()) {
      List<String> line = new ArrayList<>(List.of(row.getKey(), steps.get(row.getKey())));
      for (String column : columns) {
        line.add(row.getValue().getOrDefault(column, "-"));
      }
      lines.add(line);
    }
    String dataset = oneDataset && !results.isEmpty() ? results.get(0).getDataset() : null;
    return new Grid(dataset, List.copyOf(header), List.copyOf(lines));
  }

  /** One line per value: checkpoint, run, step, benchmark, dataset, tap, metric, value. */
  public String csv() {
    StringBuilder out = new StringBuilder("checkpoint,run,step,benchmark,dataset,tap,metric,value\n");
    for (EvalResult result : results) {
      for (EvalRow row : result.getRows()) {
        out.append(String.join(",",
                csvField(result.getCheckpointId()), csvField(result.getRunId()),
                Long.toString(result.getStep()), csvField(result.getBenchmark()),
                csvField(result.getDataset()), csvField(row.getTap()), csvField(row.getMetric()),
                number(row.getValue())))
            .append('\n');
      }
    }
    return out.toString();
  }

  /** An array of results, each with its rows. */
  public String json() {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < results.size(); i++) {
      EvalResult r = results.get(i);
      out.append(i == 0 ? "\n  " : ",\n  ")
          .append("{\"checkpoint\": ").append(jsonString(r.getCheckpointId()))
          .append(", \"run\": ").append(jsonString(r.getRunId()))
          .append(", \"step\": ").append(r.getStep())
          .append(", \"benchmark\": ").append(jsonString(r.getBenchmark()))
          .append(", \"dataset\": ").append(jsonString(r.getDataset()))
          .append(", \"startedAt\": ").append(jsonString(r.getStartedAt().toString()))
          .append(", \"finishedAt\": ").append(jsonString(r.getFinishedAt().toString()))
          .append(", \"evaluatorVersion\": ").append(jsonString(r.getEvaluatorVersion()))
          .append(", \"rows\": [");
      List<EvalRow> rows = r.getRows();
      for (int j = 0; j < rows.size(); j++) {
        EvalRow row = rows.get(j);
        out.append(j == 0 ? "" : ", ")
            .append("{\"tap\": ").append(jsonString(row.getTap()))
            .append(", \"metric\": ").append(jsonString(row.getMetric()))
            .append(", \"value\": ").append(Double.isFinite(row.getValue()) ? number(row.getValue()) : "null")
            .append('}');
      }
      out.append("]}");
    }
    out.append(results.isEmpty() ? "]\n" : "\n]\n");
    return out.toString();
  }

  /** Per tap, the row of the headline metric. */
  private static Map<String, EvalRow> headlineRows(EvalResult result) {
    Map<String, EvalRow> chosen = new LinkedHashMap<>();
    Map<String, Integer> rank = new LinkedHashMap<>();
    for (EvalRow row : result.getRows()) {
      int r = HEADLINE_METRICS.indexOf(row.getMetric());
      if (r < 0 || row.getTap().startsWith(PER_CLASS)) {
        continue;
      }
      Integer current = rank.get(row.getTap());
      if (current == null || r < current) {
        rank.put(row.getTap(), r);
        chosen.put(row.getTap(), row);
      }
    }
    return chosen;
  }

  private static void appendAligned(StringBuilder out, List<String> header, List<List<String>> lines) {
    int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = header.get(c).length();
      for (List<String> line : lines) {
        widths[c] = Math.max(widths[c], line.get(c).length());
      }
    }
    appendLine(out, header, widths);
    for (List<String> line : lines) {
      appendLine(out, line, widths);
    }
  }

  private static void appendLine(StringBuilder out, List<String> cells, int[] widths) {
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      boolean numeric = c > 0;
      String pad = " ".repeat(widths[c] - cell.length());
      out.append(c == 0 ? "" : "  ").append(numeric ? pad + cell : cell + pad);
    }
    int end = out.length();
    while (end > 0 && out.charAt(end - 1) == ' ') {
      end--;
    }
    out.setLength(end);
    out.append('\n');
  }

  private static String number(double value) {
    return Double.toString(value);
  }

  private static String csvField(String value) {
    Objects.requireNonNull(value);
    if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }

  static String jsonString(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }
}
