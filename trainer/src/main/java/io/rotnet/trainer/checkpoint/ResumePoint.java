package io.rotnet.trainer.checkpoint;

import io.rotnet.trainer.optim.MomentumState;

/**
 * A checkpoint loaded for resuming: its location and identity (manifest sha256, size), the loop's
 * state and the optimizer's buffers (the model's parameters were loaded into the caller's block).
 */
public record ResumePoint(
    String location, String manifestSha256, long totalBytes, TrainerState state, MomentumState momentum) {}
