package io.rotnet.app;

import io.rotnet.dense.scenes.SceneGenerator;
import io.rotnet.dense.scenes.SceneWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Dataset tools. */
@Command(
    name = "datasets",
    mixinStandardHelpOptions = true,
    description = "Dataset tools.",
    subcommands = {DatasetsCommand.Scenes.class})
public final class DatasetsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Writes synthetic scenes. */
  @Command(
      name = "scenes",
      mixinStandardHelpOptions = true,
      description = {
        "Writes seeded synthetic scenes in the VOC layout (JPEGImages, Annotations, SegmentationClass(Aug),"
            + " SegmentationObject, ImageSets) under DIR/VOC2012 and as COCO JSON under DIR/annotations,"
            + " readable as voc12aug:DIR, voc0712:DIR and coco:DIR."
      })
  static final class Scenes implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write.")
    Path out;

    @Option(names = "--images", paramLabel = "N", defaultValue = "100", description = "Scenes (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "96",
        description = "Longest side; sides vary down to 3/4 of it (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--max-objects", paramLabel = "N", defaultValue = "3",
        description = "Objects per scene, at most (default: ${DEFAULT-VALUE}).")
    int maxObjects;

    @Option(names = "--objects", paramLabel = "DIR",
        description = "RGBA PNG cut-outs, one folder per class (default: procedural shapes).")
    Path objects;

    @Option(names = "--backgrounds", paramLabel = "DIR",
        description = "Background photos, e.g. CIFAR-10 JPEGs (default: smooth noise).")
    Path backgrounds;

    @Override
    public Integer call() throws Exception {
      SceneGenerator.Builder builder = SceneGenerator.builder().optImages(images).optSeed(seed).optSize(size)
          .optMaxObjects(maxObjects);
      if (objects != null) {
        builder.optObjects(objects);
      }
      if (backgrounds != null) {
        builder.optBackgrounds(backgrounds);
      }
      SceneWriter.Summary summary = builder.build().write(out);
      spec.commandLine().getOut().printf("wrote %d training and %d test scenes (%d objects, classes %s) to %s%n",
          summary.train(), summary.test(), summary.objects(), summary.classes(), summary.root());
      return 0;
    }
  }
}
