package io.rotnet.producer.source;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the right {@link ImageSource} for a path. */
public final class ImageSources {

  private ImageSources() {}

  /**
   * A folder is scanned recursively; an IDX file (gzipped or not) is read with its sibling labels
   * file when there is one; any other file is a list of image paths.
   *
   * @throws IllegalArgumentException when the path does not exist or holds no image
   */
  public static ImageSource open(Path path) {
    return open(path, null);
  }

  /** As {@link #open(Path)}, with an explicit IDX labels file (ignored for other sources). */
  public static ImageSource open(Path path, Path idxLabels) {
    ImageSource source;
    if (Files.isDirectory(path)) {
      source = DirectorySource.scan(path);
    } else if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("source not found: " + path);
    } else if (IdxSource.looksLikeIdx(path)) {
      Path labels = idxLabels != null ? idxLabels : IdxSource.siblingLabels(path).orElse(null);
      source = IdxSource.read(path, labels);
    } else {
      source = PathListSource.read(path);
    }
    if (source.size() == 0) {
      throw new IllegalArgumentException("no images in " + source.description());
    }
    return source;
  }
}
