package io.rotnet.app.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactSheetTest {

  private static BufferedImage solid(int size, int rgb) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  @Test
  void oneRowPerSampleWithTheFourRotationsInColumns(@TempDir Path dir) throws Exception {
    ContactSheet sheet = new ContactSheet();
    int[] colours = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00};
    for (int k = 0; k < 4; k++) {
      sheet.add(RecordFormatterTest.view("a.png@0", k, (byte) 0, 32), solid(32, colours[k]));
      sheet.add(RecordFormatterTest.view("b.png@0", k, (byte) 0, 32), solid(32, colours[3 - k]));
    }

    List<Path> written = sheet.write(dir);

    assertThat(written).containsExactly(dir.resolve("contact-sheet.png"));
    BufferedImage image = ImageIO.read(written.get(0).toFile());
    int cell = 96; // 32 px views enlarged x3 to reach the minimum cell
    assertThat(image.getWidth()).isEqualTo(ContactSheet.LABEL_WIDTH + 4 * (cell + ContactSheet.PAD) + ContactSheet.PAD);
    assertThat(image.getHeight()).isEqualTo(ContactSheet.HEADER + 2 * (cell + ContactSheet.PAD) + ContactSheet.PAD);
    for (int k = 0; k < 4; k++) {
      int x = ContactSheet.cellX(k, cell) + cell / 2;
      int firstRow = ContactSheet.HEADER + cell / 2;
      int secondRow = firstRow + cell + ContactSheet.PAD;
      assertThat(image.getRGB(x, firstRow) & 0xFFFFFF).isEqualTo(colours[k]);
      assertThat(image.getRGB(x, secondRow) & 0xFFFFFF).isEqualTo(colours[3 - k]);
    }
    // labels are drawn: dark pixels in the header above each column and left of each row
    for (int k = 0; k < 4; k++) {
      assertThat(darkPixels(image, ContactSheet.cellX(k, cell), 0, cell, ContactSheet.HEADER)).isPositive();
    }
    assertThat(darkPixels(image, 0, ContactSheet.HEADER, ContactSheet.LABEL_WIDTH, cell)).isPositive();
  }

  @Test
  void missingViewsShowAsGrayAndLargeRunsSplitIntoSheets(@TempDir Path dir) throws Exception {
    ContactSheet sheet = new ContactSheet();
    for (int i = 0; i < ContactSheet.ROWS_PER_SHEET + 1; i++) {
      sheet.add(RecordFormatterTest.view("s" + i + "@0", 0, (byte) 0, 8), solid(8, 0x123456));
    }
    List<Path> written = sheet.write(dir);
    assertThat(written).hasSize(2);
    assertThat(Files.exists(dir.resolve("contact-sheet-02.png"))).isTrue();
    BufferedImage first = ImageIO.read(written.get(0).toFile());
    int cell = ContactSheet.cellSize(List.of(java.util.Map.entry("x", new BufferedImage[] {solid(8, 0), null, null, null})));
    int y = ContactSheet.HEADER + cell / 2;
    assertThat(first.getRGB(ContactSheet.cellX(0, cell) + cell / 2, y) & 0xFFFFFF).isEqualTo(0x123456);
    assertThat(first.getRGB(ContactSheet.cellX(1, cell) + cell / 2, y) & 0xFFFFFF).isEqualTo(0xC0C0C0);
  }

  private static int darkPixels(BufferedImage image, int x0, int y0, int width, int height) {
    int dark = 0;
    for (int y = y0; y < y0 + height; y++) {
      for (int x = x0; x < x0 + width; x++) {
        int rgb = image.getRGB(x, y);
        if (((rgb >> 16) & 0xFF) < 100 && ((rgb >> 8) & 0xFF) < 100 && (rgb & 0xFF) < 100) {
          dark++;
        }
      }
    }
    return dark;
  }
}
