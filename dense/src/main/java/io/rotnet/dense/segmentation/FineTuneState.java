package io.rotnet.dense.segmentation;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an interrupted fine-tune needs to go on: the iteration reached, every parameter (running
 * statistics included) and every momentum buffer. Written to a temporary file and moved into
 * place, so a crash mid-write leaves the previous state. Batches and dropout masks derive from
 * (seed, iteration), so nothing else is needed for the resumed run to repeat the same steps.
 */
public record FineTuneState(String key, int iteration, byte[] parameters, Map<String, float[]> momentum) {
  private static final int MAGIC = 0x46544e31; // "FTN1"

  public void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp); DataOutputStream data = new DataOutputStream(
        new java.io.BufferedOutputStream(out))) {
      data.writeInt(MAGIC);
      data.writeUTF(key);
      data.writeInt(iteration);
      data.writeInt(parameters.length);
      data.write(parameters);
      data.writeInt(momentum.size());
      for (Map.Entry<String, float[]> e : momentum.entrySet()) {
        data.writeUTF(e.getKey());
        data.writeInt(e.getValue().length);
        for (float v : e.getValue()) {
          data.writeFloat(v);
        }
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The saved state, or null when there is none or it belongs to another fine-tune. */
  public static FineTuneState read(Path file, String expectedKey) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
      if (in.readInt() != MAGIC) {
        return null;
      }
      String key = in.readUTF();
      if (!key.equals(expectedKey)) {
        return null;
      }
      int iteration = in.readInt();
      byte[] parameters = new byte[in.readInt()];
      in.readFully(parameters);
      int buffers = in.readInt();
      Map<String, float[]> momentum = new LinkedHashMap<>();
      for (int b = 0; b < buffers; b++) {
        String name = in.readUTF();
        float[] values = new float[in.readInt()];
        for (int i = 0; i < values.length; i++) {
          values[i] = in.readFloat();
        }
        momentum.put(name, values);
      }
      return new FineTuneState(key, iteration, parameters, momentum);
    } catch (java.io.EOFException e) {
      return null; // truncated: start over
    }
  }
}
