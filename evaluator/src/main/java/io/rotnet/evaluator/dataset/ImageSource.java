package io.rotnet.evaluator.dataset;

import java.awt.image.BufferedImage;

/** Random access to the images of one split. Implementations are safe for concurrent reads. */
public interface ImageSource {

  int size();

  /**
   * Decodes image {@code index}.
   *
   * @throws DatasetException naming the image when it cannot be read or decoded
   */
  BufferedImage read(int index);

  /** A short name of image {@code index} for messages (file name, IDX position). */
  String describe(int index);

  /** Images {@code first .. end - 1} of this source, read through it. */
  default ImageSource range(int first, int end) {
    if (first < 0 || end < first || end > size()) {
      throw new IllegalArgumentException("images " + first + ".." + end + " of " + size());
    }
    ImageSource whole = this;
    return new ImageSource() {
      @Override
      public int size() {
        return end - first;
      }

      @Override
      public BufferedImage read(int index) {
        return whole.read(first + index);
      }

      @Override
      public String describe(int index) {
        return whole.describe(first + index);
      }
    };
  }
}
