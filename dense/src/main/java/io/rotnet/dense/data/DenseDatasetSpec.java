package io.rotnet.dense.data;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dense benchmark's {@code --dataset}: {@code [NAME=]FORMAT:PATH} with the formats
 * {@code voc0712} (VOC detection devkit), {@code coco} (COCO 2017) and {@code voc12aug} (VOC2012
 * + SBD segmentation). Without a name the folder's name is used.
 */
public record DenseDatasetSpec(String name, Format format, Path root) {
  private static final Pattern SPEC = Pattern.compile("(?:([A-Za-z0-9][A-Za-z0-9._-]*)=)?([A-Za-z0-9]+):(.+)");

  /** The layouts the dense benchmarks read. */
  public enum Format {
    VOC0712, COCO, VOC12AUG;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static DenseDatasetSpec parse(String text) {
    Matcher m = SPEC.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("dataset '" + text + "' must read [NAME=]FORMAT:PATH, e.g. voc12aug:/data/VOCdevkit");
    }
    Format format;
    try {
      format = Format.valueOf(m.group(2).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown dense dataset format '" + m.group(2) + "' (voc0712, coco or voc12aug)", e);
    }
    Path root = Path.of(m.group(3));
    String name = m.group(1);
    if (name == null) {
      Path file = root.toAbsolutePath().normalize().getFileName();
      name = file == null ? format.label() : file.toString().toLowerCase(Locale.ROOT);
    }
    return new DenseDatasetSpec(name, format, root);
  }

  /** Opens a segmentation dataset; other formats are refused with the reason. */
  public Voc12AugSegmentation openSegmentation() {
    if (format != Format.VOC12AUG) {
      throw new IllegalArgumentException("a segmentation benchmark reads voc12aug datasets, not " + format.label());
    }
    return Voc12AugSegmentation.open(name, root);
  }

  public VocDetection openVoc() {
    if (format != Format.VOC0712) {
      throw new IllegalArgumentException("expected a voc0712 dataset, got " + format.label());
    }
    return VocDetection.open(name, root);
  }

  public CocoDetection openCoco() {
    if (format != Format.COCO) {
      throw new IllegalArgumentException("expected a coco dataset, got " + format.label());
    }
    return CocoDetection.open(name, root);
  }
}
