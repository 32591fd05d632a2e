package io.rotnet.app.bench.fidelity;

import io.rotnet.evaluator.blocks.BlockBenchmark;
import io.rotnet.evaluator.blocks.BlockProtocol;
import io.rotnet.trainer.TrainingPreset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paper's table: per block, classifier top-1 on the test images for the pretrained network
 * and for its random initialisation, and the pretext accuracy on the rotated test images; then
 * the three goals (rotation accuracy >= 80%, pretrained >= random + 10 points at the best block
 * with the linear classifier, the best block an intermediate one), the best block being chosen on
 * the held-out validation images.
 */
public record FidelityTable(TrainingPreset preset, int trainImages, int validationImages, int testImages,
    BlockProtocol protocol, List<BlockProtocol.Head> heads, Column pretrained, Column random, Duration elapsed) {

  /** One network's figures. */
  public record Column(double rotationAccuracy, List<BlockBenchmark.Score> scores) {
    BlockBenchmark.Score score(BlockProtocol.Head head, String block) {
      return scores.stream().filter(s -> s.head() == head && s.block().equals(block)).findFirst().orElseThrow();
    }
  }

  static final double ROTATION_GOAL = 80;
  static final double GAIN_GOAL = 10;

  List<String> blocks() {
    List<String> names = new ArrayList<>();
    for (BlockBenchmark.Score s : pretrained.scores()) {
      if (!names.contains(s.block())) {
        names.add(s.block());
      }
    }
    return names;
  }

  /** The block chosen on the validation images for the linear classifier (the first head if absent). */
  public BlockBenchmark.Score bestBlock() {
    BlockProtocol.Head head = heads.contains(BlockProtocol.Head.LINEAR) ? BlockProtocol.Head.LINEAR : heads.get(0);
    return BlockBenchmark.best(pretrained.scores(), head);
  }

  /** Pretrained minus random top-1 at the best block, in points. */
  public double gainAtBestBlock() {
    BlockBenchmark.Score best = bestBlock();
    return best.testTop1() - random.score(best.head(), best.block()).testTop1();
  }

  /** True when the best block is neither the first nor the last. */
  public boolean bestIsIntermediate() {
    List<String> names = blocks();
    int at = names.indexOf(bestBlock().block());
    return at > 0 && at < names.size() - 1;
  }

  /** Markdown, as recorded in docs/BENCHMARKS.md. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Preset `%s` (%s, %d epochs), %d pretext/classifier-train images, %d held-out"
        + " validation images (from train/), %d test images; classifiers: %s, %d epochs (%s).%n%n",
        preset.name(), preset.architecture(), preset.epochs(), trainImages, validationImages, testImages,
        String.join(" + ", heads.stream().map(BlockProtocol.Head::label).toList()), protocol.epochs(),
        protocol.name()));
    md.append("| block |");
    for (BlockProtocol.Head head : heads) {
      md.append(' ').append(head.label()).append(" pretrained | ").append(head.label()).append(" random init | gain |");
    }
    md.append(" val. top-1 (pretrained, ").append(heads.get(0).label()).append(") |\n|---|");
    for (int i = 0; i < heads.size(); i++) {
      md.append("---:|---:|---:|");
    }
    md.append("---:|\n");
    String best = bestBlock().block();
    for (String block : blocks()) {
      md.append("| ").append(block).append(block.equals(best) ? " (best on validation)" : "").append(" |");
      for (BlockProtocol.Head head : heads) {
        double p = pretrained.score(head, block).testTop1();
        double r = random.score(head, block).testTop1();
        md.append(String.format(Locale.ROOT, " %.2f | %.2f | %+.2f |", p, r, p - r));
      }
      md.append(String.format(Locale.ROOT, " %.2f |%n", pretrained.score(heads.get(0), block).validationTop1()));
    }
    md.append(String.format(Locale.ROOT, "%nRotation accuracy on the test images x 4 rotations: pretrained %.2f%%,"
        + " random init %.2f%%.%n%n", pretrained.rotationAccuracy(), random.rotationAccuracy()));
    md.append(String.format(Locale.ROOT, "- rotation accuracy >= %.0f%%: %.2f%% (%s)%n", ROTATION_GOAL,
        pretrained.rotationAccuracy(), verdict(pretrained.rotationAccuracy() - ROTATION_GOAL)));
    md.append(String.format(Locale.ROOT, "- best block (%s, chosen on validation): pretrained - random = %+.2f points,"
        + " goal >= +%.0f (%s)%n", best, gainAtBestBlock(), GAIN_GOAL, verdict(gainAtBestBlock() - GAIN_GOAL)));
    md.append(String.format(Locale.ROOT, "- best block intermediate: %s (%s)%n", bestIsIntermediate() ? "yes" : "no",
        best));
    md.append(String.format(Locale.ROOT, "%nWhole run: %d min %02d s.%n", elapsed.toMinutes(), elapsed.toSecondsPart()));
    return md.toString();
  }

  private static String verdict(double margin) {
    return margin >= 0 ? String.format(Locale.ROOT, "met by %.2f", margin)
        : String.format(Locale.ROOT, "missed by %.2f", -margin);
  }
}
