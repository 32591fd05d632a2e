package io.rotnet.evaluator.features;

import io.rotnet.evaluator.benchmark.FeatureMatrix;
import io.rotnet.evaluator.benchmark.FeatureShards;
import io.rotnet.evaluator.benchmark.TapFeatures;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.dataset.ImageSource;
import io.rotnet.model.Tap;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The features of one backbone (one checkpoint, or a random initialisation) on one dataset,
 * served from the {@link FeatureCache}. {@link #prepare} extracts whatever taps are missing, in
 * one pass over each split and under the cache group's lock, so benchmarks sharing a checkpoint
 * extract once; the backbone is only built (checkpoint loaded) when something is missing.
 */
public final class BackboneFeatures {
  private static final Logger LOG = LoggerFactory.getLogger(BackboneFeatures.class);

  private final FeatureCache cache;
  private final FeatureCache.Group group;
  private final EvalDataset dataset;
  private final ExtractorFactory extractors;
  private final Set<Tap> alsoExtract;
  private double lastImagesPerSecond = Double.NaN;

  public BackboneFeatures(
      FeatureCache cache, FeatureCache.Group group, EvalDataset dataset, ExtractorFactory extractors) {
    this(cache, group, dataset, extractors, EnumSet.noneOf(Tap.class));
  }

  /**
   * @param alsoExtract taps to extract as well whenever an extraction runs anyway (e.g. every
   *     tap, when other benchmarks of this machine will ask for them: one pass instead of two)
   */
  public BackboneFeatures(
      FeatureCache cache, FeatureCache.Group group, EvalDataset dataset, ExtractorFactory extractors,
      Set<Tap> alsoExtract) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.group = Objects.requireNonNull(group, "group");
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.extractors = Objects.requireNonNull(extractors, "extractors");
    this.alsoExtract = alsoExtract.isEmpty() ? EnumSet.noneOf(Tap.class) : EnumSet.copyOf(alsoExtract);
  }

  public EvalDataset dataset() {
    return dataset;
  }

  /** Images per second of the last extraction this object ran, NaN if everything was cached. */
  public double lastImagesPerSecond() {
    return lastImagesPerSecond;
  }

  /** Makes sure both splits of every tap are cached. */
  public void prepare(Set<Tap> taps) throws IOException, InterruptedException {
    Map<String, ImageSource> splits = new LinkedHashMap<>();
    splits.put("train", dataset.train().images());
    splits.put("test", dataset.test().images());
    prepare(splits, taps, alsoExtract);
  }

  /**
   * Train rows {@code [first, end)} of one tap (a kNN train-shard task's share): read from the
   * whole train split when that is cached, else extracted on their own as the entry {@code
   * train-rows-<first>-<end>}.
   */
  public FeatureShards trainRows(Tap tap, int first, int end) throws IOException, InterruptedException {
    if (cache.contains(group, "train", tap.label())) {
      return shards(tap, "train").range(first, end);
    }
    return preparePart("train-rows-" + first + "-" + end, dataset.train().images().range(first, end), tap);
  }

  /**
   * Makes sure {@code split}, a part of a split under a name of its own ({@code train-rows-0-5000}),
   * is cached for one tap, extracting {@code images} alone: a kNN train-shard task extracts only
   * its share of the train bank.
   */
  public ShardedFeatureFile.Shards preparePart(String split, ImageSource images, Tap tap)
      throws IOException, InterruptedException {
    prepare(Map.of(split, images), EnumSet.of(tap), EnumSet.noneOf(Tap.class));
    return shards(tap, split);
  }

  private void prepare(Map<String, ImageSource> splits, Set<Tap> taps, Set<Tap> also)
      throws IOException, InterruptedException {
    if (missing(splits.keySet(), taps).isEmpty()) {
      return;
    }
    Set<Tap> wanted = EnumSet.copyOf(taps);
    wanted.addAll(also);
    cache.locked(group, () -> {
      if (missing(splits.keySet(), taps).isEmpty()) {
        return null; // another evaluator extracted them while we waited
      }
      Map<String, Set<Tap>> missing = missing(splits.keySet(), wanted);
      try (OpenedExtractor opened = extractors.open()) {
        for (Map.Entry<String, Set<Tap>> split : missing.entrySet()) {
          extractSplit(opened.extractor(), split.getKey(), splits.get(split.getKey()), split.getValue());
        }
      }
      return null;
    });
  }

  /**
   * One split of one cached tap, to read shard by shard ({@code FeatureShards}) or only the rows
   * needed ({@link ShardedFeatureFile.Shards#readRows}): nothing is loaded until asked for.
   */
  public ShardedFeatureFile.Shards shards(Tap tap, String split) throws IOException {
    return cache.shards(group, split, tap.label())
        .orElseThrow(() -> new IOException(split + " features of " + tap.label() + " are not cached; call prepare first"));
  }

  /** The cached train and test features of one tap. */
  public TapFeatures load(Tap tap) throws IOException {
    FeatureMatrix train = cache.read(group, "train", tap.label())
        .orElseThrow(() -> new IOException("train features of " + tap.label() + " are not cached; call prepare first"));
    FeatureMatrix test = cache.read(group, "test", tap.label())
        .orElseThrow(() -> new IOException("test features of " + tap.label() + " are not cached; call prepare first"));
    return new TapFeatures(tap.label(), train, test);
  }

  private Map<String, Set<Tap>> missing(Set<String> splits, Set<Tap> taps) {
    Map<String, Set<Tap>> missing = new LinkedHashMap<>();
    for (String split : splits) {
      Set<Tap> absent = EnumSet.noneOf(Tap.class);
      for (Tap tap : taps) {
        if (!cache.contains(group, split, tap.label())) {
          absent.add(tap);
        }
      }
      if (!absent.isEmpty()) {
        missing.put(split, absent);
      }
    }
    return missing;
  }

  private void extractSplit(FeatureExtractor extractor, String split, ImageSource images, Set<Tap> taps)
      throws IOException {
    Map<Tap, ShardedFeatureFile.Writer> writers = new EnumMap<>(Tap.class);
    List<ShardedFeatureFile.Writer> opened = new ArrayList<>();
    try {
      String what = dataset.name() + " " + split;
      LOG.info("extracting {} of {} ({} images) for {}", taps, what, images.size(), group.checkpointSha256());
      double rate = extractor.extract(images, taps, (tap, values, rows) -> {
        ShardedFeatureFile.Writer writer = writers.get(tap);
        if (writer == null) {
          int dims = values.length / rows;
          requireSpace(split, tap, (long) images.size() * dims * Float.BYTES);
          writer = cache.writer(group, split, tap.label(), images.size(), dims);
          writers.put(tap, writer);
          opened.add(writer);
        }
        writer.append(values, 0, rows);
      }, what);
      for (ShardedFeatureFile.Writer writer : opened) {
        writer.commit();
      }
      lastImagesPerSecond = rate;
      LOG.info("extracted {} at {} img/s", what, String.format(java.util.Locale.ROOT, "%.1f", rate));
    } finally {
      for (ShardedFeatureFile.Writer writer : opened) {
        writer.close();
      }
    }
  }

  /** Refuses to start a tap's file that the disk cannot hold, before writing any of it. */
  private void requireSpace(String split, Tap tap, long bytes) throws IOException {
    long free = cache.usableSpace();
    if (free < bytes) {
      throw new CacheFullException("the feature cache " + cache.directory() + " has " + (free >> 20)
          + " MiB free; " + split + " features of " + tap.label() + " need " + (bytes >> 20)
          + " MiB: free disk space or keep fewer checkpoints' features");
    }
  }

  /** The disk under the cache cannot hold the features: the evaluation stops, nothing is kept. */
  public static final class CacheFullException extends IOException {
    private static final long serialVersionUID = 1L;

    CacheFullException(String message) {
      super(message);
    }
  }

  /** Builds the extractor (loads the checkpoint) only when features are missing. */
  @FunctionalInterface
  public interface ExtractorFactory {
    OpenedExtractor open() throws IOException;
  }

  /** An extractor and the native resources (model, manager) to free after it. */
  public interface OpenedExtractor extends AutoCloseable {
    FeatureExtractor extractor();

    @Override
    void close();

    /** Closing it closes the extractor, then {@code owner} (the backbone's manager; null for none). */
    static OpenedExtractor of(FeatureExtractor extractor, AutoCloseable owner) {
      return new OpenedExtractor() {
        @Override
        public FeatureExtractor extractor() {
          return extractor;
        }

        @Override
        public void close() {
          extractor.close();
          if (owner != null) {
            try {
              owner.close();
            } catch (Exception e) {
              throw new IllegalStateException("closing " + owner + " failed", e);
            }
          }
        }
      };
    }
  }
}
