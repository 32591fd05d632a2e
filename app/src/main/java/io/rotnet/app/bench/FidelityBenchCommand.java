package io.rotnet.app.bench;

import io.rotnet.app.bench.fidelity.CifarFidelity;
import io.rotnet.app.bench.fidelity.FidelitySettings;
import io.rotnet.app.bench.fidelity.FidelityTable;
import io.rotnet.evaluator.blocks.BlockProtocol;
import io.rotnet.trainer.TrainingPreset;
import io.rotnet.trainer.TrainingPresets;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The RotNet paper's fidelity experiments, end to end through the pipeline. */
@Command(
    name = "fidelity",
    mixinStandardHelpOptions = true,
    description = "Reproduces the RotNet paper's experiments through the whole pipeline.",
    subcommands = {FidelityBenchCommand.Cifar10.class})
public final class FidelityBenchCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** CIFAR-10: NIN pretext training, then per-block classifiers, pretrained vs random init. */
  @Command(
      name = "cifar10",
      mixinStandardHelpOptions = true,
      description = {
        "RotNet on CIFAR-10 photos, producer -> Kafka -> trainer -> checkpoint event -> evaluation, on an",
        "embedded broker: the final checkpoint and a random initialisation of the same network (same",
        "seed) are scored by rotation accuracy on the rotated test images and by the paper's",
        "classifiers on each block's frozen feature maps; the best block is chosen on images held out",
        "of train/. Default: preset rotnet-cifar-nin4-cpu on 10,000 train images (about 45 minutes on",
        "2 idle cores)."
      })
  public static final class Cifar10 implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
        description = "CIFAR-10 as JPEG folders: DIR/train/<class>/*.jpg and DIR/test/<class>/*.jpg.")
    Path data;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "target/fidelity-cifar10",
        description = "Broker data, checkpoints and lists; emptied first (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--preset", defaultValue = "rotnet-cifar-nin4-cpu",
        description = "Pretext preset (default: ${DEFAULT-VALUE}; rotnet-tiny-cpu for the tiny ResNet).")
    String preset;

    @Option(names = "--epochs", description = "Pretext epochs instead of the preset's; its decay epochs keep their"
        + " fractions of the run.")
    Integer epochs;

    @Option(names = "--train-images", defaultValue = "10000",
        description = "Images of train/ for the pretext and the classifiers (default: ${DEFAULT-VALUE}).")
    int trainImages;

    @Option(names = "--val-images", defaultValue = "5000",
        description = "Other images of train/, held out to choose the best block (default: ${DEFAULT-VALUE}).")
    int validationImages;

    @Option(names = "--test-images", defaultValue = "10000",
        description = "Images of test/ the results are reported on (default: ${DEFAULT-VALUE}).")
    int testImages;

    @Option(names = "--classifier-epochs", defaultValue = "10",
        description = "Epochs of the per-block classifiers; the reference trains 100 (default: ${DEFAULT-VALUE}).")
    int classifierEpochs;

    @Option(names = "--heads", split = ",", defaultValue = "linear,nonlinear",
        description = "Classifiers per block: linear, nonlinear (default: ${DEFAULT-VALUE}).")
    List<String> heads;

    @Option(names = "--batch", defaultValue = "100", description = "Images per forward pass when evaluating (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the splits, augmentation and classifiers (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the table as Markdown to FILE.")
    Path markdown;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      List<BlockProtocol.Head> chosen = new ArrayList<>();
      for (String head : heads) {
        chosen.add(BlockProtocol.Head.valueOf(head.trim().toUpperCase(Locale.ROOT)));
      }
      FidelitySettings settings = new FidelitySettings(data, work, withEpochs(TrainingPresets.require(preset), epochs),
          trainImages, validationImages, testImages, classifierEpochs, chosen, batch, seed);
      if (Files.exists(work)) {
        try (var paths = Files.walk(work)) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      FidelityTable table = new CifarFidelity(settings, out).run();
      String md = table.markdown();
      out.println();
      out.print(md);
      out.flush();
      if (markdown != null) {
        Files.writeString(markdown, md);
      }
      return 0;
    }

    /** The preset with {@code epochs} epochs, its decay epochs at the same fractions (a value-level change). */
    static TrainingPreset withEpochs(TrainingPreset preset, Integer epochs) {
      if (epochs == null || epochs == preset.epochs()) {
        return preset;
      }
      List<Integer> decays = new ArrayList<>();
      for (int at : preset.decayEpochs()) {
        int scaled = (int) Math.round((double) at * epochs / preset.epochs());
        if (scaled >= 1 && scaled < epochs && !decays.contains(scaled)) {
          decays.add(scaled);
        }
      }
      return preset.derive(preset.name() + "-" + epochs + "e", preset.architecture())
          .epochs(epochs).decayEpochs(decays).warmupEpochs(Math.min(preset.warmupEpochs(), epochs / 2.0))
          .keepEveryEpochs(1).build();
    }
  }
}
