package io.rotnet.model.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint the writer has published.
 *
 * @param directory absolute checkpoint directory
 * @param location {@code <runId>/step-<step>}, relative to the checkpoint root (what events carry)
 * @param manifestSha256 sha256 of {@code manifest.json}, the checkpoint's identity
 * @param totalBytes size of all files, manifest included
 * @param manifest the manifest written
 */
public record WrittenCheckpoint(
    Path directory,
    String location,
    String manifestSha256,
    long totalBytes,
    CheckpointManifest manifest) {}
