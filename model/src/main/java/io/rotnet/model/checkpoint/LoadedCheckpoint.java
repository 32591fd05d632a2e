package io.rotnet.model.checkpoint;

import io.rotnet.model.RotNetModel;

/**
 * A verified checkpoint loaded into a fresh model, whose arrays live in the manager the caller
 * passed to {@link CheckpointReader#load}.
 *
 * @param checkpoint what was verified (manifest, extra files)
 * @param model the model with the checkpoint's parameters and BN statistics
 */
public record LoadedCheckpoint(VerifiedCheckpoint checkpoint, RotNetModel model) {

  public CheckpointManifest manifest() {
    return checkpoint.manifest();
  }
}
