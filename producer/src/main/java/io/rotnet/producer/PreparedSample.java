package io.rotnet.producer;

import io.rotnet.producer.source.SourceEntry;
import io.rotnet.schemas.avro.RotatedImage;
import java.util.List;

/** The outcome of preparing one source image for one epoch: four records, or a refusal. */
public sealed interface PreparedSample {

  /** Position of the source image in the source (not in the epoch). */
  int sourceIndex();

  SourceEntry entry();

  /** The four rotated views, rotation 0..3 in order, all keyed by {@code key}. */
  record Views(int sourceIndex, SourceEntry entry, String key, List<RotatedImage> records)
      implements PreparedSample {
    public Views {
      records = List.copyOf(records);
    }
  }

  /** The image could not be used; the reason and first bytes go to the dead-letter topic. */
  record Refused(int sourceIndex, SourceEntry entry, String reason, byte[] excerpt)
      implements PreparedSample {}
}
