package io.rotnet.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch keeps autograd on or off per thread, and a new thread starts with it on. DJL turns it
 * off only on the thread that loads the engine and restores the previous state when a gradient
 * collector closes, so a trainer or extractor running on its own thread would record a graph for
 * every operation and refuse in-place parameter updates. Every thread that runs the model calls
 * {@link #disableOnThisThread()} first; gradient collectors turn it on for their scope.
 */
public final class GradMode {

  private GradMode() {}

  public static void disableOnThisThread() {
    if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
      JniUtils.setGradMode(false);
    }
  }
}
