package io.rotnet.producer.source;

import io.rotnet.producer.decode.ImageDecoder;
import io.rotnet.producer.decode.ImageRejectedException;
import io.rotnet.producer.decode.RegionChooser;
import io.rotnet.producer.decode.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

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

  /** The first {@code count} images of a source (all of them if it holds fewer). */
  public static ImageSource limit(ImageSource source, int count) {
    if (count >= source.size()) {
      return source;
    }
    if (count < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + count);
    }
    return new ImageSource() {
      @Override
      public int size() {
        return count;
      }

      @Override
      public SourceEntry entry(int index) {
        Objects.checkIndex(index, count);
        return source.entry(index);
      }

      @Override
      public RgbImage load(int index, ImageDecoder decoder) throws ImageRejectedException {
        Objects.checkIndex(index, count);
        return source.load(index, decoder);
      }

      @Override
      public RgbImage load(int index, ImageDecoder decoder, RegionChooser chooser)
          throws ImageRejectedException {
        Objects.checkIndex(index, count);
        return source.load(index, decoder, chooser);
      }

      @Override
      public String description() {
        return "first " + count + " of " + source.description();
      }
    };
  }
}
