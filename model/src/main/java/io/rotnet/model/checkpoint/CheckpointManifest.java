package io.rotnet.model.checkpoint;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.checkpoint.CheckpointException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code manifest.json} of a checkpoint: what model it holds, where training stood, and the
 * size and sha256 of every other file. Its own sha256 is the checkpoint's identity.
 *
 * @param formatVersion checkpoint format version ({@value #FORMAT_VERSION})
 * @param spec the model's architecture (depth, width, input size, rotations)
 * @param progress run id, step, epoch, images seen, preset, consumed offsets
 * @param createdAt when the checkpoint was written
 * @param files every file of the checkpoint except the manifest itself
 */
public record CheckpointManifest(
    int formatVersion,
    ModelSpec spec,
    CheckpointMetadata progress,
    Instant createdAt,
    List<CheckpointFile> files) {

  public static final int FORMAT_VERSION = 1;

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  public CheckpointManifest {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(createdAt, "createdAt");
    files = List.copyOf(files);
  }

  public String architecture() {
    return spec.architecture();
  }

  public String runId() {
    return progress.runId();
  }

  public long step() {
    return progress.step();
  }

  public int epoch() {
    return progress.epoch();
  }

  public Optional<CheckpointFile> file(String name) {
    return files.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** Sum of the sizes of the listed files (the manifest itself not included). */
  public long filesBytes() {
    return files.stream().mapToLong(CheckpointFile::sizeBytes).sum();
  }

  /** UTF-8 JSON, as written to disk. */
  public byte[] toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("formatVersion", formatVersion);
    json.addProperty("architecture", spec.architecture());
    json.addProperty("depth", spec.depth());
    json.addProperty("widthDivisor", spec.widthDivisor());
    json.addProperty("inputSize", spec.inputSize());
    json.addProperty("numRotations", spec.numRotations());
    json.addProperty("preset", progress.preset());
    json.addProperty("runId", progress.runId());
    json.addProperty("step", progress.step());
    json.addProperty("epoch", progress.epoch());
    json.addProperty("imagesSeen", progress.imagesSeen());
    JsonArray offsets = new JsonArray();
    for (ConsumedOffset o : progress.consumedOffsets()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("topic", o.topic());
      entry.addProperty("partition", o.partition());
      entry.addProperty("offset", o.offset());
      offsets.add(entry);
    }
    json.add("consumedOffsets", offsets);
    json.addProperty("createdAt", createdAt.toString());
    JsonArray fileArray = new JsonArray();
    for (CheckpointFile f : files) {
      JsonObject entry = new JsonObject();
      entry.addProperty("name", f.name());
      entry.addProperty("sizeBytes", f.sizeBytes());
      entry.addProperty("sha256", f.sha256());
      fileArray.add(entry);
    }
    json.add("files", fileArray);
    return GSON.toJson(json).getBytes(StandardCharsets.UTF_8);
  }

  /** Parses and validates a manifest; anything missing or inconsistent is MALFORMED_MANIFEST. */
  public static CheckpointManifest parse(byte[] json) throws CheckpointException {
    try {
      JsonObject o = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
      int version = required(o, "formatVersion").getAsInt();
      if (version != FORMAT_VERSION) {
        throw malformed("unsupported checkpoint format version " + version);
      }
      String architecture = required(o, "architecture").getAsString();
      ModelSpec spec =
          new ModelSpec(
              required(o, "depth").getAsInt(),
              required(o, "widthDivisor").getAsInt(),
              required(o, "inputSize").getAsInt(),
              required(o, "numRotations").getAsInt(),
              architecture.startsWith("nin") ? ModelSpec.Family.NIN : ModelSpec.Family.RESNET);
      if (!architecture.equals(spec.architecture())) {
        throw malformed(
            "architecture '" + architecture + "' disagrees with depth/width " + spec.architecture());
      }
      List<ConsumedOffset> offsets = new ArrayList<>();
      for (JsonElement e : required(o, "consumedOffsets").getAsJsonArray()) {
        JsonObject entry = e.getAsJsonObject();
        offsets.add(
            new ConsumedOffset(
                required(entry, "topic").getAsString(),
                required(entry, "partition").getAsInt(),
                required(entry, "offset").getAsLong()));
      }
      JsonElement preset = o.get("preset");
      CheckpointMetadata progress =
          new CheckpointMetadata(
              required(o, "runId").getAsString(),
              required(o, "step").getAsLong(),
              required(o, "epoch").getAsInt(),
              required(o, "imagesSeen").getAsLong(),
              preset == null || preset.isJsonNull() ? null : preset.getAsString(),
              offsets);
      List<CheckpointFile> files = new ArrayList<>();
      for (JsonElement e : required(o, "files").getAsJsonArray()) {
        JsonObject entry = e.getAsJsonObject();
        String name = required(entry, "name").getAsString();
        if (!CheckpointLayout.isSafeName(name) || name.equals(CheckpointLayout.MANIFEST_FILE)) {
          throw malformed("file name not allowed in a checkpoint: '" + name + "'");
        }
        String sha = required(entry, "sha256").getAsString();
        if (!sha.matches("[0-9a-f]{64}")) {
          throw malformed("sha256 of " + name + " is not 64 hex digits");
        }
        long size = required(entry, "sizeBytes").getAsLong();
        if (size < 0) {
          throw malformed("negative size for " + name);
        }
        files.add(new CheckpointFile(name, sha, size));
      }
      if (files.stream().map(CheckpointFile::name).distinct().count() != files.size()) {
        throw malformed("a file is listed twice");
      }
      if (files.stream().noneMatch(f -> f.name().equals(CheckpointLayout.PARAMETERS_FILE))) {
        throw malformed("no " + CheckpointLayout.PARAMETERS_FILE + " listed");
      }
      Instant createdAt = Instant.parse(required(o, "createdAt").getAsString());
      return new CheckpointManifest(version, spec, progress, createdAt, files);
    } catch (JsonParseException
        | IllegalStateException
        | UnsupportedOperationException
        | NumberFormatException
        | DateTimeParseException e) {
      throw new CheckpointException(
          Reason.MALFORMED_MANIFEST, "manifest is not valid: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(
          Reason.MALFORMED_MANIFEST, "manifest holds invalid values: " + e.getMessage(), e);
    }
  }

  private static JsonElement required(JsonObject o, String field) throws CheckpointException {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      throw malformed("missing field '" + field + "'");
    }
    return e;
  }

  private static CheckpointException malformed(String message) {
    return new CheckpointException(Reason.MALFORMED_MANIFEST, "manifest is not valid: " + message);
  }
}
