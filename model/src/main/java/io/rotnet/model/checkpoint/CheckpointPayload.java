package io.rotnet.model.checkpoint;

import java.io.IOException;
import java.io.OutputStream;

/** Content of an extra checkpoint file (e.g. optimizer momentum), streamed by the writer. */
@FunctionalInterface
public interface CheckpointPayload {

  /** Writes the content; must not close {@code out}. */
  void writeTo(OutputStream out) throws IOException;

  static CheckpointPayload ofBytes(byte[] bytes) {
    byte[] copy = bytes.clone();
    return out -> out.write(copy);
  }
}
