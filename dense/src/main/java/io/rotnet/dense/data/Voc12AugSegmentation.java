package io.rotnet.dense.data;

import io.rotnet.evaluator.dataset.DatasetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * VOC2012 + SBD ("aug") semantic segmentation in the layout mmseg's {@code voc_aug.py} writes:
 * {@code VOC2012/JPEGImages/<id>.jpg}, {@code SegmentationClass/<id>.png} (palette),
 * {@code SegmentationClassAug/<id>.png} (gray), and {@code ImageSets/Segmentation/{train,aug,val}.txt}.
 * As mmseg's {@code pascal_voc12_aug.py}: training is {@code train.txt} with SegmentationClass
 * labels plus {@code aug.txt} with SegmentationClassAug labels (10582 images in the full set);
 * testing is {@code val.txt} with SegmentationClass (1449). Without {@code aug.txt} (a plain
 * VOC2012) training is {@code train.txt} alone. The root may be the devkit or its VOC2012 folder.
 * A {@code classes.txt} in the VOC2012 folder replaces VOC's 20 object classes. A listed image whose JPEG or label is missing is skipped and counted, with the list's line.
 */
public final class Voc12AugSegmentation {

  private final String name;
  private final List<String> classes;
  private final List<SegmentationSample> train;
  private final List<SegmentationSample> val;
  private final Problems problems;

  private Voc12AugSegmentation(String name, List<String> classes, List<SegmentationSample> train,
      List<SegmentationSample> val, Problems problems) {
    this.name = name;
    this.classes = classes;
    this.train = train;
    this.val = val;
    this.problems = problems;
  }

  public static Voc12AugSegmentation open(String name, Path root) {
    Path voc = Files.isDirectory(root.resolve("VOC2012")) ? root.resolve("VOC2012") : root;
    Path sets = voc.resolve("ImageSets/Segmentation");
    if (!Files.isDirectory(sets)) {
      throw new DatasetException("voc12aug dataset " + root + " has no VOC2012/ImageSets/Segmentation folder");
    }
    Problems problems = new Problems(name);
    List<SegmentationSample> train = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    add(train, seen, ListFile.read(sets.resolve("train.txt")), voc, "SegmentationClass", problems);
    if (Files.exists(sets.resolve("aug.txt"))) {
      add(train, seen, ListFile.read(sets.resolve("aug.txt")), voc, "SegmentationClassAug", problems);
    }
    List<SegmentationSample> val = new ArrayList<>();
    add(val, new LinkedHashSet<>(), ListFile.read(sets.resolve("val.txt")), voc, "SegmentationClass", problems);
    if (train.isEmpty() || val.isEmpty()) {
      throw new DatasetException("voc12aug dataset " + root + " has " + train.size() + " usable training and "
          + val.size() + " validation images (" + problems + ")");
    }
    return new Voc12AugSegmentation(name, VocClasses.withBackground(VocClasses.objectsOf(voc)), List.copyOf(train), List.copyOf(val), problems);
  }

  private static void add(List<SegmentationSample> out, Set<String> seen, ListFile list, Path voc, String labels,
      Problems problems) {
    for (int i = 0; i < list.ids().size(); i++) {
      String id = list.ids().get(i);
      if (!seen.add(id)) {
        continue;
      }
      Path image = voc.resolve("JPEGImages").resolve(id + ".jpg");
      Path label = voc.resolve(labels).resolve(id + ".png");
      if (!Files.isRegularFile(image)) {
        problems.skip(list.where(i) + ": missing " + voc.relativize(image));
      } else if (!Files.isRegularFile(label)) {
        problems.skip(list.where(i) + ": missing " + voc.relativize(label));
      } else {
        out.add(new SegmentationSample(id, image, label));
      }
    }
  }

  public String name() {
    return name;
  }

  /** Label i is classes().get(i): background, then the objects (VOC's 21, or classes.txt's). */
  public List<String> classes() {
    return classes;
  }

  public List<SegmentationSample> train() {
    return train;
  }

  public List<SegmentationSample> val() {
    return val;
  }

  public Problems problems() {
    return problems;
  }

  /** A content fingerprint of the lists (ids and file sizes), for resumable fine-tuning state. */
  public String fingerprint() {
    long h = 1125899906842597L;
    for (List<SegmentationSample> split : List.of(train, val)) {
      for (SegmentationSample s : split) {
        h = 31 * h + s.id().hashCode();
        h = 31 * h + s.label().toFile().length();
        h = 31 * h + s.image().toFile().length();
      }
      h = 31 * h + split.size();
    }
    return Long.toHexString(h);
  }
}
