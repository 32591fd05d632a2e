package io.rotnet.app.inspect;

import io.rotnet.schemas.avro.RotatedImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A grid of what the trainer sees: one row per sample, its four rotated views in columns headed
 * 0, 90, 180 and 270 degrees (counter-clockwise), the sample id at the left. Small views are
 * enlarged with nearest-neighbour sampling so every pixel stays visible. Large runs are split
 * over several sheets.
 */
public final class ContactSheet {

  static final int ROWS_PER_SHEET = 24;
  static final int PAD = 6;
  static final int HEADER = 22;
  static final int LABEL_WIDTH = 200;
  static final int MIN_CELL = 96;

  private final Map<String, BufferedImage[]> samples = new LinkedHashMap<>();

  /** Adds one view; views of the same sample (same id) share a row. */
  public void add(RotatedImage view, BufferedImage picture) {
    int rotation = view.getRotation();
    if (rotation < 0 || rotation > 3) {
      return;
    }
    samples.computeIfAbsent(view.getSampleId(), id -> new BufferedImage[4])[rotation] = picture;
  }

  public int sampleCount() {
    return samples.size();
  }

  /** Writes {@code contact-sheet.png} (or {@code -02}, {@code -03}... when it takes several) into dir. */
  public List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Map.Entry<String, BufferedImage[]>> rows = new ArrayList<>(samples.entrySet());
    List<Path> written = new ArrayList<>();
    for (int start = 0, sheet = 1; start < rows.size(); start += ROWS_PER_SHEET, sheet++) {
      BufferedImage image = render(rows.subList(start, Math.min(rows.size(), start + ROWS_PER_SHEET)));
      Path file = dir.resolve(sheet == 1 ? "contact-sheet.png" : String.format("contact-sheet-%02d.png", sheet));
      ImageIO.write(image, "png", file.toFile());
      written.add(file);
    }
    return written;
  }

  /** The sheet for these rows. */
  static BufferedImage render(List<Map.Entry<String, BufferedImage[]>> rows) {
    int cell = cellSize(rows);
    int width = LABEL_WIDTH + 4 * (cell + PAD) + PAD;
    int height = HEADER + rows.size() * (cell + PAD) + PAD;
    BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      Labels labels = Labels.forGraphics(g);
      for (int k = 0; k < 4; k++) {
        labels.draw(g, k == 0 ? "0: upright" : k + ": " + (k * 90) + " deg ccw", cellX(k, cell) + 2, HEADER - 6);
      }
      for (int r = 0; r < rows.size(); r++) {
        int y = HEADER + r * (cell + PAD);
        labels.draw(g, rows.get(r).getKey(), PAD, y + cell / 2 + 4, LABEL_WIDTH - 2 * PAD);
        BufferedImage[] views = rows.get(r).getValue();
        for (int k = 0; k < 4; k++) {
          int x = cellX(k, cell);
          if (views[k] == null) {
            g.setColor(Color.LIGHT_GRAY);
            g.fillRect(x, y, cell, cell);
            continue;
          }
          g.drawImage(views[k], x, y, cell, cell, null);
        }
      }
    } finally {
      g.dispose();
    }
    return sheet;
  }

  static int cellX(int column, int cell) {
    return LABEL_WIDTH + PAD + column * (cell + PAD);
  }

  /** The largest view, at least MIN_CELL, enlarged by a whole factor so pixels stay square. */
  static int cellSize(List<Map.Entry<String, BufferedImage[]>> rows) {
    int largest = 1;
    for (Map.Entry<String, BufferedImage[]> row : rows) {
      for (BufferedImage view : row.getValue()) {
        if (view != null) {
          largest = Math.max(largest, Math.max(view.getWidth(), view.getHeight()));
        }
      }
    }
    int factor = Math.max(1, (MIN_CELL + largest - 1) / largest);
    return largest * factor;
  }

  /** Draws text with the platform's fonts, or with a built-in bitmap font where there are none. */
  private interface Labels {
    void draw(Graphics2D g, String text, int x, int baseline, int maxWidth);

    default void draw(Graphics2D g, String text, int x, int baseline) {
      draw(g, text, x, baseline, Integer.MAX_VALUE);
    }

    static Labels forGraphics(Graphics2D g) {
      try {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.getFontMetrics().stringWidth("0");
        return (graphics, text, x, baseline, maxWidth) -> {
          graphics.setColor(Color.BLACK);
          // Sample ids differ at their end (file name, epoch): cut from the left.
          String shown = text;
          while (shown.length() > 4 && graphics.getFontMetrics().stringWidth(shown) > maxWidth) {
            shown = ".." + shown.substring(Math.min(shown.length(), 4));
          }
          graphics.drawString(shown, x, baseline);
        };
      } catch (RuntimeException | Error noFonts) {
        // Slim containers may have no fonts at all; headless Java2D then fails on first use.
        return (graphics, text, x, baseline, maxWidth) -> BitmapFont.draw(graphics, text, x, baseline, maxWidth);
      }
    }
  }
}
