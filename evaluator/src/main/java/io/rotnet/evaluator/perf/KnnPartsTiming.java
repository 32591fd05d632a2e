package io.rotnet.evaluator.perf;

import io.rotnet.evaluator.benchmark.SimilarityTopK;
import io.rotnet.evaluator.benchmark.TopKMerge;
import io.rotnet.evaluator.service.NeighbourBlocks;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.NeighbourBlock;
import io.rotnet.schemas.avro.TaskPart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The parts channel of split kNN at the seed's size: ImageNet's 50,000 validation queries, top-200
 * lists from each of N train-shard tasks over 1,281,167 rows. Each task's lists are cut into
 * {@link NeighbourBlocks}, written as Avro {@link TaskPart} records and read back, and merged by
 * {@link TopKMerge}, as the collecting instance does. The lists are synthetic (a real search of
 * 50,000 queries is hours on 2 cores; {@code knn-scale} times the search); a sample of queries is
 * checked against {@link SimilarityTopK#merge} of their whole per-shard lists.
 */
public final class KnnPartsTiming {
  private KnnPartsTiming() {}

  public record Result(long train, int queries, int k, int tasks, int partsPerTask, long bytesPerTask,
      double encodeSeconds, double mergeSeconds, int checkedQueries, int mismatches, long peakRssMiB) {
    public List<String> lines() {
      return List.of(
          String.format(Locale.ROOT, "knn-parts %d queries x top-%d from %d train-shard tasks over %d rows:", queries, k,
              tasks, train),
          String.format(Locale.ROOT, "  per task          %d parts, %.1f MB of Avro", partsPerTask, bytesPerTask / 1e6),
          String.format(Locale.ROOT, "  split + encode    %8.1f s (all tasks)", encodeSeconds),
          String.format(Locale.ROOT, "  decode + merge    %8.1f s (all tasks)", mergeSeconds),
          String.format(Locale.ROOT, "  check             %d queries, %d differing neighbour(s)", checkedQueries, mismatches),
          String.format(Locale.ROOT, "  peak RSS          %8d MiB", peakRssMiB));
    }
  }

  public static Result run(long train, int queries, int k, int tasks, int checked) throws IOException {
    SpecificDatumWriter<TaskPart> writer = new SpecificDatumWriter<>(TaskPart.class);
    SpecificDatumReader<TaskPart> reader = new SpecificDatumReader<>(TaskPart.class);
    EvalResult outcome = EvalResult.newBuilder().setCheckpointId("bench").setRunId("bench").setStep(0)
        .setBenchmark("knn").setDataset("imagenet").setRows(List.of()).setStartedAt(Instant.EPOCH)
        .setFinishedAt(Instant.EPOCH).setEvaluatorVersion("bench").build();
    int[] sample = new int[Math.min(checked, queries)];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = (int) ((long) i * queries / sample.length);
    }
    SimilarityTopK.Neighbours[] expected = new SimilarityTopK.Neighbours[sample.length];
    TopKMerge merge = new TopKMerge(queries, k);
    double encodeSeconds = 0;
    double mergeSeconds = 0;
    int partsPerTask = 0;
    long bytes = 0;
    for (int t = 1; t <= tasks; t++) {
      long first = train * (t - 1) / tasks;
      long end = train * t / tasks;
      SimilarityTopK.Neighbours lists = syntheticLists(queries, k, first, end, t);
      for (int i = 0; i < sample.length; i++) {
        SimilarityTopK.Neighbours one = lists.rows(sample[i], 1);
        expected[i] = expected[i] == null ? one : SimilarityTopK.merge(expected[i], one, k);
      }
      long t0 = System.nanoTime();
      List<NeighbourBlock> blocks = NeighbourBlocks.split(lists, NeighbourBlocks.DEFAULT_MAX_BYTES);
      List<byte[]> records = new ArrayList<>();
      for (int c = 0; c < blocks.size(); c++) {
        TaskPart part = TaskPart.newBuilder().setTask("train-shard-" + t + "-of-" + tasks).setTaskCount(tasks)
            .setChunk(c).setChunkCount(blocks.size()).setOutcome(outcome).setNeighbours(blocks.get(c)).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream(NeighbourBlocks.DEFAULT_MAX_BYTES + 1024);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(part, encoder);
        encoder.flush();
        records.add(out.toByteArray());
      }
      lists = null; // the task's lists are gone once sent
      long t1 = System.nanoTime();
      BinaryDecoder decoder = null;
      for (byte[] record : records) {
        decoder = DecoderFactory.get().binaryDecoder(record, decoder);
        NeighbourBlock block = reader.read(null, decoder).getNeighbours();
        merge.add(block.getFirstQuery(), NeighbourBlocks.decode(block));
        bytes += record.length;
      }
      long t2 = System.nanoTime();
      encodeSeconds += (t1 - t0) / 1e9;
      mergeSeconds += (t2 - t1) / 1e9;
      partsPerTask = Math.max(partsPerTask, records.size());
    }
    SimilarityTopK.Neighbours merged = merge.result();
    int mismatches = 0;
    for (int i = 0; i < sample.length; i++) {
      SimilarityTopK.Neighbours got = merged.rows(sample[i], 1);
      mismatches += Arrays.equals(got.indices(), expected[i].indices())
          && Arrays.equals(got.similarities(), expected[i].similarities()) ? 0 : 1;
    }
    return new Result(train, queries, k, tasks, partsPerTask, bytes / tasks, encodeSeconds, mergeSeconds,
        sample.length, mismatches, KnnScaleTiming.peakRssMiB());
  }

  /** Best-first lists of distinct rows of [first, end) with random cosine similarities. */
  private static SimilarityTopK.Neighbours syntheticLists(int queries, int k, long first, long end, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] indices = new int[queries * k];
    float[] similarities = new float[queries * k];
    long rows = end - first;
    float[] draw = new float[k];
    for (int q = 0; q < queries; q++) {
      long start = random.nextLong(rows);
      for (int r = 0; r < k; r++) {
        draw[r] = (float) random.nextDouble(-1, 1);
      }
      Arrays.sort(draw);
      for (int r = 0; r < k; r++) {
        indices[q * k + r] = Math.toIntExact(first + (start + r * 6151L) % rows);
        similarities[q * k + r] = draw[k - 1 - r];
      }
    }
    return new SimilarityTopK.Neighbours(queries, k, indices, similarities);
  }
}
