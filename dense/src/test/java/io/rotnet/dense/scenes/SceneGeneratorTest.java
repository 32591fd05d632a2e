package io.rotnet.dense.scenes;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.dense.data.Voc12AugSegmentation;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceneGeneratorTest {
  @TempDir Path dir;

  @Test
  void theSameSeedGivesTheSameSceneAndMapsAgreeWithTheObjects() {
    SceneGenerator a = SceneGenerator.builder().optSeed(11).optSize(40).build();
    SceneGenerator b = SceneGenerator.builder().optSeed(11).optSize(40).build();
    SceneGenerator c = SceneGenerator.builder().optSeed(12).optSize(40).build();
    assertThat(a.scene(3).classMap()).isEqualTo(b.scene(3).classMap());
    assertThat(a.scene(3).classMap()).isNotEqualTo(c.scene(3).classMap());
    for (int i = 0; i < 5; i++) {
      SceneGenerator.Scene scene = a.scene(i);
      assertThat(scene.objects()).isNotEmpty();
      for (int k = 0; k < scene.objects().size(); k++) {
        SceneGenerator.SceneObject o = scene.objects().get(k);
        for (int p = 0; p < o.mask().length; p++) {
          if (o.mask()[p]) {
            assertThat(scene.classMap()[p]).isIn(o.label() + 1, 255);
            assertThat(scene.objectMap()[p]).isIn(k + 1, 255);
          }
        }
      }
      assertThat(scene.classMap()).contains(255).contains(0);
    }
  }

  @Test
  void cutOutsGiveTheClassesAndPhotosTheBackground() throws Exception {
    for (String name : new String[] {"apple", "kite"}) {
      Path folder = Files.createDirectories(dir.resolve("objects").resolve(name));
      BufferedImage cut = new BufferedImage(20, 20, BufferedImage.TYPE_INT_ARGB);
      for (int y = 0; y < 20; y++) {
        for (int x = 0; x < 20; x++) {
          boolean inside = (x - 10) * (x - 10) + (y - 10) * (y - 10) < 64;
          cut.setRGB(x, y, inside ? (name.equals("apple") ? 0xffff0000 : 0xff0000ff) : 0);
        }
      }
      ImageIO.write(cut, "png", folder.resolve("one.png").toFile());
    }
    BufferedImage photo = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        photo.setRGB(x, y, 0x00ff00);
      }
    }
    Files.createDirectories(dir.resolve("photos"));
    ImageIO.write(photo, "png", dir.resolve("photos/green.png").toFile());
    SceneGenerator generator = SceneGenerator.builder().optImages(5).optSize(40)
        .optObjects(dir.resolve("objects")).optBackgrounds(dir.resolve("photos")).build();
    assertThat(generator.classNames()).containsExactly("apple", "kite");
    SceneGenerator.Scene scene = generator.scene(0);
    int background = -1;
    for (int p = 0; p < scene.classMap().length && background < 0; p++) {
      if (scene.classMap()[p] == 0) {
        background = p;
      }
    }
    int w = scene.image().getWidth();
    assertThat(scene.image().getRGB(background % w, background / w) & 0xffffff).isEqualTo(0x00ff00);
    generator.write(dir.resolve("out"));
    assertThat(Voc12AugSegmentation.open("cut", dir.resolve("out")).classes())
        .containsExactly("background", "apple", "kite");
  }
}
