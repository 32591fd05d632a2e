package io.rotnet.producer.source;

import io.rotnet.producer.decode.ImageDecoder;
import io.rotnet.producer.decode.ImageRejectedException;
import io.rotnet.producer.decode.RegionChooser;
import io.rotnet.producer.decode.RgbImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Images stored one per file: what a folder tree or a list of paths resolves to. */
public class FileListSource implements ImageSource {

  /** Files larger than this are refused unread; no usable training image comes close. */
  static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

  /** One image file with its id and optional label. */
  public record ImageFile(Path path, String id, String label) {
    public ImageFile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(id, "id");
    }
  }

  private final List<ImageFile> files;
  private final String description;

  FileListSource(List<ImageFile> files, String description) {
    this.files = List.copyOf(files);
    this.description = description;
  }

  @Override
  public int size() {
    return files.size();
  }

  @Override
  public SourceEntry entry(int index) {
    ImageFile file = files.get(index);
    return new SourceEntry(file.id(), file.path().toUri().toString(), file.label());
  }

  @Override
  public RgbImage load(int index, ImageDecoder decoder) throws ImageRejectedException {
    return load(index, decoder, RegionChooser.WHOLE);
  }

  @Override
  public RgbImage load(int index, ImageDecoder decoder, RegionChooser chooser)
      throws ImageRejectedException {
    return decoder.decode(readBytes(files.get(index).path()), chooser);
  }

  /** The raw bytes of one file (used by the decode-only benchmark too). */
  public byte[] bytes(int index) throws ImageRejectedException {
    return readBytes(files.get(index).path());
  }

  private static byte[] readBytes(Path path) throws ImageRejectedException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_FILE_BYTES + 1));
      if (bytes.length > MAX_FILE_BYTES) {
        throw new ImageRejectedException(
            "file larger than " + MAX_FILE_BYTES + " bytes", Arrays.copyOf(bytes, 256));
      }
      return bytes;
    } catch (IOException e) {
      throw new ImageRejectedException("cannot read file: " + e, new byte[0], e);
    }
  }

  public List<ImageFile> files() {
    return files;
  }

  @Override
  public String description() {
    return description;
  }
}
