package io.rotnet.producer;

import io.rotnet.producer.augment.AugmentedSample;
import io.rotnet.producer.augment.CropPlan;
import io.rotnet.producer.augment.RotNetAugmenter;
import io.rotnet.producer.augment.Seeds;
import io.rotnet.producer.decode.ImageDecoder;
import io.rotnet.producer.decode.ImageRejectedException;
import io.rotnet.producer.decode.RgbImage;
import io.rotnet.producer.encode.PixelEncoder;
import io.rotnet.producer.source.ImageSource;
import io.rotnet.producer.source.SourceEntry;
import io.rotnet.schemas.avro.RotatedImage;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Does the per-image work on a worker thread: choose the crop from the image's header, decode
 * only that region, resize, flip, rotate, encode and serialize, ending in four ready-to-send
 * record values.
 * Stateless and thread-safe; random draws depend only on (seed, epoch, source index).
 */
public final class SamplePreparer {

  private final ImageSource source;
  private final ImageDecoder decoder;
  private final RotNetAugmenter augmenter;
  private final PixelEncoder encoder;
  private final Serializer<RotatedImage> serializer;
  private final String topic;
  private final long seed;
  private final Clock clock;

  public SamplePreparer(
      ImageSource source,
      ImageDecoder decoder,
      RotNetAugmenter augmenter,
      PixelEncoder encoder,
      Serializer<RotatedImage> serializer,
      String topic,
      long seed,
      Clock clock) {
    this.source = source;
    this.decoder = decoder;
    this.augmenter = augmenter;
    this.encoder = encoder;
    this.serializer = serializer;
    this.topic = topic;
    this.seed = seed;
    this.clock = clock;
  }

  /** Sample id and record key of one source image in one epoch: {@code <source id>@<epoch>}. */
  public static String sampleId(SourceEntry entry, int epoch) {
    return entry.id() + "@" + epoch;
  }

  public PreparedSample prepare(int epoch, long indexInEpoch, int sourceIndex) {
    SourceEntry entry = source.entry(sourceIndex);
    CropPlan plan = augmenter.plan(Seeds.forSample(seed, epoch, sourceIndex));
    RgbImage crop;
    try {
      crop = source.load(sourceIndex, decoder, plan);
    } catch (ImageRejectedException e) {
      return new PreparedSample.Refused(sourceIndex, entry, e.reason(), e.excerpt());
    }
    AugmentedSample sample = augmenter.augmentRegion(crop, plan);
    String key = sampleId(entry, epoch);
    int size = sample.size();
    List<byte[]> values = new ArrayList<>(AugmentedSample.ROTATIONS);
    long pixelBytes = 0;
    for (int rotation = 0; rotation < AugmentedSample.ROTATIONS; rotation++) {
      byte[] pixels = encoder.encode(sample.view(rotation), size, size);
      pixelBytes += pixels.length;
      RotatedImage record =
          RotatedImage.newBuilder()
              .setSampleId(key)
              .setSourceUri(entry.uri())
              .setSourceLabel(entry.label())
              .setEpoch(epoch)
              .setIndexInEpoch(indexInEpoch)
              .setDatasetSize(source.size())
              .setRotation(rotation)
              .setHeight(size)
              .setWidth(size)
              .setChannels(3)
              .setEncoding(encoder.encoding())
              .setPixels(ByteBuffer.wrap(pixels))
              .setProducedAt(clock.instant())
              .build();
      values.add(serializer.serialize(topic, record));
    }
    return new PreparedSample.Views(
        sourceIndex, entry, key, epoch, indexInEpoch, values, pixelBytes);
  }
}
