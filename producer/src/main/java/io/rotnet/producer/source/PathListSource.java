package io.rotnet.producer.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Images named in a text file, one per line: {@code path} or {@code path<TAB>label}. Relative
 * paths are resolved against the list file's folder; blank lines and lines starting with
 * {@code #} are skipped. The order of the file is kept (epochs shuffle it).
 */
public final class PathListSource extends FileListSource {

  private PathListSource(List<ImageFile> files, String description) {
    super(files, description);
  }

  public static PathListSource read(Path listFile) {
    List<String> lines;
    try {
      lines = Files.readAllLines(listFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read list file " + listFile, e);
    }
    Path base = listFile.toAbsolutePath().getParent();
    List<ImageFile> files = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int tab = line.indexOf('\t');
      String pathText = tab < 0 ? line : line.substring(0, tab).strip();
      String label = tab < 0 ? null : line.substring(tab + 1).strip();
      Path path = base.resolve(pathText).normalize();
      files.add(new ImageFile(path, pathText, label == null || label.isEmpty() ? null : label));
    }
    return new PathListSource(
        files, "list " + listFile.toAbsolutePath().normalize() + " (" + files.size() + " images)");
  }
}
