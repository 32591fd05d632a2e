package io.rotnet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetsCommandTest {

  @Test
  void scenesAreWrittenInTheLayoutsThePluggedInBenchmarkReads(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    CommandLine cli = RotnetCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    int exit = cli.execute("datasets", "scenes", "--out", dir.resolve("s").toString(), "--images", "5", "--size", "32",
        "--seed", "3");
    assertThat(exit).isZero();
    assertThat(out.toString()).contains("wrote 4 training and 1 test scenes");
    assertThat(dir.resolve("s/VOC2012/ImageSets/Segmentation/val.txt")).exists();
    assertThat(dir.resolve("s/annotations/instances_train2017.json")).exists();

    // evaluate dispatches names the built-in benchmarks do not know to the plug-ins
    StringWriter err = new StringWriter();
    CommandLine evaluate = RotnetCommand.commandLine();
    evaluate.setErr(new PrintWriter(err));
    int refused = evaluate.execute("evaluate", "--benchmark", "segmentation-voc",
        "--dataset", "scenes=voc12aug:" + dir.resolve("s"), "--checkpoint-root", dir.toString(), "--param", "lr=1");
    assertThat(refused).isNotZero();
    assertThat(err.toString()).contains("segmentation-voc has no parameter 'lr'");
    assertThat(Files.exists(dir.resolve("s/VOC2012/classes.txt"))).isTrue();
  }
}
