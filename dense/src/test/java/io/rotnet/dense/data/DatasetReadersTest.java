package io.rotnet.dense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rotnet.dense.metrics.CocoEval;
import io.rotnet.dense.metrics.VocDetectionAp;
import io.rotnet.dense.scenes.SceneGenerator;
import io.rotnet.evaluator.dataset.DatasetException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers of real layouts on written scenes, plus the errors of broken files. */
class DatasetReadersTest {
  @TempDir static Path dir;
  static SceneGenerator scenes;
  static Path root;

  @BeforeAll
  static void write() throws Exception {
    scenes = SceneGenerator.builder().optImages(10).optSeed(4).optSize(48).build();
    root = dir.resolve("scenes");
    scenes.write(root);
  }

  @Test
  void voc12AugReadsTrainPlusAugAndValWithBothLabelForms() {
    Voc12AugSegmentation data = DenseDatasetSpec.parse("s=voc12aug:" + root).openSegmentation();
    assertThat(data.classes()).containsExactly("background", "rectangle", "ellipse", "triangle");
    assertThat(data.train()).hasSize(8);
    assertThat(data.val()).hasSize(2);
    assertThat(data.train()).extracting(s -> s.label().getParent().getFileName().toString())
        .contains("SegmentationClass", "SegmentationClassAug");
    for (SegmentationSample sample : data.train()) {
      int index = Integer.parseInt(sample.id().substring("scene_".length()));
      LabelPng.LabelMap map = LabelPng.read(sample.label());
      assertThat(map.labels()).isEqualTo(scenes.scene(index).classMap());
    }
    assertThat(data.problems().count()).isZero();
  }

  @Test
  void vocDetectionReadsOneBasedBoxesAndTheOracleScoresOne() {
    VocDetection data = DenseDatasetSpec.parse("voc0712:" + root).openVoc();
    assertThat(data.name()).isEqualTo("scenes");
    assertThat(data.train()).hasSize(8);
    assertThat(data.test()).hasSize(2);
    VocDetection.VocImage first = data.train().get(0);
    SceneGenerator.SceneObject o = scenes.scene(0).objects().get(0);
    assertThat(first.objects().get(0)).isEqualTo(new VocDetection.VocObject(o.label(), o.x1() + 1, o.y1() + 1,
        o.x2() + 1, o.y2() + 1, o.area() < 64));
    VocDetectionAp ap = new VocDetectionAp(data.classes().size());
    for (VocDetection.VocImage image : data.train()) {
      List<VocDetectionAp.Detection> dets = new ArrayList<>();
      List<VocDetectionAp.GroundTruth> gts = new ArrayList<>();
      for (VocDetection.VocObject b : image.objects()) {
        dets.add(new VocDetectionAp.Detection(b.label(), b.x1(), b.y1(), b.x2(), b.y2(), 0.9f));
        gts.add(new VocDetectionAp.GroundTruth(b.label(), b.x1(), b.y1(), b.x2(), b.y2(), b.difficult()));
      }
      ap.addImage(dets, gts);
    }
    assertThat(ap.result().meanAp()).isEqualTo(1.0);
  }

  @Test
  void cocoReadsRleMasksAndTheOracleScoresOneOnBoxesAndMasks() {
    CocoDetection data = DenseDatasetSpec.parse("coco:" + root).openCoco();
    CocoInstances train = data.train();
    assertThat(train.images()).hasSize(8);
    assertThat(train.categories()).hasSize(3);
    CocoInstances.Annotation a = train.annotations().get(0);
    CocoInstances.Image image = train.images().get(a.imageId());
    assertThat(Files.isRegularFile(data.imageFile(true, image))).isTrue();
    assertThat(a.segmentation().toRle(image.height(), image.width()).decodeRowMajor())
        .isEqualTo(scenes.scene(0).objects().get(0).mask());
    for (CocoEval.IouType type : CocoEval.IouType.values()) {
      boolean segm = type == CocoEval.IouType.SEGM;
      List<CocoEval.Annotation> gts = train.groundTruth(segm);
      List<CocoEval.Detection> dets = gts.stream()
          .map(g -> new CocoEval.Detection(g.imageId(), g.categoryId(), g.bbox(), 0.8, g.mask())).toList();
      CocoEval.Stats stats = new CocoEval(type).evaluate(gts, dets, train.imageIds(), train.categoryIds());
      assertThat(stats.get(0)).as(type.name()).isCloseTo(1.0, within(1e-12));
    }
  }

  @Test
  void brokenFilesAreSkippedCountedAndNamed() throws Exception {
    Path copy = dir.resolve("broken");
    scenes.write(copy);
    Path voc = copy.resolve("VOC2012");
    Files.writeString(voc.resolve("Annotations/scene_000001.xml"), "<annotation>\n<object>\n<name>ellipse</name>\n</annotation>");
    Files.delete(voc.resolve("JPEGImages/scene_000002.jpg"));
    Files.writeString(voc.resolve("ImageSets/Main/trainval.txt"),
        Files.readString(voc.resolve("ImageSets/Main/trainval.txt")) + "no_such_image\n");
    VocDetection detection = VocDetection.open("broken", copy);
    assertThat(detection.train()).hasSize(6);
    assertThat(detection.test()).hasSize(2);
    assertThat(detection.problems().count()).isEqualTo(3);
    assertThat(detection.problems().first())
        .anySatisfy(p -> assertThat(p).contains("scene_000001.xml line 4"))
        .anySatisfy(p -> assertThat(p).contains("trainval.txt line 3 (scene_000002)").contains("missing"))
        .anySatisfy(p -> assertThat(p).contains("trainval.txt line 9 (no_such_image)"));
  }

  @Test
  void cocoAnnotationsThatNameUnknownImagesAreSkippedWithTheirId() throws Exception {
    String json = "{\"images\":[{\"id\":1,\"height\":4,\"width\":4,\"file_name\":\"a.jpg\"}],"
        + "\"categories\":[{\"id\":1,\"name\":\"x\"}],\"annotations\":["
        + "{\"id\":7,\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,2,2],\"area\":4,\"iscrowd\":0,"
        + "\"segmentation\":[[0,0,2,0,2,2,0,2]]},"
        + "{\"id\":8,\"image_id\":9,\"category_id\":1,\"bbox\":[0,0,2,2],\"area\":4,\"iscrowd\":0},"
        + "{\"id\":9,\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,2,2],\"area\":4,\"iscrowd\":1,"
        + "\"segmentation\":{\"size\":[4,4],\"counts\":[0,3,12]}}]}";
    CocoInstances coco = CocoInstances.read(new StringReader(json), "inline.json");
    assertThat(coco.annotations()).extracting(CocoInstances.Annotation::id).containsExactly(7L);
    assertThat(coco.problems().count()).isEqualTo(2);
    assertThat(coco.problems().first()).anySatisfy(p -> assertThat(p).contains("annotation 8").contains("image_id 9"))
        .anySatisfy(p -> assertThat(p).contains("annotation 9").contains("sum to 15").doesNotContain("image_id"));
    assertThatThrownBy(() -> CocoInstances.read(new StringReader("{\"images\":[{\"id\":1,}"), "bad.json"))
        .isInstanceOf(DatasetException.class).hasMessageContaining("bad.json");
  }

  @Test
  void aMissingListFileIsAnErrorThatNamesIt() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty/VOC2012/ImageSets/Segmentation"));
    assertThatThrownBy(() -> Voc12AugSegmentation.open("e", dir.resolve("empty")))
        .isInstanceOf(DatasetException.class).hasMessageContaining(empty.resolve("train.txt").toString());
    assertThatThrownBy(() -> DenseDatasetSpec.parse("x=imagefolder:/tmp"))
        .hasMessageContaining("voc0712, coco or voc12aug");
  }
}
