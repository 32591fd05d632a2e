package io.rotnet.producer.bench;

import java.util.List;
import java.util.Locale;

/**
 * Figures of one {@code rotnet bench producer} run.
 *
 * @param decodeMillis mean time per image to read and decode the whole image to RGB, one thread
 * @param regionDecodeMillis the same for only the crop's region, as the producer decodes
 * @param augmentMillis mean time per image for crop, resize, flip and the four rotations
 * @param serializeMillis mean time per image to encode and Avro-serialize the four records
 * @param fullPathSplit where the one-worker full path spends its CPU time, per image
 * @param sendOnly serializing and sending prepared records, acknowledged: the transport alone
 * @param decodeOnly decode-only runs with 1 and 2 threads
 * @param fullPath full-path runs (decode, augment, serialize, send, acknowledged) with 1 and 2 workers
 * @param decoders decode-only runs per decoder backend, one thread
 * @param cmyk decode runs of one CMYK JPEG per decoder backend
 */
public record ProducerBenchResult(
    String imagesDescription,
    int size,
    String encoding,
    String compression,
    int cores,
    double decodeMillis,
    double regionDecodeMillis,
    double augmentMillis,
    double serializeMillis,
    ThreadSplit fullPathSplit,
    Measurement sendOnly,
    List<Measurement> decodeOnly,
    List<Measurement> fullPath,
    List<Measurement> decoders,
    List<Measurement> cmyk) {

  /** Full path over decode-only, one worker, wall-clock images per second. */
  public double ratio() {
    return fullPath.get(0).imagesPerSecond() / decodeOnly.get(0).imagesPerSecond();
  }

  /**
   * The same ratio per CPU-second of the producer's own threads (per core, so neither idle cores
   * nor the embedded broker sharing this process count). This is the P3 figure.
   */
  public double ratioPerCore() {
    return fullPath.get(0).imagesPerOwnCpuSecond() / decodeOnly.get(0).imagesPerOwnCpuSecond();
  }

  /** The ratio per CPU-second of the whole process, embedded broker, GC and JIT included. */
  public double ratioPerProcessCpu() {
    return fullPath.get(0).imagesPerProcessCpuSecond() / decodeOnly.get(0).imagesPerProcessCpuSecond();
  }

  /**
   * CPU per image of the transport alone over that of decode-only. A per-core ratio of 0.80
   * leaves 0.25 decodes for everything the full path adds to decoding.
   */
  public double transportPerDecode() {
    return decodeOnly.get(0).imagesPerOwnCpuSecond() / sendOnly.imagesPerOwnCpuSecond();
  }

  /** Full-path throughput with 2 workers over 1 worker. */
  public double fullPathScaling() {
    return fullPath.get(1).imagesPerSecond() / fullPath.get(0).imagesPerSecond();
  }

  public double decodeScaling() {
    return decodeOnly.get(1).imagesPerSecond() / decodeOnly.get(0).imagesPerSecond();
  }

  /** A plain-text report for the terminal and for docs/BENCHMARKS.md. */
  public String report() {
    StringBuilder out = new StringBuilder();
    double stages = regionDecodeMillis + augmentMillis + serializeMillis;
    out.append(
        String.format(
            Locale.ROOT,
            "P3 producer: %s; crops %dx%d, %s, %s compression, %d core(s)%n%n",
            imagesDescription, size, size, encoding, compression, cores));
    out.append("Per-image stages, one thread          ms/image   share\n");
    appendStage(out, "read + decode crop region to RGB", regionDecodeMillis, stages);
    appendStage(out, "resize + flip + 4 rotations", augmentMillis, stages);
    appendStage(out, "encode + Avro-serialize 4 records", serializeMillis, stages);
    out.append(
        String.format(
            Locale.ROOT, "  (read + decode whole image to RGB    %8.3f)%n%n", decodeMillis));
    out.append("Path                                   workers   img/s   img/own-CPU-s   img/process-CPU-s\n");
    for (int i = 0; i < decodeOnly.size(); i++) {
      appendRun(out, decodeOnly.get(i));
      appendRun(out, fullPath.get(i));
    }
    appendRun(out, sendOnly);
    out.append(
        String.format(
            Locale.ROOT,
            "%nFull path, 1 worker, CPU ms per image: worker %.3f, sending thread %.3f,"
                + " Kafka I/O thread %.3f%n",
            fullPathSplit.workerMillis(),
            fullPathSplit.senderMillis(),
            fullPathSplit.ioMillis()));
    out.append(
        String.format(
            Locale.ROOT,
            "Transport alone (send only): %.3f ms CPU per image = %.2f x decode-only"
                + " (a per-core ratio of 0.80 leaves 0.25 x for all but decoding)%n",
            1e3 / sendOnly.imagesPerOwnCpuSecond(),
            transportPerDecode()));
    out.append(
        String.format(
            Locale.ROOT,
            "Full path / decode only, 1 worker: %.2f per core (own threads' CPU, goal >= 0.80),"
                + " %.2f wall-clock, %.2f per process CPU-second (embedded broker included)%n",
            ratioPerCore(),
            ratio(),
            ratioPerProcessCpu()));
    out.append(
        String.format(
            Locale.ROOT,
            "Scaling 1 -> 2 workers: full path x%.2f, decode only x%.2f%n%n",
            fullPathScaling(),
            decodeScaling()));
    out.append("Decoders, decode only, one thread     img/s   img/own-CPU-s\n");
    for (Measurement decoder : decoders) {
      appendDecoder(out, decoder);
    }
    for (Measurement run : cmyk) {
      appendDecoder(out, run);
    }
    return out.toString();
  }

  private static void appendDecoder(StringBuilder out, Measurement run) {
    out.append(
        String.format(
            Locale.ROOT, "  %-36s %7.1f %15.1f%n", run.name(), run.imagesPerSecond(), run.imagesPerOwnCpuSecond()));
  }

  private static void appendStage(StringBuilder out, String name, double millis, double total) {
    out.append(String.format(Locale.ROOT, "  %-36s %8.3f   %4.0f %%%n", name, millis, 100 * millis / total));
  }

  private static void appendRun(StringBuilder out, Measurement run) {
    out.append(
        String.format(
            Locale.ROOT,
            "  %-36s %4d %9.1f %15.1f %19.1f%n",
            run.name(),
            run.workers(),
            run.imagesPerSecond(),
            run.imagesPerOwnCpuSecond(),
            run.imagesPerProcessCpuSecond()));
  }
}
