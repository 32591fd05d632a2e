package io.rotnet.model.checkpoint;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names on disk: {@code <root>/<runId>/step-<step>/} holding {@value #PARAMETERS_FILE}, extra
 * files and {@value #MANIFEST_FILE}. Directories being written start with a dot and are never
 * taken for checkpoints.
 */
public final class CheckpointLayout {

  public static final String MANIFEST_FILE = "manifest.json";
  public static final String PARAMETERS_FILE = "parameters.bin";
  static final String PARTIAL_PREFIX = ".partial-";

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{1,18})");

  private CheckpointLayout() {}

  /** {@code <runId>/step-<step>}: the location relative to the root that events carry. */
  public static String relativeLocation(String runId, long step) {
    return runId + "/" + stepDirectoryName(step);
  }

  public static String stepDirectoryName(long step) {
    return "step-" + step;
  }

  /** The step of a {@code step-<n>} directory name, empty for anything else. */
  public static OptionalLong stepOf(Path directory) {
    Matcher m = STEP_DIR.matcher(directory.getFileName().toString());
    return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  static boolean isSafeName(String name) {
    return name != null && SAFE_NAME.matcher(name).matches();
  }

  static void requireSafeName(String what, String name) {
    if (!isSafeName(name)) {
      throw new IllegalArgumentException(
          what + " must be 1-128 characters of [A-Za-z0-9._-] not starting with '.' or '-': "
              + name);
    }
  }
}
