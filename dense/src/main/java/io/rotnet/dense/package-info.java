/**
 * Dense benchmarks: they fine-tune the whole pretrained backbone with a task head (detection, instance and semantic
 * segmentation) and plug into the evaluator service as benchmarks of their own.
 */
package io.rotnet.dense;
