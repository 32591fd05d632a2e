package io.rotnet.producer.source;

import java.util.Objects;

/**
 * What a source knows about one image before decoding it.
 *
 * @param id stable id within the source (relative path, or {@code file#index} for IDX)
 * @param uri where the image came from ({@code file:} URI or {@code idx:<file>#<index>})
 * @param label class folder or IDX label when the source has one, else null
 */
public record SourceEntry(String id, String uri, String label) {

  public SourceEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(uri, "uri");
  }
}
