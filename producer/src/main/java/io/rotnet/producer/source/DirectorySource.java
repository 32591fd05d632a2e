package io.rotnet.producer.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every JPEG, PNG, GIF and BMP file under a folder, recursively, in sorted order. As in
 * ImageNet / ImageFolder layouts, the first-level subfolder of a file is its label; files directly
 * in the root have none.
 */
public final class DirectorySource extends FileListSource {

  static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp");

  private DirectorySource(List<ImageFile> files, String description) {
    super(files, description);
  }

  public static DirectorySource scan(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("not a folder: " + root);
    }
    List<ImageFile> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile)
          .filter(DirectorySource::hasImageExtension)
          .map(path -> imageFile(root, path))
          .sorted(Comparator.comparing(ImageFile::id))
          .forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    return new DirectorySource(
        files, "folder " + root.toAbsolutePath().normalize() + " (" + files.size() + " images)");
  }

  private static ImageFile imageFile(Path root, Path path) {
    Path relative = root.relativize(path);
    String id = relative.toString().replace('\\', '/');
    String label = relative.getNameCount() > 1 ? relative.getName(0).toString() : null;
    return new ImageFile(path.toAbsolutePath().normalize(), id, label);
  }

  static boolean hasImageExtension(Path path) {
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
