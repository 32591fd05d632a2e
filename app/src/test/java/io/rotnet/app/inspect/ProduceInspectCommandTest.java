package io.rotnet.app.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.app.RotnetCommand;
import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code rotnet produce} then {@code rotnet inspect}, as a person would run them. */
@ExtendWith(EmbeddedStackExtension.class)
class ProduceInspectCommandTest {

  @TempDir static Path folder;

  @BeforeAll
  static void writeImages() throws IOException {
    write(folder.resolve("shapes/stripes.png"), stripes(90, 60), "png");
    write(folder.resolve("shapes/gradient.jpg"), gradient(120, 80), "jpeg");
    write(folder.resolve("plain.bmp"), gradient(40, 40), "bmp");
    Files.writeString(folder.resolve("shapes/readme.jpg"), "not an image");
  }

  record Run(int exit, String out, String err) {}

  private static Run rotnet(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = RotnetCommand.commandLine(args);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static String[] service(EmbeddedStack stack, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl()));
    return all.toArray(String[]::new);
  }

  @Test
  void produceThenInspectShowsWhatTheTrainerSees(EmbeddedStack stack, @TempDir Path views) throws Exception {
    Run produce =
        rotnet(service(stack, "produce", "--source", folder.toString(), "--topic", "cli.images",
            "--size", "48", "--epochs", "1", "--workers", "2", "--seed", "3"));
    assertThat(produce.exit()).as(produce.err()).isZero();
    assertThat(produce.out()).contains("produced 3 image(s) as 12 acknowledged record(s) to cli.images, 1 refused");

    Run inspect =
        rotnet(service(stack, "inspect", "cli.images", "--from-beginning", "--limit", "100",
            "--idle-timeout", "2", "--images-to", views.toString()));
    assertThat(inspect.exit()).as(inspect.err()).isZero();
    List<String> lines = inspect.out().lines().filter(l -> l.startsWith("p0@")).toList();
    assertThat(lines).hasSize(12).allSatisfy(l -> assertThat(l).contains("RotatedImage", "48x48x3", "RAW_RGB8 6912 B"));
    assertThat(inspect.out()).contains("wrote 12 view(s) and 1 contact sheet(s)");

    List<Path> pngs;
    try (Stream<Path> files = Files.list(views)) {
      pngs = files.filter(p -> p.toString().endsWith("_r1.png")).toList();
    }
    assertThat(pngs).hasSize(3);
    BufferedImage sheet = ImageIO.read(views.resolve("contact-sheet.png").toFile());
    int cell = 96; // 48 px views enlarged x2
    assertThat(sheet.getHeight()).isEqualTo(ContactSheet.HEADER + 3 * (cell + ContactSheet.PAD) + ContactSheet.PAD);

    // the PNG of a view holds exactly the record's pixels, and rotation 1 is the upright view turned left
    BufferedImage upright = ImageIO.read(views.resolve("shapes_stripes.png@0_r0.png").toFile());
    BufferedImage quarter = ImageIO.read(views.resolve("shapes_stripes.png@0_r1.png").toFile());
    assertThat(upright.getWidth()).isEqualTo(48);
    for (int row = 0; row < 48; row += 5) {
      for (int col = 0; col < 48; col += 7) {
        assertThat(quarter.getRGB(col, row)).isEqualTo(upright.getRGB(47 - row, col));
      }
    }

    Run deadLetters =
        rotnet(service(stack, "inspect", "cli.images.dlq", "--from-beginning", "--idle-timeout", "1"));
    assertThat(deadLetters.exit()).isZero();
    assertThat(deadLetters.out()).contains("key=shapes/readme.jpg DeadLetter", "reason=not a supported image format", "excerpt=<12 bytes>");
  }

  @Test
  void quietTopicEndsWithAHintAndUnknownTopicIsAUsageError(EmbeddedStack stack) {
    stack.createTopic("cli.quiet", 1);
    Run quiet = rotnet(service(stack, "inspect", "cli.quiet", "--idle-timeout", "1"));
    assertThat(quiet.exit()).isZero();
    assertThat(quiet.out()).contains("no new records on cli.quiet", "--from-beginning");

    Run missing = rotnet(service(stack, "inspect", "cli.absent", "--idle-timeout", "1"));
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("topic cli.absent does not exist");
  }

  @Test
  void badProducerSettingsAreUsageErrors(EmbeddedStack stack) {
    Run noSource = rotnet(service(stack, "produce", "--source", folder.resolve("absent").toString()));
    assertThat(noSource.exit()).isEqualTo(2);
    assertThat(noSource.err()).contains("source not found");

    Run badCompression =
        rotnet(service(stack, "produce", "--source", folder.toString(), "--compression", "brotli"));
    assertThat(badCompression.exit()).isEqualTo(2);
    assertThat(badCompression.err()).contains("compression must be one of");
  }

  private static BufferedImage stripes(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x / 10) % 2 == 0 ? 0xD02020 : 0x2020D0);
      }
    }
    return image;
  }

  private static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 128);
      }
    }
    return image;
  }

  private static void write(Path file, BufferedImage image, String format) throws IOException {
    Files.createDirectories(file.getParent());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, format, bytes);
    Files.write(file, bytes.toByteArray());
  }
}
