package io.rotnet.evaluator.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A short hash of what a dataset is made of: format, location, file names and sizes, subsets.
 * Contents are not hashed (reading ImageNet twice to open it would be absurd); a file replaced
 * by one of exactly the same size is the accepted blind spot.
 */
final class Fingerprint {
  private final MessageDigest digest;

  Fingerprint(String format, Path root) {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
    add(format);
    add(root.toAbsolutePath().normalize().toString());
  }

  Fingerprint add(String value) {
    digest.update(value.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    return this;
  }

  void addFiles(List<Path> files) {
    for (Path file : files) {
      add(file.toString());
      try {
        add(Long.toString(Files.size(file)));
      } catch (IOException e) {
        throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** First 16 hex digits of the hash. */
  String value() {
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }
}
