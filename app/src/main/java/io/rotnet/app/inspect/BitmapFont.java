package io.rotnet.app.inspect;

import java.awt.Color;
import java.awt.Graphics2D;
import java.util.Locale;
import java.util.Map;

/**
 * A 3x5 pixel font drawn at twice its size, for machines without fonts. It covers digits,
 * letters (upper case) and the punctuation of sample ids; anything else is a blank.
 */
final class BitmapFont {

  private static final int SCALE = 2;
  private static final int ADVANCE = 4 * SCALE;

  /** Each glyph: five rows of three bits, top row first. */
  private static final Map<Character, int[]> GLYPHS =
      Map.ofEntries(
          Map.entry('0', new int[] {7, 5, 5, 5, 7}),
          Map.entry('1', new int[] {2, 6, 2, 2, 7}),
          Map.entry('2', new int[] {7, 1, 7, 4, 7}),
          Map.entry('3', new int[] {7, 1, 3, 1, 7}),
          Map.entry('4', new int[] {5, 5, 7, 1, 1}),
          Map.entry('5', new int[] {7, 4, 7, 1, 7}),
          Map.entry('6', new int[] {7, 4, 7, 5, 7}),
          Map.entry('7', new int[] {7, 1, 1, 2, 2}),
          Map.entry('8', new int[] {7, 5, 7, 5, 7}),
          Map.entry('9', new int[] {7, 5, 7, 1, 7}),
          Map.entry('A', new int[] {2, 5, 7, 5, 5}),
          Map.entry('B', new int[] {6, 5, 6, 5, 6}),
          Map.entry('C', new int[] {3, 4, 4, 4, 3}),
          Map.entry('D', new int[] {6, 5, 5, 5, 6}),
          Map.entry('E', new int[] {7, 4, 6, 4, 7}),
          Map.entry('F', new int[] {7, 4, 6, 4, 4}),
          Map.entry('G', new int[] {3, 4, 5, 5, 3}),
          Map.entry('H', new int[] {5, 5, 7, 5, 5}),
          Map.entry('I', new int[] {7, 2, 2, 2, 7}),
          Map.entry('J', new int[] {1, 1, 1, 5, 2}),
          Map.entry('K', new int[] {5, 5, 6, 5, 5}),
          Map.entry('L', new int[] {4, 4, 4, 4, 7}),
          Map.entry('M', new int[] {5, 7, 7, 5, 5}),
          Map.entry('N', new int[] {6, 5, 5, 5, 5}),
          Map.entry('O', new int[] {2, 5, 5, 5, 2}),
          Map.entry('P', new int[] {6, 5, 6, 4, 4}),
          Map.entry('Q', new int[] {2, 5, 5, 6, 3}),
          Map.entry('R', new int[] {6, 5, 6, 5, 5}),
          Map.entry('S', new int[] {3, 4, 2, 1, 6}),
          Map.entry('T', new int[] {7, 2, 2, 2, 2}),
          Map.entry('U', new int[] {5, 5, 5, 5, 7}),
          Map.entry('V', new int[] {5, 5, 5, 5, 2}),
          Map.entry('W', new int[] {5, 5, 7, 7, 5}),
          Map.entry('X', new int[] {5, 5, 2, 5, 5}),
          Map.entry('Y', new int[] {5, 5, 2, 2, 2}),
          Map.entry('Z', new int[] {7, 1, 2, 4, 7}),
          Map.entry('.', new int[] {0, 0, 0, 0, 2}),
          Map.entry('-', new int[] {0, 0, 7, 0, 0}),
          Map.entry('_', new int[] {0, 0, 0, 0, 7}),
          Map.entry('/', new int[] {1, 1, 2, 4, 4}),
          Map.entry('@', new int[] {7, 5, 7, 4, 7}),
          Map.entry('#', new int[] {5, 7, 5, 7, 5}),
          Map.entry(':', new int[] {0, 2, 0, 2, 0}));

  private BitmapFont() {}

  static void draw(Graphics2D g, String text, int x, int baseline, int maxWidth) {
    g.setColor(Color.BLACK);
    int top = baseline - 5 * SCALE;
    String upper = text.toUpperCase(Locale.ROOT);
    int fits = Math.max(1, maxWidth / ADVANCE);
    if (upper.length() > fits) {
      upper = upper.substring(upper.length() - fits); // keep the distinctive end of ids
    }
    for (int i = 0; i < upper.length(); i++) {
      int[] glyph = GLYPHS.get(upper.charAt(i));
      if (glyph == null) {
        continue;
      }
      for (int row = 0; row < 5; row++) {
        for (int col = 0; col < 3; col++) {
          if ((glyph[row] & (4 >> col)) != 0) {
            g.fillRect(x + i * ADVANCE + col * SCALE, top + row * SCALE, SCALE, SCALE);
          }
        }
      }
    }
  }
}
