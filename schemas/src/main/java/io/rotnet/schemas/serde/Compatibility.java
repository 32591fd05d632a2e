package io.rotnet.schemas.serde;

import java.util.List;

/**
 * Answer of a compatibility check: whether the schema may be registered under the subject, and
 * the registry's explanation when it may not.
 */
public record Compatibility(boolean compatible, List<String> messages) {
  public Compatibility {
    messages = List.copyOf(messages);
  }
}
