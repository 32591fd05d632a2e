package io.rotnet.model.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.checkpoint.CheckpointException.Reason;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies and loads checkpoints below one configured root. A checkpoint is refused, with a
 * {@link CheckpointException} naming the reason, when its location leaves the root (a {@code ..}
 * element, an absolute path elsewhere, a symlink pointing out), when its manifest differs from the
 * announced sha256 or is malformed, when a listed file is missing, has another size or another
 * sha256, or when it holds another architecture than expected.
 */
public final class CheckpointReader {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointReader.class);

  private final Path root;

  /**
   * @param root the checkpoint root; must exist (its real path is the boundary)
   * @throws IOException if the root does not exist or cannot be resolved
   */
  public CheckpointReader(Path root) throws IOException {
    this.root = Objects.requireNonNull(root, "root").toRealPath();
    if (!Files.isDirectory(this.root)) {
      throw new NoSuchFileException(root.toString(), null, "checkpoint root is not a directory");
    }
  }

  public Path root() {
    return root;
  }

  /**
   * Verifies a checkpoint without loading it.
   *
   * @param location {@code <runId>/step-<step>} relative to the root, an absolute path or a
   *     {@code file:} URI inside the root
   * @param expectedManifestSha256 the sha256 announced for the manifest, or null to skip that check
   */
  public VerifiedCheckpoint verify(String location, String expectedManifestSha256)
      throws CheckpointException {
    Path dir = resolveInsideRoot(location);
    String relative = root.relativize(dir).toString().replace('\\', '/');
    byte[] manifestBytes = readManifest(dir, relative);
    String manifestSha = Sha256.of(manifestBytes);
    if (expectedManifestSha256 != null && !expectedManifestSha256.equalsIgnoreCase(manifestSha)) {
      throw new CheckpointException(
          Reason.MANIFEST_MISMATCH,
          "checkpoint "
              + relative
              + ": manifest sha256 is "
              + manifestSha
              + ", announced "
              + expectedManifestSha256);
    }
    CheckpointManifest manifest = CheckpointManifest.parse(manifestBytes);
    for (CheckpointFile entry : manifest.files()) {
      verifyFile(dir, relative, entry);
    }
    return new VerifiedCheckpoint(
        dir, relative, manifest, manifestSha, manifest.filesBytes() + manifestBytes.length);
  }

  /**
   * Verifies a checkpoint and loads it into a fresh {@link RotNetModel} whose arrays live in
   * {@code manager} (and on its device).
   *
   * @param expected the architecture the caller needs, or null to take the checkpoint's own;
   *     depth, width and rotations must match, the input size is the caller's
   * @param expectedManifestSha256 announced manifest sha256, or null
   */
  public LoadedCheckpoint load(
      String location, ModelSpec expected, String expectedManifestSha256, NDManager manager)
      throws CheckpointException {
    VerifiedCheckpoint checkpoint = verify(location, expectedManifestSha256);
    ModelSpec stored = checkpoint.manifest().spec();
    if (expected != null && !expected.hasSameParametersAs(stored)) {
      throw new CheckpointException(
          Reason.ARCHITECTURE_MISMATCH,
          "checkpoint "
              + checkpoint.location()
              + " holds "
              + describe(stored)
              + ", expected "
              + describe(expected));
    }
    ModelSpec spec = expected != null ? expected : stored;
    RotNetModel model = RotNetModel.newInitialized(spec, manager);
    loadParameters(checkpoint, model, manager);
    return new LoadedCheckpoint(checkpoint, model);
  }

  /**
   * Loads a verified checkpoint's parameters into an initialised block (e.g. the trainer's model
   * on resume). Shapes are checked parameter by parameter; on failure the block is unusable.
   */
  public static void loadParameters(VerifiedCheckpoint checkpoint, Block block, NDManager manager)
      throws CheckpointException {
    byte[] bytes = checkpoint.readFile(CheckpointLayout.PARAMETERS_FILE);
    Map<String, Shape> expectedShapes = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      Shape shape = p.getValue().getShape();
      if (shape == null) {
        throw new IllegalStateException("initialise the block before loading: " + p.getKey());
      }
      expectedShapes.put(p.getKey(), shape);
    }
    // the freshly initialised arrays are replaced, so free them instead of leaking them
    for (Pair<String, Parameter> p : block.getParameters()) {
      p.getValue().close();
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      block.loadParameters(manager, in);
      if (in.available() != 0) {
        throw new CheckpointException(
            Reason.INCOMPATIBLE_PARAMETERS,
            "checkpoint " + checkpoint.location() + ": parameter file has trailing data");
      }
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new CheckpointException(
          Reason.INCOMPATIBLE_PARAMETERS,
          "checkpoint " + checkpoint.location() + ": parameters do not fit the model: " + e, e);
    }
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter parameter = p.getValue();
      Shape loaded = parameter.getArray() == null ? null : parameter.getArray().getShape();
      if (!expectedShapes.get(p.getKey()).equals(loaded)) {
        throw new CheckpointException(
            Reason.INCOMPATIBLE_PARAMETERS,
            "checkpoint "
                + checkpoint.location()
                + ": parameter "
                + p.getKey()
                + " has shape "
                + loaded
                + ", the model needs "
                + expectedShapes.get(p.getKey()));
      }
      if (parameter.requiresGradient()) {
        parameter.getArray().setRequiresGradient(true);
      }
    }
  }

  /**
   * The newest checkpoint of a run that passes verification; broken ones are skipped with a
   * warning (a trainer resumes from the last good state).
   */
  public Optional<VerifiedCheckpoint> latest(String runId) {
    for (Path dir : stepDirectories(runId)) {
      try {
        return Optional.of(verify(root.relativize(dir).toString(), null));
      } catch (CheckpointException e) {
        LOG.warn("skipping checkpoint {}: {} ({})", dir, e.getMessage(), e.reason());
      }
    }
    return Optional.empty();
  }

  /** Checkpoints of a run that pass verification, newest first; broken ones are skipped. */
  public List<VerifiedCheckpoint> list(String runId) {
    List<VerifiedCheckpoint> valid = new ArrayList<>();
    for (Path dir : stepDirectories(runId)) {
      try {
        valid.add(verify(root.relativize(dir).toString(), null));
      } catch (CheckpointException e) {
        LOG.warn("skipping checkpoint {}: {} ({})", dir, e.getMessage(), e.reason());
      }
    }
    return valid;
  }

  /** {@code step-<n>} directories of a run, highest step first (unverified). */
  List<Path> stepDirectories(String runId) {
    CheckpointLayout.requireSafeName("runId", runId);
    Path runDir = root.resolve(runId);
    List<Path> dirs = new ArrayList<>();
    if (!Files.isDirectory(runDir, LinkOption.NOFOLLOW_LINKS)) {
      return dirs;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(runDir)) {
      for (Path entry : entries) {
        if (CheckpointLayout.stepOf(entry).isPresent()) {
          dirs.add(entry);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list checkpoints of run {}: {}", runId, e.toString());
    }
    dirs.sort(
        Comparator.comparingLong((Path p) -> stepOrZero(CheckpointLayout.stepOf(p))).reversed());
    return dirs;
  }

  private static long stepOrZero(OptionalLong step) {
    return step.orElse(0);
  }

  /** Resolves a location and proves that it (and whatever it links to) is inside the root. */
  Path resolveInsideRoot(String location) throws CheckpointException {
    if (location == null || location.isBlank()) {
      throw new CheckpointException(Reason.NOT_FOUND, "empty checkpoint location");
    }
    Path path;
    try {
      path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      throw new CheckpointException(
          Reason.OUTSIDE_ROOT, "checkpoint location '" + location + "' is not a local path", e);
    }
    for (Path element : path) {
      if (element.toString().equals("..")) {
        throw new CheckpointException(
            Reason.OUTSIDE_ROOT, "checkpoint location '" + location + "' contains '..'");
      }
    }
    Path absolute = (path.isAbsolute() ? path : root.resolve(path)).normalize();
    if (!absolute.startsWith(root) || absolute.equals(root)) {
      throw new CheckpointException(
          Reason.OUTSIDE_ROOT,
          "checkpoint location '" + location + "' is outside the checkpoint root " + root);
    }
    Path real;
    try {
      real = absolute.toRealPath();
    } catch (NoSuchFileException e) {
      throw new CheckpointException(
          Reason.NOT_FOUND, "no checkpoint at '" + location + "' under " + root, e);
    } catch (IOException | InvalidPathException e) {
      throw new CheckpointException(
          Reason.IO_ERROR, "cannot resolve checkpoint location '" + location + "': " + e, e);
    }
    if (!real.startsWith(root) || real.equals(root)) {
      throw new CheckpointException(
          Reason.OUTSIDE_ROOT,
          "checkpoint location '"
              + location
              + "' resolves through a symbolic link to "
              + real
              + ", outside the checkpoint root "
              + root);
    }
    if (!Files.isDirectory(real)) {
      throw new CheckpointException(
          Reason.NOT_FOUND, "checkpoint location '" + location + "' is not a directory");
    }
    return real;
  }

  private static byte[] readManifest(Path dir, String relative) throws CheckpointException {
    Path manifest = dir.resolve(CheckpointLayout.MANIFEST_FILE);
    try {
      if (Files.isSymbolicLink(manifest)) {
        throw new CheckpointException(
            Reason.OUTSIDE_ROOT, "checkpoint " + relative + ": manifest is a symbolic link");
      }
      if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
        throw new CheckpointException(
            Reason.NOT_FOUND, "checkpoint " + relative + " has no " + CheckpointLayout.MANIFEST_FILE);
      }
      return Files.readAllBytes(manifest);
    } catch (IOException e) {
      throw new CheckpointException(
          Reason.IO_ERROR, "checkpoint " + relative + ": cannot read manifest: " + e, e);
    }
  }

  private static void verifyFile(Path dir, String relative, CheckpointFile entry)
      throws CheckpointException {
    Path file = dir.resolve(entry.name());
    try {
      if (Files.isSymbolicLink(file)) {
        throw new CheckpointException(
            Reason.OUTSIDE_ROOT,
            "checkpoint " + relative + ": " + entry.name() + " is a symbolic link");
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new CheckpointException(
            Reason.MISSING_FILE,
            "checkpoint " + relative + ": " + entry.name() + " listed in the manifest is missing");
      }
      long size = Files.size(file);
      if (size != entry.sizeBytes()) {
        throw sizeMismatch(relative, entry, size);
      }
      String sha = Sha256.of(file);
      if (!sha.equals(entry.sha256())) {
        throw hashMismatch(relative, entry, sha);
      }
    } catch (NoSuchFileException e) {
      throw new CheckpointException(
          Reason.MISSING_FILE,
          "checkpoint " + relative + ": " + entry.name() + " listed in the manifest is missing",
          e);
    } catch (IOException e) {
      throw new CheckpointException(
          Reason.IO_ERROR, "checkpoint " + relative + ": cannot read " + entry.name() + ": " + e, e);
    }
  }

  static CheckpointException sizeMismatch(String location, CheckpointFile entry, long actual) {
    return new CheckpointException(
        Reason.SIZE_MISMATCH,
        "checkpoint "
            + location
            + ": "
            + entry.name()
            + " has "
            + actual
            + " bytes, the manifest says "
            + entry.sizeBytes()
            + (actual < entry.sizeBytes() ? " (truncated)" : ""));
  }

  static CheckpointException hashMismatch(String location, CheckpointFile entry, String actual) {
    return new CheckpointException(
        Reason.HASH_MISMATCH,
        "checkpoint "
            + location
            + ": "
            + entry.name()
            + " has sha256 "
            + actual
            + ", the manifest says "
            + entry.sha256()
            + " (tampered or corrupted)");
  }

  private static String describe(ModelSpec spec) {
    return spec.architecture() + " with " + spec.numRotations() + " rotation classes";
  }
}
