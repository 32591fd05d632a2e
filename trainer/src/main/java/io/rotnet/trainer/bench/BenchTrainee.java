package io.rotnet.trainer.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.model.RotNetModel;
import io.rotnet.trainer.LearningRateSchedule;
import io.rotnet.trainer.StepResult;
import io.rotnet.trainer.TrainingPreset;
import io.rotnet.trainer.TrainingStep;
import io.rotnet.trainer.input.HostBatch;
import io.rotnet.trainer.optim.MomentumSgd;
import java.util.List;

/** A model, its optimizer and a training step in the preset's precision, closed together. */
final class BenchTrainee implements AutoCloseable {
  private final Model model;
  private final NDManager optimizerState;
  private final MomentumSgd sgd;
  private final TrainingStep step;
  private final LearningRateSchedule schedule;

  BenchTrainee(TrainingPreset preset, Device device) {
    this(preset, device, true);
  }

  /** {@code fusedUpdate} false updates tensor by tensor instead of through one flat buffer. */
  BenchTrainee(TrainingPreset preset, Device device, boolean fusedUpdate) {
    model = Model.newInstance("bench-" + preset.name(), device, "PyTorch");
    Engine.getInstance().setRandomSeed((int) preset.seed());
    RotNetModel net = RotNetModel.newInitialized(preset.modelSpec(), model.getNDManager());
    model.setBlock(net);
    optimizerState = model.getNDManager().newSubManager();
    sgd =
        MomentumSgd.builder()
            .setParameters(net.getParameters())
            .setStateManager(optimizerState)
            .optMomentum(preset.momentum())
            .optWeightDecay(preset.weightDecay())
            .optNesterov(preset.nesterov())
            .build();
    step =
        TrainingStep.builder()
            .setModel(model)
            .setOptimizer(sgd)
            .optDevices(List.of(device))
            .optPartSize(preset.partSize())
            .optPrecision(preset.precision())
            .optFusedUpdate(fusedUpdate)
            .build();
    schedule = LearningRateSchedule.of(preset);
  }

  /** One step at the rate of epoch 1; {@code release} hands a prefetched batch back. */
  StepResult step(HostBatch batch, boolean release) {
    try {
      return step.run(batch, schedule.at(1));
    } finally {
      if (release) {
        batch.release();
      }
    }
  }

  @Override
  public void close() {
    step.close();
    sgd.close();
    optimizerState.close();
    model.close();
  }
}
