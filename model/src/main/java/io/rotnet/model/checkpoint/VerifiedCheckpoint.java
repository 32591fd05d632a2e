package io.rotnet.model.checkpoint;

import io.rotnet.model.checkpoint.CheckpointException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A checkpoint whose manifest and files passed every check. Reading a file again re-checks its
 * size and sha256 on the bytes actually read, so a file swapped after verification is refused.
 *
 * @param directory real path of the checkpoint directory, inside the root
 * @param location location relative to the checkpoint root ({@code <runId>/step-<step>})
 * @param manifest the parsed manifest
 * @param manifestSha256 sha256 of {@code manifest.json}
 * @param totalBytes size of all files, manifest included
 */
public record VerifiedCheckpoint(
    Path directory,
    String location,
    CheckpointManifest manifest,
    String manifestSha256,
    long totalBytes) {

  public long step() {
    return manifest.step();
  }

  /** True if the manifest lists a file of this name. */
  public boolean hasFile(String name) {
    return manifest.file(name).isPresent();
  }

  /** The content of a listed file, verified against the manifest on the bytes returned. */
  public byte[] readFile(String name) throws CheckpointException {
    CheckpointFile entry =
        manifest
            .file(name)
            .orElseThrow(
                () ->
                    new CheckpointException(
                        Reason.MISSING_FILE, "checkpoint " + location + " lists no file " + name));
    Path file = directory.resolve(entry.name());
    byte[] bytes;
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new CheckpointException(
            Reason.MISSING_FILE, "checkpoint " + location + ": " + name + " is missing");
      }
      if (Files.size(file) != entry.sizeBytes()) {
        throw CheckpointReader.sizeMismatch(location, entry, Files.size(file));
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(
          Reason.MISSING_FILE, "checkpoint " + location + ": " + name + " is missing", e);
    } catch (IOException e) {
      throw new CheckpointException(
          Reason.IO_ERROR, "checkpoint " + location + ": cannot read " + name + ": " + e, e);
    }
    if (bytes.length != entry.sizeBytes()) {
      throw CheckpointReader.sizeMismatch(location, entry, bytes.length);
    }
    String sha = Sha256.of(bytes);
    if (!sha.equals(entry.sha256())) {
      throw CheckpointReader.hashMismatch(location, entry, sha);
    }
    return bytes;
  }
}
