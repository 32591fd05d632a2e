package io.rotnet.dense.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.rotnet.evaluator.benchmark.Shuffle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

/** What the segmentation and detection fine-tunes share: seeded orders and parameter copies. */
public final class FineTuning {

  private FineTuning() {}

  /** A Fisher-Yates permutation of 0..n-1 fixed by {@code seed}: one epoch's order. */
  public static int[] permutation(int n, long seed) {
    return Shuffle.permutation(n, new Random(seed));
  }

  /** The block's parameters in DJL's format. */
  public static byte[] save(Block block) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    }
    return bytes.toByteArray();
  }

  /** Replaces the block's parameters (closing the current arrays) with {@link #save}'s bytes. */
  public static void load(Block block, byte[] parameters, NDManager manager) throws IOException {
    for (Pair<String, Parameter> p : block.getParameters()) {
      p.getValue().close();
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
      block.loadParameters(manager, in);
    } catch (MalformedModelException e) {
      throw new IOException("parameters do not fit the model: " + e.getMessage(), e);
    }
  }

  /** Marks every trainable parameter's array for gradients (a loaded array starts without). */
  public static void requireGradients(Block block) {
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().requiresGradient()) {
        p.getValue().getArray().setRequiresGradient(true);
      }
    }
  }
}
