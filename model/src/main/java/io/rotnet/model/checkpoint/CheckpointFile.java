package io.rotnet.model.checkpoint;

/**
 * One file of a checkpoint as the manifest lists it.
 *
 * @param name plain file name inside the checkpoint directory
 * @param sha256 lower-case hex sha256 of the content
 * @param sizeBytes content length
 */
public record CheckpointFile(String name, String sha256, long sizeBytes) {}
