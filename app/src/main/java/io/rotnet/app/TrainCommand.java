package io.rotnet.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Pretrains ResNet on rotation prediction from the image topic, writing checkpoints. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Pretrains ResNet on rotation prediction from the image topic, writing checkpoints.")
public final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("rotnet train: not available in this build yet");
    return 2;
  }
}
