package io.rotnet.evaluator.blocks;

import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.blocks.BlockProtocol.Head;
import io.rotnet.evaluator.dataset.DatasetSplit;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.model.Backbone;
import io.rotnet.schemas.avro.EvalRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The RotNet paper's per-block evaluation: for every block of a frozen backbone, a classifier
 * ({@link Head}) trained on the block's whole feature maps of the training split, then its top-1
 * on the test split. When a validation split (images held out of training) is given, every
 * classifier is also scored on it and the best block is chosen there, never on the test split.
 *
 * <p>Rows: {@code (blockN, top1)} on the test split and {@code (blockN, val-top1)}; with a
 * validation split, {@code (best:blockN, top1)} for the block with the best validation top-1.
 */
public final class BlockBenchmark {

  /** One classifier's scores. */
  public record Score(Head head, String block, double testTop1, double validationTop1) {}

  private final List<Head> heads;
  private final BlockProtocol protocol;
  private final Preprocessing view;
  private final int batchSize;
  private final Consumer<String> progress;

  public BlockBenchmark(List<Head> heads, BlockProtocol protocol, Preprocessing view, int batchSize,
      Consumer<String> progress) {
    this.heads = List.copyOf(heads);
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.view = Objects.requireNonNull(view, "view");
    this.batchSize = batchSize;
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /**
   * Extracts the blocks of {@code train}, {@code validation} (may be null) and {@code test} once,
   * then trains and scores every head on every block.
   */
  public List<Score> run(Backbone backbone, NDManager manager, DatasetSplit train, DatasetSplit validation,
      DatasetSplit test, String what) {
    int classes = train.classNames().size();
    BlockFeatures.Split trainFeatures = features(backbone, manager, train, what + " train");
    BlockFeatures.Split validationFeatures =
        validation == null ? null : features(backbone, manager, validation, what + " validation");
    BlockFeatures.Split testFeatures = features(backbone, manager, test, what + " test");
    List<Score> scores = new ArrayList<>();
    for (Head head : heads) {
      for (int b = 0; b < trainFeatures.blocks().size(); b++) {
        String block = trainFeatures.blocks().get(b).name();
        try (BlockClassifier classifier = BlockClassifier.train(head, protocol, trainFeatures, b, classes, manager,
            line -> progress.accept(what + " " + line))) {
          double testTop1 = classifier.accuracy(testFeatures, b);
          double validationTop1 = validationFeatures == null ? Double.NaN : classifier.accuracy(validationFeatures, b);
          progress.accept(String.format(Locale.ROOT, "%s %s %s: test top-1 %.2f%%, validation top-1 %.2f%%",
              what, head.label(), block, testTop1, validationTop1));
          scores.add(new Score(head, block, testTop1, validationTop1));
        }
      }
    }
    return scores;
  }

  private BlockFeatures.Split features(Backbone backbone, NDManager manager, DatasetSplit split, String what) {
    int[] labels = split.singleLabels()
        .orElseThrow(() -> new IllegalArgumentException(split.name() + " needs one label per image"));
    return BlockFeatures.extract(backbone, manager, split.images(), labels, view, batchSize, what, progress);
  }

  /** The block whose classifier of {@code head} scores best on the validation split. */
  public static Score best(List<Score> scores, Head head) {
    Score best = null;
    for (Score s : scores) {
      if (s.head() == head && (best == null || s.validationTop1() > best.validationTop1())) {
        best = s;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("no scores for " + head.label());
    }
    return best;
  }

  /** Result rows of one head's scores. */
  public static List<EvalRow> rows(List<Score> scores, Head head) {
    List<EvalRow> rows = new ArrayList<>();
    boolean validated = false;
    for (Score s : scores) {
      if (s.head() != head) {
        continue;
      }
      rows.add(row(s.block(), "top1", s.testTop1()));
      if (!Double.isNaN(s.validationTop1())) {
        rows.add(row(s.block(), "val-top1", s.validationTop1()));
        validated = true;
      }
    }
    if (validated) {
      Score best = best(scores, head);
      rows.add(row("best:" + best.block(), "top1", best.testTop1()));
    }
    return rows;
  }

  private static EvalRow row(String parameter, String metric, double value) {
    return EvalRow.newBuilder().setTap(parameter).setMetric(metric).setValue(value).build();
  }
}
