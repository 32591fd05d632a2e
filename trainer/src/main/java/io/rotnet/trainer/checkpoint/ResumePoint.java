package io.rotnet.trainer.checkpoint;

import io.rotnet.trainer.optim.MomentumState;

/**
 * A checkpoint loaded for resuming: its location, the loop's state and the optimizer's buffers (the
 * model's parameters were loaded into the caller's block).
 */
public record ResumePoint(String location, TrainerState state, MomentumState momentum) {}
