package io.rotnet.dense.data;

import io.rotnet.evaluator.dataset.DatasetException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * COCO 2017 in its published layout: {@code annotations/instances_{train,val}2017.json} and the
 * image folders {@code train2017/}, {@code val2017/}. Training keeps images with at least one
 * annotation (mmdet's {@code filter_empty_gt}); an image whose file is missing is counted with
 * its id when it is read.
 */
public record CocoDetection(String name, Path root, CocoInstances train, CocoInstances val) {

  public static CocoDetection open(String name, Path root) {
    Path annotations = root.resolve("annotations");
    if (!Files.isDirectory(annotations)) {
      throw new DatasetException("coco dataset " + root + " has no annotations/ folder");
    }
    CocoInstances train = CocoInstances.read(annotations.resolve("instances_train2017.json"));
    CocoInstances val = CocoInstances.read(annotations.resolve("instances_val2017.json"));
    for (String folder : new String[] {"train2017", "val2017"}) {
      if (!Files.isDirectory(root.resolve(folder))) {
        throw new DatasetException("coco dataset " + root + " has no " + folder + "/ image folder");
      }
    }
    return new CocoDetection(name, root, train, val);
  }

  /** The file of an image of the training or validation set. */
  public Path imageFile(boolean training, CocoInstances.Image image) {
    return root.resolve(training ? "train2017" : "val2017").resolve(image.fileName());
  }
}
