package io.rotnet.evaluator.dataset;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;

/** Images stored one per file (ImageFolder, VOC JPEGImages), decoded with ImageIO on demand. */
final class ImageFiles implements ImageSource {
  static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

  private final Path root;
  private final List<Path> files;

  ImageFiles(Path root, List<Path> files) {
    this.root = root;
    this.files = List.copyOf(files);
  }

  static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  @Override
  public int size() {
    return files.size();
  }

  @Override
  public BufferedImage read(int index) {
    Path file = files.get(index);
    try (InputStream in = Files.newInputStream(file)) {
      BufferedImage image = ImageIO.read(in);
      if (image == null) {
        throw new DatasetException("no image decoder accepts " + describe(index));
      }
      return image;
    } catch (IOException | RuntimeException e) {
      if (e instanceof DatasetException dataset) {
        throw dataset;
      }
      throw new DatasetException("cannot decode " + describe(index) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe(int index) {
    return root.relativize(files.get(index)).toString();
  }

  List<Path> files() {
    return files;
  }
}
