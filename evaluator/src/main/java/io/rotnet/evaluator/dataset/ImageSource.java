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
}
